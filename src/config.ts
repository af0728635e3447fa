import { userInfo } from 'node:os';
import { localeFromTag, type Locale } from './model/settings.js';

/** Everything the process reads from its environment, read in one place. */
export interface Config {
  redisUrl: string;
  /** Whether REDIS_URL was left at its default (then a local redis-server may be started). */
  redisUrlDefault: boolean;
  keyPrefix: string;
  /** `inline`: `npm start` runs a reminder worker in its own process; `off`: only `npm run worker` does. */
  worker: 'inline' | 'off';
  /** Reminders one worker process handles at once. */
  workerConcurrency: number;
  console: {
    user: string;
    locale: Locale;
    /** A fixed clock for demos and tests. */
    now?: Date;
  };
}

export const DEFAULTS = Object.freeze({
  redisUrl: 'redis://127.0.0.1:6379',
  keyPrefix: 'offboard',
  worker: 'inline',
  workerConcurrency: 50,
} as const);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function osUser(): string {
  try {
    return userInfo().username || 'me';
  } catch {
    return 'me';
  }
}

/** Reads the configuration; every problem is reported at once, one line each. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const redisUrl = env['REDIS_URL']?.trim() || DEFAULTS.redisUrl;
  if (!/^rediss?:\/\/.+/.test(redisUrl)) problems.push(`REDIS_URL: "${redisUrl}" is not a redis:// URL (example: redis://127.0.0.1:6379)`);
  const keyPrefix = env['OFFBOARD_PREFIX']?.trim() || DEFAULTS.keyPrefix;
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(keyPrefix)) problems.push(`OFFBOARD_PREFIX: "${keyPrefix}" must be 1-40 letters, digits, dots, dashes or underscores (example: offboard)`);
  let now: Date | undefined;
  const rawNow = env['OFFBOARD_NOW']?.trim();
  if (rawNow) {
    now = new Date(rawNow);
    if (Number.isNaN(now.getTime())) problems.push(`OFFBOARD_NOW: "${rawNow}" is not an ISO instant (example: 2026-11-23T09:00:00Z)`);
  }
  const workerRaw = env['OFFBOARD_WORKER']?.trim().toLowerCase() || DEFAULTS.worker;
  if (workerRaw !== 'inline' && workerRaw !== 'off') problems.push(`OFFBOARD_WORKER: "${workerRaw}" must be inline or off (example: off, when separate worker processes run)`);
  const concurrencyRaw = env['OFFBOARD_WORKER_CONCURRENCY']?.trim();
  const workerConcurrency = concurrencyRaw ? Number(concurrencyRaw) : DEFAULTS.workerConcurrency;
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 1 || workerConcurrency > 1000) {
    problems.push(`OFFBOARD_WORKER_CONCURRENCY: "${concurrencyRaw}" must be a whole number from 1 to 1000 (example: 50)`);
  }
  const user = (env['OFFBOARD_USER']?.trim() || osUser()).slice(0, 64);
  const locale = localeFromTag(env['OFFBOARD_LANG'] || env['LC_ALL'] || env['LANG']);
  if (problems.length) throw new ConfigError(problems);
  return {
    redisUrl,
    redisUrlDefault: !env['REDIS_URL']?.trim(),
    keyPrefix,
    worker: workerRaw === 'off' ? 'off' : 'inline',
    workerConcurrency,
    console: now ? { user, locale, now } : { user, locale },
  };
}
