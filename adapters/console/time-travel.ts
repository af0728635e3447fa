import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReminderQueue } from '../../jobs/queue.js';
import { reminderJobId, type QueueJobData } from '../../jobs/reminder-job.js';
import type { UserRef } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';
import type { ConsoleClock } from './clock.js';

/** Why `wait` would not move the clock here. */
export type TimeTravelOff = 'sharedRedis' | 'noWorker';

/** One reminder still to come, as BullMQ holds it. */
interface Pending {
  job: Job<QueueJobData>;
  state: string;
  /** On the console's clock. */
  dueMs: number;
  /** When the case plans it; earlier than `dueMs` when the worker put it off. */
  plannedMs: number;
}

export type WaitResult = { kind: 'moved'; now: Date } | { kind: 'nothingPlanned'; now: Date } | { kind: 'stuck'; now: Date };

// BullMQ stores a delayed job's due time in its score, shifted left 12 bits (see its
// getDelayedScore): the low bits keep jobs of one millisecond in order.
const SCORE_SHIFT = 0x1000;
const IN_PROGRESS = new Set(['waiting', 'active', 'prioritized', 'waiting-children']);
// Each reminder goes through the real worker; on a busy machine one can take a few seconds.
const SETTLE_LIMIT_MS = 60_000;
const POLL_MS = 20;
// A follow-up planned by a delivered reminder may fall inside the same wait: bounded anyway.
const MAX_ROUNDS = 500;
// Reminders of one instant go one after another (one user's lock): the worker puts the others
// off by a moment. Those still belong to the instant they were planned for.
const MOMENT_MS = 60_000;

/** Due by `target`, or planned by then and only put off for a moment. */
const dueBy = (p: Pending, target: number): boolean => p.dueMs <= target || (p.plannedMs <= target && p.dueMs - p.plannedMs <= MOMENT_MS);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `wait` in the console: moves the console's clock forward and lets every reminder met on the
 * way go through the inline worker, in order, each at its own time — the worker's own code,
 * so what arrives is exactly what would arrive on that day. BullMQ counts delays on the real
 * clock: after each move the user's remaining jobs are re-timed, so they stay due when the
 * console's clock says they are.
 */
export class TimeTravel {
  constructor(
    private readonly deps: {
      store: Store;
      queue: ReminderQueue;
      /** The queue's Redis, for the delayed jobs' due times. */
      redis: Redis;
      clock: ConsoleClock;
      user: UserRef;
      /** Shows what the worker delivered (the console's inbox), before the clock moves on. */
      show: () => Promise<void>;
    },
  ) {}

  /** To the next planned reminder (`to` undefined) or to `to`, delivering on the way. */
  async wait(to?: Date): Promise<WaitResult> {
    const { clock, show } = this.deps;
    let target = to?.getTime();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (!(await this.settle())) return { kind: 'stuck', now: clock.now() };
      await show();
      const pending = await this.pending();
      if (target === undefined) {
        const first = Math.min(...pending.map((p) => p.dueMs));
        if (!Number.isFinite(first)) return { kind: 'nothingPlanned', now: clock.now() };
        target = first;
      }
      const limit = target;
      const next = Math.min(...pending.filter((p) => dueBy(p, limit)).map((p) => p.dueMs));
      if (!Number.isFinite(next)) break;
      await this.moveTo(next, pending);
    }
    await this.moveTo(target ?? clock.nowMs(), await this.pending());
    return { kind: 'moved', now: clock.now() };
  }

  /** The clock to `ms`; jobs due by then are released, the others re-timed on the real clock. */
  private async moveTo(ms: number, pending: Pending[]): Promise<void> {
    const { clock } = this.deps;
    clock.advanceTo(new Date(ms));
    const now = clock.nowMs();
    for (const p of pending) {
      if (p.state !== 'delayed') continue;
      // A job may have been taken meanwhile (the worker's own delay ran out): then it is in hand.
      if (p.dueMs <= now) await p.job.promote().catch(() => undefined);
      else await p.job.changeDelay(p.dueMs - now).catch(() => undefined);
    }
  }

  /** Waits until no reminder of this user is being delivered or waiting for a worker. */
  private async settle(): Promise<boolean> {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    for (;;) {
      const pending = await this.pending();
      const now = this.deps.clock.nowMs();
      if (!pending.some((p) => IN_PROGRESS.has(p.state) || (p.state === 'delayed' && p.dueMs <= now))) return true;
      if (Date.now() > deadline) return false;
      // A delay that the worker set (the user's lock was busy) may already be due: release it.
      for (const p of pending) if (p.state === 'delayed' && p.dueMs <= now) await p.job.promote().catch(() => undefined);
      await sleep(POLL_MS);
    }
  }

  /** The reminders the user's open cases plan, with their jobs' states and due times. */
  private async pending(): Promise<Pending[]> {
    const { store, queue, redis, clock, user } = this.deps;
    const state = await store.loadUser(user);
    if (!state) return [];
    const cases = await store.loadCases(user, state.openCases);
    const out: Pending[] = [];
    // Real time → the console's clock, read once so every job is placed by the same offset.
    const skew = clock.nowMs() - Date.now();
    for (const c of cases) {
      if (c.stage === 'closed') continue;
      for (const r of c.reminders) {
        const job = await queue.getJob(reminderJobId(user, c.id, r.id));
        if (!job) continue;
        const jobState = await job.getState();
        if (jobState === 'completed' || jobState === 'failed' || jobState === 'unknown') continue;
        const plannedMs = Date.parse(r.at);
        let dueMs = plannedMs;
        if (jobState === 'delayed') {
          const score = await redis.zscore(queue.keys['delayed'] ?? '', job.id ?? '');
          // Later than planned: the worker put it off (outside working hours, a busy user).
          if (score !== null) dueMs = Math.max(dueMs, Math.floor(Number(score) / SCORE_SHIFT) + skew);
        }
        out.push({ job, state: jobState, dueMs, plannedMs });
      }
    }
    return out;
  }
}
