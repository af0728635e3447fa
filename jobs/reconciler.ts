import type { Redis } from 'ioredis';
import type { Log } from '../src/log.js';
import type { PlannedReminder } from '../src/model/case.js';
import { userKey, type UserRef } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';
import type { Store } from '../src/store/store.js';
import { scanEach } from '../src/runtime/redis-connection.js';
import type { ReminderQueue } from './queue.js';
import { decidedButUnsent } from './decided-unsent.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { REMINDER_JOB, isReminderJob, occurrenceId, reminderJobId, type ReminderJobData } from './reminder-job.js';
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

interface Wanted {
  user: UserRef;
  caseId: string;
  reminder: PlannedReminder;
}

const SCAN_COUNT = 500;
const PAGE = 1_000;
// Only jobs that still wait are compared: a running one follows the plan by itself.
const WAITING_STATES = ['delayed', 'wait', 'prioritized'] as const;

/**
 * Makes the queue agree with the cases, which are the source of truth. Each fix re-reads its
 * case first, so a plan changed while this ran is never undone.
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
    const { wanted, users } = await this.plannedReminders();
    const report: ReconcileReport = { users, planned: wanted.size, created: 0, retimed: 0, removed: 0, revived: 0, forgotten: 0 };
    const gone = new Set<string>();
    const seen = new Set<string>();
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
          seen.add(job.id);
          report.revived++;
        }
      }
      if (failed.length < PAGE) break;
    }
    for (const state of [...WAITING_STATES, 'active'] as const) {
      for (let start = 0; ; start += PAGE) {
        const jobs = await this.queue.getJobs([state], start, start + PAGE - 1, true);
        for (const job of jobs) {
          if (!job?.id || job.name !== REMINDER_JOB || !isReminderJob(job.data)) continue;
          seen.add(job.id);
          if (state === 'active') continue;
          const want = wanted.get(job.id);
          if (want && want.reminder.at === job.data.at) continue;
          // Out of the plan because it was decided: it waits to be sent (backoff, a 429).
          if (await this.mustStay(job.data)) continue;
          const fresh = await this.freshPlan(job.data.user, job.data.caseId, job.data.reminderId);
          if (fresh && fresh.at === job.data.at) continue;
          if (fresh) {
            await this.scheduler.schedule(job.data.user, job.data.caseId, fresh);
            report.retimed++;
          } else if ((await this.queue.remove(job.id)) === 1) {
            report.removed++;
          }
        }
        if (jobs.length < PAGE) break;
      }
    }
    for (const [id, w] of wanted) {
      if (seen.has(id)) continue;
      const fresh = await this.freshPlan(w.user, w.caseId, w.reminder.id);
      if (!fresh) continue;
      await this.scheduler.schedule(w.user, w.caseId, fresh);
      report.created++;
    }
    const fixed = report.created + report.retimed + report.removed + report.revived + report.forgotten;
    (fixed ? this.log.warn : this.log.info)({ ...report }, fixed ? 'reconciler fixed the reminder queue' : 'reminder queue matches the cases');
    return report;
  }

  private async plannedReminders(): Promise<{ wanted: Map<string, Wanted>; users: number }> {
    const wanted = new Map<string, Wanted>();
    let users = 0;
    const counted = new Set<string>();
    // Every primary of a Cluster holds some of the users.
    await scanEach(this.redis, this.keys.userRecordPattern(), SCAN_COUNT, async (found) => {
      for (const key of found) {
        if (counted.has(key)) continue;
        counted.add(key);
        const raw = await this.redis.get(key);
        const ref = raw ? userRefOf(raw) : null;
        if (!ref) continue;
        const state = await this.store.loadUser(ref).catch(() => null);
        if (!state) continue;
        users++;
        for (const c of await this.store.loadCases(ref, state.openCases).catch(() => [])) {
          if (c.stage === 'closed') continue;
          for (const r of c.reminders) wanted.set(reminderJobId(ref, c.id, r.id), { user: ref, caseId: c.id, reminder: r });
        }
      }
    });
    return { wanted, users };
  }

  private async freshPlan(user: UserRef, caseId: string, reminderId: string): Promise<PlannedReminder | null> {
    const c = await this.store.loadCase(user, caseId).catch(() => null);
    if (!c || c.stage === 'closed') return null;
    return c.reminders.find((r) => r.id === reminderId) ?? null;
  }
}

/** The user a stored record belongs to, read from its body (keys are percent-encoded). */
function userRefOf(raw: string): UserRef | null {
  const sep = raw.indexOf('|');
  try {
    const body = JSON.parse(raw.slice(sep + 1)) as { user?: UserRef };
    const u = body.user;
    return u && typeof u.id === 'string' && typeof u.platform === 'string' ? u : null;
  } catch {
    return null;
  }
}
