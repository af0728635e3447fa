import type { CustomRoute } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../ops/http.js';
import type { Runtime } from '../jobs/runtime.js';
import { readEnvironment } from '../src/config.js';
import type { Notifier } from '../src/delivery/notifier.js';
import type { Log } from '../src/log.js';
import type { Platform } from '../src/model/user.js';
import { ConsoleInbox } from './console/inbox.js';
import type { DiscordConfig } from './discord/index.js';
import type { SlackConfig } from './slack/index.js';

// discord.js, Bolt (with express) load only where their platform is configured: together
// they are most of a process's start (about 1.7 s of CPU of 1.8), and a worker that sends
// to one platform, or a bot waiting for its tokens, needs neither or one.
const slackModule = () => import('./slack/index.js');
const discordModule = () => import('./discord/index.js');

/** Which chat platforms this deployment has tokens for (null: not configured). */
export interface Platforms {
  slack: SlackConfig | null;
  discord: DiscordConfig | null;
}

/**
 * Reads both platforms' variables through the shared schema, so every problem of every
 * variable (not only Slack's and Discord's) is reported at once, as `readConfig` does.
 */
export function readPlatforms(env: NodeJS.ProcessEnv = process.env): Platforms {
  const { slack, discord } = readEnvironment(env);
  return { slack, discord };
}

/** One notifier per platform the worker may have to reach; the console's inbox always. */
export async function notifiersFor(p: Platforms, rt: Runtime, keyPrefix: string, redis: Redis, log?: Log): Promise<Partial<Record<Platform, Notifier>>> {
  const notifiers: Partial<Record<Platform, Notifier>> = { console: new ConsoleInbox(rt.jobsRedis, rt.keys) };
  if (p.slack) notifiers.slack = (await slackModule()).createSlackNotifier({ config: p.slack, redis, keyPrefix, engine: rt.engine, ...(log ? { log } : {}) });
  if (p.discord) {
    const { createDiscordNotifier, redisPartProgress, RedisFormMemory } = await discordModule();
    notifiers.discord = createDiscordNotifier(p.discord, { progress: redisPartProgress(redis, keyPrefix), forms: new RedisFormMemory(redis, keyPrefix) });
  }
  return notifiers;
}

export interface RunningPlatforms {
  names: string[];
  /** One per platform, for /readyz. */
  checks: ReadinessCheck[];
  /** The Slack HTTP receiver's port, when it listens on one. */
  slackPort?: number;
  stop(): Promise<void>;
}

/**
 * Whether Slack's Bolt app listens on PORT itself (HTTP mode; or Socket Mode with OAuth, for
 * the install pages): then the operator endpoints ride on its server instead of their own.
 */
export function slackServesHttp(p: Platforms): boolean {
  return p.slack !== null && (p.slack.transport.kind === 'http' || p.slack.install.kind === 'oauth');
}

/**
 * Starts every configured chat adapter on the shared engine. `routes` (the operator
 * endpoints) are served beside Slack's on its HTTP port; `checks` tell /readyz whether each
 * platform is connected.
 */
export async function startPlatforms(p: Platforms, rt: Runtime, keyPrefix: string, redis: Redis, log: Log, routes: CustomRoute[] = []): Promise<RunningPlatforms> {
  const stops: Array<() => Promise<void>> = [];
  const names: string[] = [];
  const checks: ReadinessCheck[] = [];
  let slackPort: number | undefined;
  if (p.slack) {
    const slack = await (await slackModule()).startSlack({ engine: rt.engine, redis, config: p.slack, keyPrefix, log, routes });
    stops.push(() => slack.stop());
    names.push('slack');
    slackPort = slack.port;
    // Started means the token passed auth.test and the receiver listens; in Socket Mode the
    // WebSocket must also be up (Bolt reconnects a dropped one itself).
    checks.push({ name: 'slack', ready: () => slack.connected() });
  }
  if (p.discord) {
    const { startDiscord, RedisFormMemory } = await discordModule();
    const discord = await startDiscord({ engine: rt.engine, config: p.discord, forms: new RedisFormMemory(redis, keyPrefix), log, redis, keyPrefix });
    stops.push(() => discord.stop());
    names.push('discord');
    checks.push({ name: 'discord', ready: () => discord.connected() });
  }
  return {
    names,
    checks,
    ...(slackPort === undefined ? {} : { slackPort }),
    async stop() {
      await Promise.all(stops.map((s) => s().catch(() => undefined)));
    },
  };
}
