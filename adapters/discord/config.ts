import { ConfigError, DISCORD_SCHEMA, parseEnv, type DiscordConfig } from '../../src/config.js';

export { DISCORD_DEFAULTS, type DiscordConfig } from '../../src/config.js';

/**
 * Null when no Discord variable is set (Discord is simply not configured). Otherwise the
 * config, or a `ConfigError` with one line per missing or malformed Discord variable; the
 * token is never quoted.
 */
export function readDiscordConfig(env: NodeJS.ProcessEnv = process.env): DiscordConfig | null {
  const parsed = parseEnv(DISCORD_SCHEMA, env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  return parsed.value;
}
