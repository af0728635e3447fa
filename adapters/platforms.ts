import type { Redis } from 'ioredis';
import type { Runtime } from '../jobs/runtime.js';
import { ConfigError } from '../src/config.js';
import type { Notifier } from '../src/delivery/notifier.js';
import type { Log } from '../src/log.js';
import type { Platform } from '../src/model/user.js';
import { ConsoleInbox } from './console/inbox.js';
import { createDiscordNotifier, readDiscordConfig, redisPartProgress, startDiscord, type DiscordConfig } from './discord/index.js';
import { createSlackNotifier, readSlackConfig, SlackConfigError, startSlack, type SlackConfig } from './slack/index.js';

/** Which chat platforms this deployment has tokens for (null: not configured). */
export interface Platforms {
  slack: SlackConfig | null;
  discord: DiscordConfig | null;
}

/** Reads both platforms' variables; every problem of both is reported at once. */
export function readPlatforms(env: NodeJS.ProcessEnv = process.env): Platforms {
  const problems: string[] = [];
  const attempt = <T>(read: () => T | null): T | null => {
    try {
      return read();
    } catch (err) {
      if (err instanceof SlackConfigError || err instanceof ConfigError) {
        problems.push(...err.problems);
        return null;
      }
      throw err;
    }
  };
  const slack = attempt(() => readSlackConfig(env));
  const discord = attempt(() => readDiscordConfig(env));
  if (problems.length) throw new ConfigError(problems);
  return { slack, discord };
}

/** One notifier per platform the worker may have to reach; the console's inbox always. */
export function notifiersFor(p: Platforms, rt: Runtime, keyPrefix: string, redis: Redis, log?: Log): Partial<Record<Platform, Notifier>> {
  return {
    console: new ConsoleInbox(rt.jobsRedis, rt.keys),
    ...(p.slack ? { slack: createSlackNotifier({ config: p.slack, redis, keyPrefix, engine: rt.engine, ...(log ? { log } : {}) }) } : {}),
    ...(p.discord ? { discord: createDiscordNotifier(p.discord, { progress: redisPartProgress(redis, keyPrefix) }) } : {}),
  };
}

export interface RunningPlatforms {
  names: string[];
  /** The Slack HTTP receiver's port, when it listens on one. */
  slackPort?: number;
  stop(): Promise<void>;
}

/** Starts every configured chat adapter on the shared engine. */
export async function startPlatforms(p: Platforms, rt: Runtime, keyPrefix: string, redis: Redis, log: Log): Promise<RunningPlatforms> {
  const stops: Array<() => Promise<void>> = [];
  const names: string[] = [];
  let slackPort: number | undefined;
  if (p.slack) {
    const slack = await startSlack({ engine: rt.engine, redis, config: p.slack, keyPrefix, log });
    stops.push(() => slack.stop());
    names.push('slack');
    slackPort = slack.port;
  }
  if (p.discord) {
    const discord = await startDiscord({ engine: rt.engine, config: p.discord, log });
    stops.push(() => discord.stop());
    names.push('discord');
  }
  return {
    names,
    ...(slackPort === undefined ? {} : { slackPort }),
    async stop() {
      await Promise.all(stops.map((s) => s().catch(() => undefined)));
    },
  };
}
