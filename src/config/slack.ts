import { httpUrl, secret, variable, type Problem } from './value.js';

/**
 * The Slack part of the environment. Two ways to be installed: one workspace with a bot
 * token, or many workspaces through the OAuth install flow. Two ways to receive: Socket Mode
 * with an app-level token, or HTTP on PORT.
 */
export interface SlackConfig {
  /** Verifies HTTP requests; may be empty in Socket Mode. */
  signingSecret: string;
  /** `single`: one workspace, SLACK_BOT_TOKEN. `oauth`: any workspace that installs the app. */
  install: { kind: 'single'; botToken: string } | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string };
  /** Socket Mode when an app-level token (xapp-…) is set; HTTP otherwise. */
  /** `port`: HTTP mode's listener; in Socket Mode, where the OAuth install pages are served. */
  transport: { kind: 'socket'; appToken: string; port: number } | { kind: 'http'; port: number };
  /** Web API base URL, e.g. a fake server in tests; Slack's own when absent. */
  apiUrl?: string;
}

const STATE_SECRET_MIN = 16;
const STATE_SECRET_EXAMPLE = 'any long random string, e.g. `openssl rand -hex 32`';

/** Every value but the client id and the API URL is a secret: messages describe, never quote. */
export const SLACK_FIELDS = {
  SLACK_BOT_TOKEN: variable(secret((v) => v.startsWith('xoxb-'), 'a bot token starts with "xoxb-" (example: xoxb-…, from OAuth & Permissions → Bot User OAuth Token; a rotating "xoxe.xoxb-" token is not supported: turn token rotation off)')),
  SLACK_SIGNING_SECRET: variable(),
  SLACK_APP_TOKEN: variable(
    secret((v) => v.startsWith('xapp-'), 'an app-level token starts with "xapp-" (example: xapp-…, from Basic Information → App-Level Tokens, scope connections:write)'),
  ),
  SLACK_CLIENT_ID: variable(),
  SLACK_CLIENT_SECRET: variable(),
  SLACK_STATE_SECRET: variable(secret((v) => v.length >= STATE_SECRET_MIN, `too short, use at least ${STATE_SECRET_MIN} random characters (example: ${STATE_SECRET_EXAMPLE})`)),
  SLACK_API_URL: variable(httpUrl('https://slack.com/api/')),
};

export type SlackVariable = keyof typeof SLACK_FIELDS;
type SlackValues = { [K in SlackVariable]?: string | undefined };
export const SLACK_VARIABLES = Object.keys(SLACK_FIELDS) as SlackVariable[];

/** Setting any Slack variable turns the adapter on; then what it needs must be there. */
export function slackRule(e: SlackValues): Problem[] {
  if (!SLACK_VARIABLES.some((name) => e[name])) return [];
  const problems: Problem[] = [];
  const missing = (variable: SlackVariable, message: string) => problems.push({ variable, message: `missing${message}` });
  // Socket Mode needs no signature: the app-level token authenticates the socket.
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    missing('SLACK_SIGNING_SECRET', ', HTTP mode needs it, or set SLACK_APP_TOKEN for Socket Mode (example: the Signing Secret from Basic Information → App Credentials)');
  }
  const oauthAny = Boolean(e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET);
  if (e.SLACK_BOT_TOKEN && oauthAny) {
    problems.push({
      variable: 'SLACK_BOT_TOKEN',
      message: 'set together with SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET: use the bot token for one workspace, or the OAuth trio for many, not both',
    });
  } else if (oauthAny) {
    if (!e.SLACK_CLIENT_ID) missing('SLACK_CLIENT_ID', ' (example: 1234567890.1234567890, from Basic Information → App Credentials → Client ID)');
    if (!e.SLACK_CLIENT_SECRET) missing('SLACK_CLIENT_SECRET', ' (example: the Client Secret from Basic Information → App Credentials)');
    if (!e.SLACK_STATE_SECRET) missing('SLACK_STATE_SECRET', ` (example: ${STATE_SECRET_EXAMPLE})`);
  } else if (!e.SLACK_BOT_TOKEN) {
    missing('SLACK_BOT_TOKEN', ' for one workspace, or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for many (example: xoxb-…)');
  }
  return problems;
}

/** Null when no Slack variable is set. Only called once the checks and `slackRule` passed. */
export function slackFrom(e: SlackValues, port: number): SlackConfig | null {
  if (!SLACK_VARIABLES.some((name) => e[name])) return null;
  const install: SlackConfig['install'] = e.SLACK_BOT_TOKEN
    ? { kind: 'single', botToken: e.SLACK_BOT_TOKEN }
    : { kind: 'oauth', clientId: e.SLACK_CLIENT_ID ?? '', clientSecret: e.SLACK_CLIENT_SECRET ?? '', stateSecret: e.SLACK_STATE_SECRET ?? '' };
  const transport: SlackConfig['transport'] = e.SLACK_APP_TOKEN ? { kind: 'socket', appToken: e.SLACK_APP_TOKEN, port } : { kind: 'http', port };
  const config: SlackConfig = { signingSecret: e.SLACK_SIGNING_SECRET ?? '', install, transport };
  const apiUrl = e.SLACK_API_URL;
  if (apiUrl) config.apiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return config;
}
