import type { Redis } from 'ioredis';
import type { Log } from '../src/log.js';
import type { PlannedReminder } from '../src/model/case.js';
import { userKey, type UserRef, type UserState } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';
import { decodeUser } from '../src/store/redis-store.js';
import type { Store } from '../src/store/store.js';
import { scanEach } from '../src/runtime/redis-connection.js';
import type { ReminderQueue } from './queue.js';
import { decidedButUnsent } from './decided-unsent.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { REMINDER_JOB, isReminderJob, occurrenceId, reminderJobId, type QueueJobData, type ReminderJobData } from './reminder-job.js';
import type { ReminderScheduler } from './scheduler.js';
import type { UserJobs } from './user-jobs.js';

export interface ReconcileReport {
  users: number;
  planned: number;
  /** Planned reminders that had no job (e.g. Redis lost its last second of writes). */
  created: number;
  /** Jobs whose time disagreed with the plan. */
  retimed: number;
  /** Jobs for reminders no case plans any more. */
  removed: number;
  /** Failed jobs whose message was decided but never sent (e.g. Redis was down too long): retried. */
  revived: number;
  /** Jobs of users who were forgotten while a worker held them (the forget could not remove them). */
  forgotten: number;
}

/**
 * A planned reminder, kept small: a pass holds one for every planned reminder of every user
 * (100,000 in the scale bench) until the queue has been compared. `at` comes first, then a
 * newline and the rest (user, case, reminder) as JSON, read only to create a missing job.
 */
type Wanted = string;

interface WantedRest {
  user: UserRef;
  caseId: string;
  reminderId: string;
}

const wantedOf = (at: string, rest: WantedRest): Wanted => `${at}\n${JSON.stringify(rest)}`;
const plannedAt = (w: Wanted): string => w.slice(0, w.indexOf('\n'));
const restOf = (w: Wanted): WantedRest => JSON.parse(w.slice(w.indexOf('\n') + 1)) as WantedRest;

const SCAN_COUNT = 1_000;
const PAGE = 1_000;
// Only jobs that still wait are compared: a running one follows the plan by itself.
const WAITING_STATES = ['delayed', 'wait', 'prioritized'] as const;

/**
 * Makes the queue agree with the cases, which are the source of truth. Each fix re-reads its
 * case first, so a plan changed while this ran is never undone.
 *
 * Its reads go a page at a time (a SCAN page of users, a page of job ids), each page's reads
 * sent together: one round trip per user and per job made a pass over 100,000 users take over
 * ten seconds. A job is compared by its name and data only (not loaded whole) unless it needs
 * fixing.
 */
