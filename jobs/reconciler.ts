import type { Redis } from 'ioredis';
import type { Log } from '../src/log.js';
import type { Case, PlannedReminder } from '../src/model/case.js';
import { userKey, type UserRef, type UserState } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';
import { decodeCase, decodeUser } from '../src/store/redis-store.js';
import type { Store } from '../src/store/store.js';
import { scanEach } from '../src/runtime/redis-connection.js';
import { OffHeapIndex } from './off-heap-index.js';
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
 * A planned time as a number for OffHeapIndex: the instant, when the string is exactly what
 * toISOString writes for it (as the engine writes them), else NaN and the string kept aside, so
 * that comparing with a job's `at` stays a comparison of the strings.
 */
function atValue(at: string, odd: Map<string, string>, id: string): number {
  const ms = Date.parse(at);
  if (!Number.isNaN(ms) && new Date(ms).toISOString() === at) return ms;
  odd.set(id, at);
  return NaN;
}

function atOf(value: number, odd: Map<string, string>, id: string): string | undefined {
  return Number.isNaN(value) ? odd.get(id) : new Date(value).toISOString();
}

/**
 * Name and data of each job hash in KEYS, flat: nil for a missing hash or field, and for a key
 * that is not a hash (as a failed HMGET of its own gave before). "or false" because a nil in a
 * Lua table would cut the reply short there.
 */
const NAMES_AND_DATA_LUA = `
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.pcall('HMGET', key, 'name', 'data')
  if v.err then v = {} end
  out[2 * i - 1] = v[1] or false
  out[2 * i] = v[2] or false
end
return out
`;

/**
 * Small pages: what a page has read and decoded is alive when a scavenge comes, and V8 promotes
 * it to the old generation, which is let grow well past what lives there before it is
 * collected. At 100,000 users the worker's start-up peak was 306-309 MiB with SCAN COUNT 1,000
 * and pages of 1,000 jobs, 254-256 MiB with these; the pass no slower within the noise, with
 * ~9 commands more per 1,000 users (a page's SCAN and two MGETs).
 */
const SCAN_COUNT = 100;
const PAGE = 250;
// Only jobs that still wait are compared: a running one follows the plan by itself.
const WAITING_STATES = ['delayed', 'wait', 'prioritized'] as const;

