import { anySet, ConfigError, parseEnv, SLACK_SCHEMA, SLACK_VARIABLES, type SlackConfig } from '../../src/config.js';

export type { SlackConfig } from '../../src/config.js';

/** A Slack-only view of `ConfigError`, for callers that only read Slack. */
export class SlackConfigError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = 'SlackConfigError';
  }
}

/**
 * Null when no Slack variable is set (Slack is simply not used). Throws `SlackConfigError`
 * with one line per problem of the Slack variables and PORT when it is half-configured.
 * Values are never echoed back: they are secrets.
 */
export function readSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig | null {
  // A bad PORT is no Slack problem while Slack is off; readConfig reports it anyway.
  if (!anySet(env, SLACK_VARIABLES)) return null;
  const parsed = parseEnv(SLACK_SCHEMA, env);
  if (!parsed.ok) throw new SlackConfigError(parsed.problems);
  return parsed.value;
}
