import { ConfigError } from '../../src/config.js';

/** What the Discord adapter, the register script and the notifier read from the environment. */
export interface DiscordConfig {
  /** The bot token. Never logged, never put in an error message. */
  token: string;
  applicationId: string;
  /** Set: commands are registered to this one server (instant updates while developing). */
  guildId?: string;
  /** REST base URL without the version, e.g. `https://discord.com/api`. */
  apiUrl: string;
}

export const DISCORD_DEFAULTS = Object.freeze({ apiUrl: 'https://discord.com/api' } as const);

const VARIABLES = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL'] as const;
const SNOWFLAKE = /^\d{17,20}$/;
// Three dot-separated base64url parts; the value itself never appears in a message.
const TOKEN_SHAPE = /^[\w-]{10,}\.[\w-]{4,}\.[\w-]{10,}$/;

/**
 * Null when no Discord variable is set (Discord is simply not configured). Otherwise the
 * config, or a `ConfigError` with one line per missing or malformed variable.
 */
export function readDiscordConfig(env: NodeJS.ProcessEnv = process.env): DiscordConfig | null {
  const get = (name: (typeof VARIABLES)[number]) => env[name]?.trim() ?? '';
  if (VARIABLES.every((name) => get(name) === '')) return null;
  const problems: string[] = [];
  const token = get('DISCORD_TOKEN').replace(/^Bot\s+/i, '');
  if (!token) problems.push('DISCORD_TOKEN is missing: copy it from the Developer Portal, your application → Bot → Reset Token');
  else if (!TOKEN_SHAPE.test(token)) problems.push('DISCORD_TOKEN does not look like a bot token (three parts separated by dots); copy it again from the Developer Portal → Bot');
  const applicationId = get('DISCORD_APPLICATION_ID');
  if (!applicationId) problems.push('DISCORD_APPLICATION_ID is missing: the Application ID on the Developer Portal → General Information page');
  else if (!SNOWFLAKE.test(applicationId)) problems.push(`DISCORD_APPLICATION_ID: "${applicationId.slice(0, 30)}" is not a Discord id (17-20 digits, e.g. 1234567890123456789)`);
  const guildId = get('DISCORD_GUILD_ID');
  if (guildId && !SNOWFLAKE.test(guildId)) problems.push(`DISCORD_GUILD_ID: "${guildId.slice(0, 30)}" is not a server id (17-20 digits; right-click the server → Copy Server ID)`);
  const apiUrl = (get('DISCORD_API_URL') || DISCORD_DEFAULTS.apiUrl).replace(/\/+$/, '');
  if (!isHttpUrl(apiUrl)) problems.push(`DISCORD_API_URL: "${apiUrl.slice(0, 60)}" is not an http(s) URL (default ${DISCORD_DEFAULTS.apiUrl})`);
  if (problems.length) throw new ConfigError(problems);
  return { token, applicationId, apiUrl, ...(guildId ? { guildId } : {}) };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
