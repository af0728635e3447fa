/**
 * The configuration, read in one place: every environment variable goes through one zod schema
 * (`ENV_SCHEMA` in src/config/schema.ts), and a bad value stops start-up with one line per
 * problem, `NAME: what is wrong (example: …)`, never quoting a secret.
 */
import type { Config } from './config/core.js';
import { ConfigError } from './config/problems.js';
import { ENV_SCHEMA, parseEnv, type Environment } from './config/schema.js';

export { DEFAULTS, LOG_FORMATS, LOG_LEVELS, type Config, type LogFormat, type LogLevel } from './config/core.js';
export { DISCORD_DEFAULTS, DISCORD_VARIABLES, type DiscordConfig } from './config/discord.js';
export { ConfigError, formatConfigProblems } from './config/problems.js';
export { DISCORD_SCHEMA, ENV_SCHEMA, ENV_VARIABLES, parseEnv, SECRET_VARIABLES, SLACK_SCHEMA, type Environment, type EnvVariable } from './config/schema.js';
export { SLACK_VARIABLES, type SlackConfig } from './config/slack.js';
export { anySet, withoutCredentials } from './config/value.js';

/** The whole environment; throws `ConfigError` listing every problem of every variable. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = parseEnv(ENV_SCHEMA, env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  return parsed.value;
}

/** The processes' settings. Checks the platforms' variables too, so one run shows every problem. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return readEnvironment(env).config;
}
