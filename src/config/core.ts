import { userInfo } from 'node:os';
import { z } from 'zod';
import { localeFromTag, LOCALES, type Locale } from '../model/settings.js';
import { redisUrlProblem } from './redis-url.js';
import { oneOf, port, shown, variable, wholeNumber } from './value.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const DEFAULTS = Object.freeze({
  redisUrl: 'redis://127.0.0.1:6379',
  keyPrefix: 'offboard',
  worker: 'inline',
  workerConcurrency: 50,
  workerLockSeconds: 30,
  port: 3000,
  workerPort: 3001,
  boardPort: 3002,
  logLevel: 'info',
} as const);

// With a zone: a bare local time would mean a different instant on every machine.
const ISO_INSTANT = z.iso.datetime({ offset: true });

/** The variables every process reads; Slack, Discord and the admin pages have their own. */
export const CORE_FIELDS = {
  // Never quoted, whatever its shape: a bad URL or a bare value may well be the password.
  REDIS_URL: variable(redisUrlProblem),
  OFFBOARD_PREFIX: variable((v) =>
    /^[A-Za-z0-9._-]{1,40}$/.test(v) ? null : `${shown(v)} must be 1-40 letters, digits, dots, dashes or underscores (example: ${DEFAULTS.keyPrefix})`,
  ),
  OFFBOARD_USER: variable(),
  // Strict, unlike LANG: OFFBOARD_LANG is set for offboard alone, so a typo should not quietly
  // mean English. A tag is understood when its locale does not depend on the fallback.
  OFFBOARD_LANG: variable((v) =>
    localeFromTag(v, 'en') === localeFromTag(v, 'de') ? null : `${shown(v)} is not a language offboard speaks: ${LOCALES.join(', ')} (example: de)`,
  ),
  LC_ALL: variable(),
  LANG: variable(),
  // Where the console writes the letter and other files; relative paths are from the current directory.
  OFFBOARD_FILES: variable((v) => (v.trim() && !/[\0\n\r]/.test(v) ? null : 'must be a folder path (example: ./offboard-files)')),
  OFFBOARD_NOW: variable((v) => (ISO_INSTANT.safeParse(v).success ? null : `${shown(v)} is not an ISO instant with a time zone (example: 2026-11-23T09:00:00Z)`)),
  // Console only: `wait` moves the clock even on a Redis that may be shared with a worker.
  OFFBOARD_TIME_TRAVEL: variable(oneOf(['0', '1'], '1')),
  OFFBOARD_WORKER: variable(oneOf(['inline', 'off'], 'off, when separate worker processes run')),
  OFFBOARD_WORKER_CONCURRENCY: variable(wholeNumber(1, 1000, DEFAULTS.workerConcurrency)),
  // Below a few seconds a busy event loop would lose locks of jobs still being sent.
  OFFBOARD_WORKER_LOCK_SECONDS: variable(wholeNumber(5, 600, DEFAULTS.workerLockSeconds)),
  LOG_LEVEL: variable(oneOf(LOG_LEVELS, 'debug')),
  LOG_FORMAT: variable(oneOf(LOG_FORMATS, 'pretty; unset picks pretty on a terminal, JSON otherwise')),
  PORT: variable(port(DEFAULTS.port)),
  WORKER_PORT: variable(port(DEFAULTS.workerPort)),
  BOARD_PORT: variable(port(DEFAULTS.boardPort)),
};

type CoreValues = { [K in keyof typeof CORE_FIELDS]?: string | undefined };

/** Everything the processes read from their environment, apart from the platforms' tokens. */
export interface Config {
  redisUrl: string;
  /** Whether REDIS_URL was left at its default (then a local redis-server may be started). */
  redisUrlDefault: boolean;
  keyPrefix: string;
  /** `inline`: `npm start` runs a reminder worker in its own process; `off`: only `npm run worker` does. */
  worker: 'inline' | 'off';
  /** Reminders one worker process handles at once. */
  workerConcurrency: number;
  /** How long a worker holds a reminder job (and the person's lock) before another may take it over. */
  workerLockSeconds: number;
  /** The bot's HTTP port: Slack events and the operator endpoints. 0: any free port. */
  port: number;
  /** The operator HTTP port of an `npm run worker` process. 0: any free port. */
  workerPort: number;
  /** The Bull Board process's port. 0: any free port. */
  boardPort: number;
  /** Basic-auth credentials for the operator pages; null: not set. */
  admin: { user: string; password: string } | null;
  /** `format` undefined: decided at start-up (pretty on a terminal, JSON otherwise). */
  log: { level: LogLevel; format: LogFormat | undefined };
  console: {
    user: string;
    locale: Locale;
    /** A fixed clock for demos and tests. */
    now?: Date;
    /** Folder for the files the bot produces (the letter, a reply to pushback). */
    filesDir: string;
    /** `wait` allowed on any Redis (OFFBOARD_TIME_TRAVEL=1); otherwise only on the console's own. */
    timeTravel: boolean;
  };
}

function osUser(): string {
  try {
    return userInfo().username || 'me';
  } catch {
    return 'me';
  }
}

const lower = <T extends string>(value: string | undefined, choices: readonly T[], fallback: T): T =>
  choices.find((c) => c === value?.toLowerCase()) ?? fallback;

/** Builds the typed values from variables that already passed their checks. */
export function coreFrom(e: CoreValues): Omit<Config, 'admin'> {
  const user = (e.OFFBOARD_USER ?? osUser()).slice(0, 64);
  const locale = localeFromTag(e.OFFBOARD_LANG ?? e.LC_ALL ?? e.LANG);
  const now = e.OFFBOARD_NOW ? new Date(e.OFFBOARD_NOW) : undefined;
  return {
    redisUrl: e.REDIS_URL ?? DEFAULTS.redisUrl,
    redisUrlDefault: e.REDIS_URL === undefined,
    keyPrefix: e.OFFBOARD_PREFIX ?? DEFAULTS.keyPrefix,
    worker: lower(e.OFFBOARD_WORKER, ['inline', 'off'], DEFAULTS.worker),
    workerConcurrency: e.OFFBOARD_WORKER_CONCURRENCY ? Number(e.OFFBOARD_WORKER_CONCURRENCY) : DEFAULTS.workerConcurrency,
    workerLockSeconds: e.OFFBOARD_WORKER_LOCK_SECONDS ? Number(e.OFFBOARD_WORKER_LOCK_SECONDS) : DEFAULTS.workerLockSeconds,
    port: portFrom(e.PORT, DEFAULTS.port),
    workerPort: portFrom(e.WORKER_PORT, DEFAULTS.workerPort),
    boardPort: portFrom(e.BOARD_PORT, DEFAULTS.boardPort),
    log: {
      level: lower(e.LOG_LEVEL, LOG_LEVELS, DEFAULTS.logLevel),
      format: e.LOG_FORMAT ? lower(e.LOG_FORMAT, LOG_FORMATS, 'json') : undefined,
    },
    console: { user, locale, filesDir: e.OFFBOARD_FILES ?? './offboard-files', timeTravel: e.OFFBOARD_TIME_TRAVEL === '1', ...(now ? { now } : {}) },
  };
}

export function portFrom(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}
