import { httpUrl, secret, shown, variable, type Problem } from './value.js';

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

const SNOWFLAKE = /^\d{17,20}$/;
const SNOWFLAKE_EXAMPLE = '1234567890123456789';
// Three dot-separated base64url parts; the value itself never appears in a message.
const TOKEN_SHAPE = /^[\w-]{10,}\.[\w-]{4,}\.[\w-]{10,}$/;
// People paste the header form from Discord's docs; the library adds "Bot " itself.
const withoutScheme = (token: string): string => token.replace(/^Bot\s+/i, '');

export const DISCORD_FIELDS = {
  DISCORD_TOKEN: variable(
    secret(
      (v) => TOKEN_SHAPE.test(withoutScheme(v)),
      'does not look like a bot token, three parts separated by dots (example: copy it again from the Developer Portal → Bot → Reset Token)',
    ),
  ),
  DISCORD_APPLICATION_ID: variable((v) => (SNOWFLAKE.test(v) ? null : `${shown(v)} is not a Discord id, 17-20 digits (example: ${SNOWFLAKE_EXAMPLE})`)),
  DISCORD_GUILD_ID: variable((v) =>
    SNOWFLAKE.test(v) ? null : `${shown(v)} is not a server id, 17-20 digits; right-click the server → Copy Server ID (example: ${SNOWFLAKE_EXAMPLE})`,
  ),
  DISCORD_API_URL: variable(httpUrl(DISCORD_DEFAULTS.apiUrl)),
};

export type DiscordVariable = keyof typeof DISCORD_FIELDS;
type DiscordValues = { [K in DiscordVariable]?: string | undefined };
export const DISCORD_VARIABLES = Object.keys(DISCORD_FIELDS) as DiscordVariable[];

/** Setting any Discord variable turns the adapter on; then the token and the id must be there. */
export function discordRule(e: DiscordValues): Problem[] {
  if (!DISCORD_VARIABLES.some((name) => e[name])) return [];
  const problems: Problem[] = [];
  if (!e.DISCORD_TOKEN) problems.push({ variable: 'DISCORD_TOKEN', message: 'missing (example: the token from the Developer Portal, your application → Bot → Reset Token)' });
  if (!e.DISCORD_APPLICATION_ID) {
    problems.push({ variable: 'DISCORD_APPLICATION_ID', message: `missing (example: ${SNOWFLAKE_EXAMPLE}, the Application ID on the Developer Portal → General Information)` });
  }
  return problems;
}

/** Null when no Discord variable is set. Only called once the checks and `discordRule` passed. */
export function discordFrom(e: DiscordValues): DiscordConfig | null {
  if (!e.DISCORD_TOKEN || !e.DISCORD_APPLICATION_ID) return null;
  const apiUrl = (e.DISCORD_API_URL ?? DISCORD_DEFAULTS.apiUrl).replace(/\/+$/, '');
  return { token: withoutScheme(e.DISCORD_TOKEN), applicationId: e.DISCORD_APPLICATION_ID, apiUrl, ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}) };
}