/**
 * Makes the queue agree with the cases, which are the source of truth. Each fix re-reads its
 * case first, so a plan changed while this ran is never undone.
 *
 * Its reads go a page at a time (a SCAN page of users, a page of job ids), each page's reads
 * sent together: one round trip per user and per job made a pass over 100,000 users take over
 * ten seconds. A job is compared by its name and data only (not loaded whole) unless it needs
 * fixing. What it keeps for the whole pass (the users seen, each planned reminder's job id and
 * time) is outside V8's heap: see OffHeapIndex.
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
    // Every planned reminder not yet matched with a job, by job id; what is left at the end has
    // none. Only its time is kept: the few left at the end are looked up again.
    const wanted = new OffHeapIndex();
    const odd = new Map<string, string>();
    const users = await this.eachPlanned((id, _user, _caseId, r) => wanted.set(id, atValue(r.at, odd, id)));
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
          const fields = await this.namesAndData(ids);
          const data = ids.map((_, i) => reminderDataOf(fields[2 * i] ?? null, fields[2 * i + 1] ?? null));
          for (let i = 0; i < ids.length; i++) {
            const id = ids[i]!;
            const d = data[i];
            if (!d) continue;
            const want = wanted.get(id);
            wanted.delete(id);
            if (want !== undefined && atOf(want, odd, id) === d.at) continue;
            const fix = await this.follow(id, d);
            if (fix) report[fix]++;
          }
        }
        if (ids.length < PAGE) break;
      }
    }
    const missing: Array<{ id: string; user: UserRef; caseId: string; reminderId: string }> = [];
    if (wanted.size > 0) {
      await this.eachPlanned((id, user, caseId, r) => {
        if (wanted.delete(id)) missing.push({ id, user, caseId, reminderId: r.id });
      });
    }
    for (const { id, user, caseId, reminderId } of missing) {
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
   * Each job's name and data, two values per id in one flat list. One script for the page: the
   * jobs share the queue's slot, and a pipelined HMGET per job made ioredis allocate ~3.6 kB per
   * job (its command objects, promises and reply arrays), half the garbage of a pass.
   */
  private async namesAndData(ids: readonly string[]): Promise<Array<string | null>> {
    if (ids.length === 0) return [];
    return (await this.redis.eval(NAMES_AND_DATA_LUA, ids.length, ...ids.map((id) => this.queue.toKey(id)))) as Array<string | null>;
  }

  /**
   * One command per key, sent together: a pipeline on one server (one write for the page);
   * on a Cluster, where a pipeline must stay in one slot, concurrent commands instead.
   */
  private async readEach(command: 'GET', calls: ReadonlyArray<readonly string[]>): Promise<unknown[]> {
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

  /**
   * Every planned reminder of every user's open case, to `visit`, a SCAN page of users at a
   * time; returns how many users had a readable record. A key SCAN returns twice is read once.
   */
  private async eachPlanned(visit: (id: string, user: UserRef, caseId: string, r: PlannedReminder) => void): Promise<number> {
    let users = 0;
    const counted = new OffHeapIndex();
    // Every primary of a Cluster holds some of the users.
    await scanEach(this.redis, this.keys.userRecordPattern(), SCAN_COUNT, async (found) => {
      const fresh = found.filter((key) => !counted.has(key));
      for (const key of fresh) counted.set(key, 0);
      for (const plan of await this.pageOfCases(fresh)) {
        if (!plan) continue;
        users++;
        for (const c of plan.cases) {
          if (c.stage === 'closed') continue;
          for (const r of c.reminders) visit(reminderJobId(plan.user, c.id, r.id), plan.user, c.id, r);
        }
      }
    });
    return users;
  }

  /**
   * The open cases of the users whose records these are; null for a record that is gone or
   * unreadable. Each record and case decoded as the store does (version header, schema), and a
   * user whose cases the store could not load has none, as with store.loadCases.
   */
  private async pageOfCases(userKeys: readonly string[]): Promise<Array<{ user: UserRef; cases: Case[] } | null>> {
    const users = (await this.readValues(userKeys)).map((raw, i) => userOf(userKeys[i]!, raw));
    if (this.redis.isCluster) {
      // Each user's cases are in their own slot: one MGET per user, sent concurrently.
      return Promise.all(users.map(async (u) => (u ? { user: u.user, cases: await this.store.loadCases(u.user, u.openCases).catch(() => []) } : null)));
    }
    // One server: one MGET for the page's cases, as for its users (a GET and an MGET per user
    // were two commands for Redis and two command objects for ioredis each: 3 commands per
    // user in a pass, now 1, and less garbage).
    const caseKeys = users.flatMap((u) => (u ? u.openCases.map((id) => this.keys.case(u.user, id)) : []));
    const raws = await this.readValues(caseKeys);
    let next = 0;
    return users.map((u) => {
      if (!u) return null;
      const from = next;
      next += u.openCases.length;
      const cases: Case[] = [];
      try {
        u.openCases.forEach((id, k) => {
          const raw = raws[from + k];
          if (raw !== null && raw !== undefined) cases.push(decodeCase(raw, caseKeys[from + k]!, id));
        });
      } catch {
        return { user: u.user, cases: [] };
      }
      return { user: u.user, cases };
    });
  }

  /** Values of keys in any slots: one MGET on one server, concurrent GETs on a Cluster. */
  private async readValues(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    if (this.redis.isCluster) return (await this.readEach('GET', keys.map((key) => [key]))).map((v) => (typeof v === 'string' ? v : null));
    return this.redis.mget(...keys);
  }

  private async freshPlan(user: UserRef, caseId: string, reminderId: string): Promise<PlannedReminder | null> {
    const c = await this.store.loadCase(user, caseId).catch(() => null);
    if (!c || c.stage === 'closed') return null;
    return c.reminders.find((r) => r.id === reminderId) ?? null;
  }
}

/** A user record's user and open cases; null for one that is gone or unreadable. */
function userOf(key: string, raw: string | null): { user: UserRef; openCases: string[] } | null {
  if (!raw) return null;
  let state: UserState;
  try {
    // Decoded as the store does (version header, schema); the record names its user.
    state = decodeUser(raw, key);
  } catch {
    return null;
  }
  const user = state.user;
  if (typeof user?.id !== 'string' || typeof user.platform !== 'string') return null;
  return { user, openCases: state.openCases };
}

/** A waiting reminder job's data from its name and data fields; null for another kind of job or one gone since. */
function reminderDataOf(name: string | null, raw: string | null): ReminderJobData | null {
  if (name !== REMINDER_JOB || !raw) return null;
  try {
    const data = JSON.parse(raw) as QueueJobData;
    return isReminderJob(data) ? data : null;
  } catch {
    return null;
  }
}
