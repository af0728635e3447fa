import { z } from 'zod';
import { ADMIN_FIELDS, adminFrom, adminRule } from './admin.js';
import { CORE_FIELDS, coreFrom, DEFAULTS, portFrom, type Config } from './core.js';
import { DISCORD_FIELDS, discordFrom, discordRule, type DiscordConfig } from './discord.js';
import { SLACK_FIELDS, slackFrom, slackRule, type SlackConfig } from './slack.js';
import { redisRule } from './redis-target.js';
import { redisUrlSecrets } from './redis-url.js';
import type { Problem } from './value.js';

/** Every environment variable offboard reads, each with its own check. */
export const ENV_FIELDS = z.object({ ...CORE_FIELDS, ...ADMIN_FIELDS, ...SLACK_FIELDS, ...DISCORD_FIELDS });

export type EnvVariable = keyof typeof ENV_FIELDS.shape;

/** In the order problems are reported (and `.env.example` lists them). */
export const ENV_VARIABLES = Object.keys(ENV_FIELDS.shape) as EnvVariable[];

/** Names that say "secret": a variable added later with such a name is one without a list to update. */
const SECRET_NAME = /_(SECRET|TOKEN|PASSWORD|PASS|KEY)$/;

/** Never quoted in a message; also scrubbed from every message as a second line of defence. */
export const SECRET_VARIABLES: readonly EnvVariable[] = [
  ...new Set<EnvVariable>([
    'ADMIN_PASSWORD',
    'SLACK_BOT_TOKEN',
    'SLACK_SIGNING_SECRET',
    'SLACK_APP_TOKEN',
    'SLACK_CLIENT_SECRET',
    'SLACK_STATE_SECRET',
    'DISCORD_TOKEN',
    ...ENV_VARIABLES.filter((name) => SECRET_NAME.test(name)),
  ]),
];

/** The whole environment, typed: the processes' settings and each platform's (null: not used). */
export interface Environment {
  config: Config;
  slack: SlackConfig | null;
  discord: DiscordConfig | null;
}

/** Problems of rules that involve several variables, reported under the variable to fix. */
function report<T>(ctx: z.RefinementCtx<T>, problems: Problem[]): void {
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.variable], message: p.message });
}

/** The one schema: field checks, then the cross-variable rules, then the typed result. */
export const ENV_SCHEMA = ENV_FIELDS.superRefine((e, ctx) => report(ctx, [...redisRule(e), ...adminRule(e), ...slackRule(e), ...discordRule(e)])).transform(
  (e): Environment => {
    const core = coreFrom(e);
    return { config: { ...core, admin: adminFrom(e) }, slack: slackFrom(e, core.port), discord: discordFrom(e) };
  },
);

/** What `readSlackConfig` sees: the Slack variables and PORT, the HTTP receiver's port. */
export const SLACK_SCHEMA = ENV_FIELDS.pick({ ...mask(SLACK_FIELDS), PORT: true })
  .superRefine((e, ctx) => report(ctx, slackRule(e)))
  .transform((e) => slackFrom(e, portFrom(e.PORT, DEFAULTS.port)));

/** What `readDiscordConfig` sees (the register script needs nothing else). */
export const DISCORD_SCHEMA = ENV_FIELDS.pick(mask(DISCORD_FIELDS)).superRefine((e, ctx) => report(ctx, discordRule(e))).transform(discordFrom);

function mask<K extends string>(fields: Record<K, unknown>): Record<K, true> {
  return Object.fromEntries(Object.keys(fields).map((k) => [k, true])) as Record<K, true>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const SCRUB_MIN = 6;

/** Parses with one of the schemas above; problems come one line each, in variable order. */
export function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): Parsed<T> {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, value: result.data };
  const rank = (issue: (typeof result.error.issues)[number]) => ENV_VARIABLES.indexOf(String(issue.path[0]) as EnvVariable);
  const issues = [...result.error.issues].sort((a, b) => rank(a) - rank(b));
  // Short values are skipped: scrubbing "s" would mangle every message. REDIS_URL is never
  // quoted, but its password (or the whole value, which may be one) is scrubbed all the same.
  const redisUrl = env['REDIS_URL']?.trim();
  const candidates = [...SECRET_VARIABLES.map((name) => env[name]?.trim() ?? ''), ...(redisUrl ? redisUrlSecrets(redisUrl) : [])];
  // Longest first, so a secret that contains another is removed whole.
  const secrets = [...new Set(candidates)].filter((v) => v.length >= SCRUB_MIN).sort((a, b) => b.length - a.length);
  const problems = issues.map((issue) => {
    const line = `${String(issue.path[0] ?? 'environment')}: ${issue.message}`;
    return secrets.reduce((text, value) => text.split(value).join('***'), line);
  });
  return { ok: false, problems };
}