export class Reconciler {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly store: Store,
    private readonly queue: ReminderQueue,
    private readonly scheduler: ReminderScheduler,
    private readonly ledger: DeliveryLedger,
    private readonly log: Log,
    private readonly userJobs?: UserJobs,
  ) {
    this.mustStay = decidedButUnsent(store, ledger);
  }

  private readonly mustStay: (d: ReminderJobData) => Promise<boolean>;

  async run(): Promise<ReconcileReport> {
    // Every planned reminder not yet matched with a job; what is left at the end has none.
    const { wanted, users } = await this.plannedReminders();
    const report: ReconcileReport = { users, planned: wanted.size, created: 0, retimed: 0, removed: 0, revived: 0, forgotten: 0 };
    const gone = new Set<string>();
    // The engine takes a reminder out of the plan when it decides the message, so a job that
    // then failed for good (not a delivery error: those are final) would be lost without this.
    for (let start = 0; ; start += PAGE) {
      const failed = await this.queue.getJobs(['failed'], start, start + PAGE - 1, true);
      for (const job of failed) {
        if (!job?.id || job.name !== REMINDER_JOB || !isReminderJob(job.data)) continue;
        const d = job.data;
        if (this.userJobs && !gone.has(userKey(d.user)) && (await this.store.loadUser(d.user).catch(() => undefined)) === null) {
          // Failed jobs stay a week for the operator, but not those of someone who said forget.
          gone.add(userKey(d.user));
          report.forgotten += (await this.userJobs.removeAll(d.user)).removed;
          continue;
        }
        if (gone.has(userKey(d.user))) continue;
        const msg = await this.ledger.messageOf(d.user, occurrenceId(d.caseId, d.reminderId, d.at));
        const rec = msg ? await this.ledger.load(d.user, msg) : null;
        if (rec && (rec.state === 'ready' || rec.state === 'sending')) {
          await job.retry('failed', { resetAttemptsMade: true });
          wanted.delete(job.id);
          report.revived++;
        }
      }
      if (failed.length < PAGE) break;
    }
    for (const state of [...WAITING_STATES, 'active'] as const) {
      for (let start = 0; ; start += PAGE) {
        const ids = await this.queue.getRanges([state], start, start + PAGE - 1, true);
        if (state === 'active') {
          for (const id of ids) wanted.delete(id);
        } else {
          const data = (await this.readEach('HMGET', ids.map((id) => [this.queue.toKey(id), 'name', 'data']))).map((fields) => reminderDataOf(fields as Array<string | null> | null));
          for (let i = 0; i < ids.length; i++) {
            const id = ids[i]!;
            const d = data[i];
            if (!d) continue;
            const want = wanted.get(id);
            wanted.delete(id);
            if (want !== undefined && plannedAt(want) === d.at) continue;
            const fix = await this.follow(id, d);
            if (fix) report[fix]++;
          }
        }
        if (ids.length < PAGE) break;
      }
    }
    for (const [id, w] of wanted) {
      const { user, caseId, reminderId } = restOf(w);
      const fresh = await this.freshPlan(user, caseId, reminderId);
      if (!fresh) continue;
      // Passed over while paging: a job removed or moved earlier in its list shifts the rest
      // up by one, so one may never come up on a page. (A fix it needed waits for the next pass.)
      if (await this.waitsAt(id, fresh.at)) continue;
      await this.scheduler.schedule(user, caseId, fresh);
      report.created++;
    }
    const fixed = report.created + report.retimed + report.removed + report.revived + report.forgotten;
    (fixed ? this.log.warn : this.log.info)({ ...report }, fixed ? 'reconciler fixed the reminder queue' : 'reminder queue matches the cases');
    return report;
  }

  /**
   * One command per key, sent together: a pipeline on one server (one write for the page);
   * on a Cluster, where a pipeline must stay in one slot, concurrent commands instead.
   */
  private async readEach(command: 'GET' | 'HMGET', calls: ReadonlyArray<readonly string[]>): Promise<unknown[]> {
    if (calls.length === 0) return [];
    if (this.redis.isCluster) return Promise.all(calls.map((args) => this.redis.call(command, ...args).catch(() => null)));
    const p = this.redis.pipeline();
    for (const args of calls) p.call(command, ...args);
    const replies = (await p.exec()) ?? [];
    return calls.map((_, i) => {
      const [err, value] = replies[i] ?? [new Error('no reply'), null];
      return err ? null : value;
    });
  }

  /** Whether the job is there, waiting or running, for this time. */
  private async waitsAt(id: string, at: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (!job || (job.data as Partial<ReminderJobData>).at !== at) return false;
    const state = await job.getState();
    return state !== 'failed' && state !== 'completed' && state !== 'unknown';
  }

  /** A waiting job the plan does not name at its time: moved to the plan's time, or removed. */
  private async follow(id: string, d: ReminderJobData): Promise<'retimed' | 'removed' | null> {
    // Out of the plan because it was decided: it waits to be sent (backoff, a 429).
    if (await this.mustStay(d)) return null;
    const fresh = await this.freshPlan(d.user, d.caseId, d.reminderId);
    if (fresh && fresh.at === d.at) return null;
    if (fresh) {
      await this.scheduler.schedule(d.user, d.caseId, fresh);
      return 'retimed';
    }
    return (await this.queue.remove(id)) === 1 ? 'removed' : null;
  }

  private async plannedReminders(): Promise<{ wanted: Map<string, Wanted>; users: number }> {
    const wanted = new Map<string, Wanted>();
    let users = 0;
    const counted = new Set<string>();
    // Every primary of a Cluster holds some of the users.
    await scanEach(this.redis, this.keys.userRecordPattern(), SCAN_COUNT, async (found) => {
      const fresh = found.filter((key) => !counted.has(key));
      for (const key of fresh) counted.add(key);
      const raws = await this.readEach('GET', fresh.map((key) => [key]));
      const plans = await Promise.all(fresh.map((key, i) => this.plansOf(key, typeof raws[i] === 'string' ? (raws[i] as string) : null)));
      for (const plan of plans) {
        if (!plan) continue;
        users++;
        for (const [id, w] of plan) wanted.set(id, w);
      }
    });
    return { wanted, users };
  }

  /** What one user's open cases plan, by job id; null for a record that is gone or unreadable. */
  private async plansOf(key: string, raw: string | null): Promise<Array<[string, Wanted]> | null> {
    if (!raw) return null;
    let state: UserState;
    try {
      // Decoded as the store does (version header, schema); the record names its user.
      state = decodeUser(raw, key);
    } catch {
      return null;
    }
    const ref = state.user;
    if (typeof ref?.id !== 'string' || typeof ref.platform !== 'string') return null;
    const plan: Array<[string, Wanted]> = [];
    for (const c of await this.store.loadCases(ref, state.openCases).catch(() => [])) {
      if (c.stage === 'closed') continue;
      for (const r of c.reminders) plan.push([reminderJobId(ref, c.id, r.id), wantedOf(r.at, { user: ref, caseId: c.id, reminderId: r.id })]);
    }
    return plan;
  }

  private async freshPlan(user: UserRef, caseId: string, reminderId: string): Promise<PlannedReminder | null> {
    const c = await this.store.loadCase(user, caseId).catch(() => null);
    if (!c || c.stage === 'closed') return null;
    return c.reminders.find((r) => r.id === reminderId) ?? null;
  }
}

/** A waiting reminder job's data from its name and data fields; null for another kind of job or one gone since. */
function reminderDataOf(fields: Array<string | null> | null): ReminderJobData | null {
  const [name, raw] = fields ?? [];
  if (name !== REMINDER_JOB || !raw) return null;
  try {
    const data = JSON.parse(raw) as QueueJobData;
    return isReminderJob(data) ? data : null;
  } catch {
    return null;
  }
}
