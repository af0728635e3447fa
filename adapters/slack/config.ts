/**
 * The Slack part of the environment, read in one place. Two ways to be installed:
 * one workspace with a bot token, or many workspaces through the OAuth install flow.
 * Two ways to receive: Socket Mode with an app-level token, or HTTP on PORT.
 */
export interface SlackConfig {
  /** Verifies HTTP requests; may be empty in Socket Mode. */
  signingSecret: string;
  /** `single`: one workspace, SLACK_BOT_TOKEN. `oauth`: any workspace that installs the app. */
  install: { kind: 'single'; botToken: string } | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string };
  /** Socket Mode when an app-level token (xapp-…) is set; HTTP otherwise. */
  transport: { kind: 'socket'; appToken: string } | { kind: 'http'; port: number };
  /** Web API base URL, e.g. a fake server in tests; Slack's own when absent. */
  apiUrl?: string;
}

export class SlackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SlackConfigError';
  }
}

const SLACK_VARIABLES = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_API_URL',
] as const;

const DEFAULT_PORT = 3000;

/**
 * Null when no Slack variable is set (Slack is simply not used). Throws `SlackConfigError`
 * with one line per problem when it is half-configured. Values are never echoed back:
 * they are secrets.
 */
export function readSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig | null {
  const get = (name: string): string => env[name]?.trim() ?? '';
  if (!SLACK_VARIABLES.some((name) => get(name))) return null;
  const problems: string[] = [];

  const signingSecret = get('SLACK_SIGNING_SECRET');
  // Socket Mode needs no signature: the app-level token authenticates the socket.
  if (!signingSecret && !get('SLACK_APP_TOKEN')) problems.push('SLACK_SIGNING_SECRET: missing (Slack app settings → Basic Information → App Credentials → Signing Secret)');

  const botToken = get('SLACK_BOT_TOKEN');
  const clientId = get('SLACK_CLIENT_ID');
  const clientSecret = get('SLACK_CLIENT_SECRET');
  const stateSecret = get('SLACK_STATE_SECRET');
  const oauthAny = Boolean(clientId || clientSecret || stateSecret);
  let install: SlackConfig['install'] | undefined;
  if (botToken && oauthAny) {
    problems.push('SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET are both set: use the bot token for one workspace, or the OAuth trio for many, not both');
  } else if (botToken) {
    if (!/^xoxb-/.test(botToken)) problems.push('SLACK_BOT_TOKEN: a bot token starts with "xoxb-" (OAuth & Permissions → Bot User OAuth Token)');
    else install = { kind: 'single', botToken };
  } else if (oauthAny) {
    if (!clientId) problems.push('SLACK_CLIENT_ID: missing (Basic Information → App Credentials → Client ID)');
    if (!clientSecret) problems.push('SLACK_CLIENT_SECRET: missing (Basic Information → App Credentials → Client Secret)');
    if (!stateSecret) problems.push('SLACK_STATE_SECRET: missing (any long random string, e.g. `openssl rand -hex 32`)');
    else if (stateSecret.length < 16) problems.push('SLACK_STATE_SECRET: too short, use at least 16 random characters');
    if (clientId && clientSecret && stateSecret.length >= 16) install = { kind: 'oauth', clientId, clientSecret, stateSecret };
  } else {
    problems.push('SLACK_BOT_TOKEN: missing (one workspace), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (many workspaces)');
  }

  const appToken = get('SLACK_APP_TOKEN');
  let transport: SlackConfig['transport'] | undefined;
  if (appToken) {
    if (!/^xapp-/.test(appToken)) problems.push('SLACK_APP_TOKEN: an app-level token starts with "xapp-" (Basic Information → App-Level Tokens, scope connections:write)');
    else transport = { kind: 'socket', appToken };
  } else {
    const rawPort = get('PORT');
    const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT: "${rawPort.slice(0, 20)}" is not a port number (1-65535, default ${DEFAULT_PORT})`);
    else transport = { kind: 'http', port };
  }

  const apiUrl = get('SLACK_API_URL');
  if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl)) problems.push('SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/');

  if (problems.length || !install || !transport) throw new SlackConfigError(problems);
  const config: SlackConfig = { signingSecret, install, transport };
  if (apiUrl) config.apiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return config;
}
