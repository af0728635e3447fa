import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Notifier } from '../src/delivery/notifier.js';
import { Engine, type EngineDeps } from '../src/engine/engine.js';
import type { Log } from '../src/log.js';
import type { Platform } from '../src/model/user.js';
import { keys as makeKeys, type Keys } from '../src/store/keys.js';
import { RedisStore } from '../src/store/redis-store.js';
import { connectRedis, targetOf } from '../src/runtime/redis-connection.js';
import { forgettingInboxEntries } from '../adapters/intake/forget.js';
import { decidedButUnsent } from './decided-unsent.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { openReminderQueue, type ReminderQueue } from './queue.js';
import { ReminderScheduler, type SchedulerCounts } from './scheduler.js';
import { UserJobs } from './user-jobs.js';
import { startWorker, type RunningWorker, type WorkerOptions } from './worker.js';
import '../ops/packet-fonts.js';

/** What every process shares: the store, the engine and the reminder queue it schedules on. */
export interface Runtime {
  keys: Keys;
  store: RedisStore;
  engine: Engine;
  queue: ReminderQueue;
  scheduler: ReminderScheduler;
  /** BullMQ's connection (blocking calls need `maxRetriesPerRequest: null`); also the ledger's. */
  jobsRedis: Redis;
  close(): Promise<void>;
}

export interface RuntimeHooks {
  onTurn?: EngineDeps['onTurn'];
  onSchedulerChange?: (change: keyof SchedulerCounts) => void;
}

/** `redis` unset (tests, the bench): one server at `redisUrl`. */
export function openRuntime(config: Pick<Config, 'redisUrl' | 'keyPrefix'> & Partial<Pick<Config, 'redis'>>, log: Log, clock?: () => Date, hooks: RuntimeHooks = {}): Runtime {
  // A turn should fail fast (the user gets an apology) rather than hang on a lost Redis.
  // Auto-pipelining sends the commands many concurrent turns issue in one tick as one write.
  const target = targetOf(config);
  const redis = connectRedis(target, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', () => undefined);
  const jobsRedis = connectRedis(target, { maxRetriesPerRequest: null });
  jobsRedis.on('error', () => undefined);
  const store = new RedisStore(redis, config.keyPrefix);
  const queue = openReminderQueue(jobsRedis, config.keyPrefix);
  const keys = makeKeys(config.keyPrefix);
  const scheduler = new ReminderScheduler(queue, log, clock ? () => clock().getTime() : Date.now, decidedButUnsent(store, new DeliveryLedger(jobsRedis, keys)), new UserJobs(queue, jobsRedis));
  scheduler.onChange = hooks.onSchedulerChange;
  // `forget` also clears the user's entries still waiting in the platforms' inboxes.
  const effects = forgettingInboxEntries(scheduler, redis, config.keyPrefix);
  const engine = new Engine({ store, effects, ...(clock ? { clock } : {}), ...(hooks.onTurn ? { onTurn: hooks.onTurn } : {}) });
  return {
    keys,
    store,
    engine,
    queue,
    scheduler,
    jobsRedis,
    async close() {
      await queue.close().catch(() => undefined);
      await store.close();
      await jobsRedis.quit().catch(() => jobsRedis.disconnect());
    },
  };
}

export function startRuntimeWorker(
  rt: Runtime,
  config: Pick<Config, 'keyPrefix' | 'workerConcurrency'>,
  notifiers: Partial<Record<Platform, Notifier>>,
  log: Log,
  extra: Pick<WorkerOptions, 'observe' | 'onSchedulerChange' | 'lockDurationMs' | 'stalledIntervalMs' | 'clock'> = {},
): Promise<RunningWorker> {
  return startWorker({
    ...extra,
    connection: rt.jobsRedis,
    keyPrefix: config.keyPrefix,
    engine: rt.engine,
    store: rt.store,
    notifiers,
    log,
    concurrency: config.workerConcurrency,
  });
}
