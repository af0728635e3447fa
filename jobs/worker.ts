import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Notifier } from '../src/delivery/notifier.js';
import { DEFAULT_LATE_AFTER_MS } from '../src/delivery/timing.js';
import type { Engine } from '../src/engine/engine.js';
import type { Log } from '../src/log.js';
import { silentLog } from '../src/log.js';
import type { Platform, UserRef } from '../src/model/user.js';
import { keys as makeKeys } from '../src/store/keys.js';
import type { Store } from '../src/store/store.js';
import { ReminderDelivery, type DeliveryEvent } from './deliver-reminder.js';
import { decidedButUnsent } from './decided-unsent.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { openReminderQueue, type ReminderQueue } from './queue.js';
import { Reconciler, type ReconcileReport } from './reconciler.js';
import { FORGET_SWEEP_JOB, RECONCILE_JOB, REMINDER_QUEUE, isForgetSweep, isReminderJob, queuePrefix, type QueueJobData, type ReminderJobData } from './reminder-job.js';
import { ReminderScheduler, type SchedulerCounts } from './scheduler.js';
import { SendLimiter } from './send-limiter.js';
import { UserJobs } from './user-jobs.js';
import { UserLocks } from './user-lock.js';

export interface WorkerOptions {
  /** For the worker's blocking calls: must have `maxRetriesPerRequest: null`. */
  connection: Redis;
  keyPrefix: string;
  engine: Engine;
  store: Store;
  notifiers: Partial<Record<Platform, Notifier>>;
  log?: Log;
  concurrency?: number;
  lateAfterMs?: number;
  /** How often the reconciler compares the queue with the cases. */
  reconcileEveryMs?: number;
  /** BullMQ's lock: a worker that stops renewing it for this long is presumed dead. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  clock?: () => Date;
  observe?: (event: DeliveryEvent) => void;
  /** Told about each job the worker's own scheduler (reconciler, follow-ups) adds or removes. */
  onSchedulerChange?: (change: keyof SchedulerCounts) => void;
}

export interface RunningWorker {
  readonly queue: ReminderQueue;
  reconcile(): Promise<ReconcileReport>;
  /**
   * False once closing, or while BullMQ's worker is not taking jobs, which includes while its
   * Redis is away: BullMQ still calls itself running then, but no job can be fetched.
   */
  running(): boolean;
  /** Finishes the jobs in hand (at most `graceMs`), then lets go of Redis. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 50;
const DEFAULT_RECONCILE_MS = 5 * 60_000;
const DEFAULT_GRACE_MS = 10_000;

/**
 * Starts a reminder worker. Any number may run, in one process or many, on one Redis: BullMQ
 * hands each job to one of them, and everything else they share lives in Redis too.
 */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? silentLog;
  const keys = makeKeys(opts.keyPrefix);
  const redis = opts.connection;
  const queue = openReminderQueue(redis, opts.keyPrefix);
  const ledger = new DeliveryLedger(redis, keys);
  const userJobs = new UserJobs(queue, redis);
  const clock = opts.clock ?? (() => new Date());
  const scheduler = new ReminderScheduler(queue, log, () => clock().getTime(), decidedButUnsent(opts.store, ledger), userJobs);
  scheduler.onChange = opts.onSchedulerChange;
  const reconciler = new Reconciler(redis, keys, opts.store, queue, scheduler, ledger, log, userJobs);
  const delivery = new ReminderDelivery({
    engine: opts.engine,
    store: opts.store,
    ledger,
    // Same notion as BullMQ's job lock: a holder silent this long is presumed dead.
    locks: new UserLocks(redis, keys, opts.lockDurationMs ?? 30_000),
    limiter: new SendLimiter(redis, opts.keyPrefix),
    notifiers: opts.notifiers,
    queue,
    log,
    clock,
    lateAfterMs: opts.lateAfterMs ?? DEFAULT_LATE_AFTER_MS,
    ...(opts.observe ? { observe: opts.observe } : {}),
  });

  const processor = async (job: Job<QueueJobData>, token?: string): Promise<unknown> => {
    if (job.name === RECONCILE_JOB) return reconciler.run();
    if (job.name === FORGET_SWEEP_JOB && isForgetSweep(job.data)) {
      const left = await afterForget(job.data.forgotten);
      // Thrown, so BullMQ tries again later (the sweep's back-off) while that run goes on.
      if (left > 0) throw new Error(`${left} job(s) of a forgotten user still running`);
      return null;
    }
    if (!isReminderJob(job.data)) {
      log.warn({ jobId: job.id, name: job.name }, 'unknown job dropped');
      return null;
    }
    return delivery.process(job as Job<ReminderJobData>, token);
  };
  const worker = new Worker<QueueJobData>(REMINDER_QUEUE, processor, {
    connection: redis,
    prefix: queuePrefix(opts.keyPrefix),
    concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
    // Far above any real rate: BullMQ honours a manual queue.rateLimit() (a platform's global
    // 429) only when a limiter is configured. Per-channel limits live in SendLimiter.
    limiter: { max: 100_000, duration: 1_000 },
    // A re-run is always safe (outbox + ledger), while a job failed for stalling would be lost:
    // so a worker starved of CPU for a while must not cost a reminder.
    maxStalledCount: 20,
    ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
    ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
  });
  const clearIfForgotten = (job: Job<QueueJobData>): void => {
    if (isReminderJob(job.data)) void afterForget(job.data.user).catch((e: unknown) => log.warn({ jobId: job.id, err: String(e) }, 'could not clear a forgotten user\'s job'));
  };
  worker.on('failed', (job, err) => {
    if (!job) return;
    log.warn({ jobId: job.id, attempts: job.attemptsMade, err: err.message }, 'job failed');
    clearIfForgotten(job);
  });
  // Its user was forgotten before its run ended (its end says so): the queue's events about it
  // still name the case. A user forgotten after that end gets the forget's sweep instead.
  worker.on('completed', (job) => {
    if (delivery.foundUserGone(job.id)) clearIfForgotten(job);
  });
  /**
   * A job that was running while its user was forgotten could not be removed then, and may
   * have failed since (kept a week by removeOnFail) or written again: with the user gone it
   * goes now, with whatever its run wrote. Returns the jobs still held by a worker.
   */
  const afterForget = async (user: UserRef): Promise<number> => {
    if ((await opts.store.loadUser(user).catch(() => undefined)) !== null) return 0;
    const { locked } = await userJobs.removeAll(user);
    await opts.store.forgetUser(user);
    return locked;
  };
  worker.on('error', (err) => {
    // BullMQ lost a running job's lock (the process was too busy to renew it in time): the job
    // is taken again, by this worker or another, and the ledger keeps its message from going
    // out twice. Worth a warning (the worker is overloaded), not an error: nothing is lost.
    if (/^Missing lock for job /.test(err.message)) log.warn({ err: err.message }, 'job lock lapsed while it ran; it runs again');
    else log.error({ err: err.message }, 'worker error');
  });

  // Catch up at start (a crash or lost writes may have left the queue behind the cases), then
  // on a BullMQ job scheduler, so one worker of many runs each round.
  await reconciler.run().catch((err: unknown) => log.error({ err: String(err) }, 'reconciler failed at start'));
  await queue.upsertJobScheduler(
    RECONCILE_JOB,
    // The first round is the one just run; the scheduler's start date keeps it from repeating now.
    { every: opts.reconcileEveryMs ?? DEFAULT_RECONCILE_MS, startDate: Date.now() + (opts.reconcileEveryMs ?? DEFAULT_RECONCILE_MS) },
    { name: RECONCILE_JOB, data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } },
  );

  let closing: Promise<void> | null = null;
  return {
    queue,
    reconcile: () => reconciler.run(),
    running: () => closing === null && worker.isRunning() && redis.status === 'ready',
    close(graceMs = DEFAULT_GRACE_MS) {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const forced = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), graceMs);
        });
        // Unfinished jobs past the grace period are not lost: their lock lapses and another
        // worker (or this one, next start) picks them up as stalled.
        const result = await Promise.race([worker.close().then(() => 'ok' as const), forced]);
        clearTimeout(timer);
        // BullMQ's close(true) would hand back the graceful close still waiting on the job, so the
        // grace is kept by not waiting for it any longer; the process ends and the lock lapses.
        if (result === 'late') void worker.close(true).catch(() => undefined);
        await queue.close().catch(() => undefined);
      })();
      return closing;
    },
  };
}
