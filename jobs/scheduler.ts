import { randomUUID } from 'node:crypto';
import type { EffectSink } from '../src/engine/effects.js';
import type { Case, PlannedReminder } from '../src/model/case.js';
import type { Effect } from '../src/model/effect.js';
import type { UserRef } from '../src/model/user.js';
import type { Log } from '../src/log.js';
import { silentLog } from '../src/log.js';
import { REMINDER_JOB_OPTIONS, type ReminderQueue } from './queue.js';
import { FORGET_SWEEP_JOB, REMINDER_JOB, reminderJobId, type ReminderJobData } from './reminder-job.js';
import type { UserJobs } from './user-jobs.js';

// 10 s, then 20, 40 … about 10 minutes in all: longer than a job's lock lasts once its worker died.
const FORGET_SWEEP_OPTIONS = { delay: 10_000, attempts: 7, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: true } as const;

export interface SchedulerCounts {
  scheduled: number;
  cancelled: number;
}

/**
 * Carries out the engine's schedule / cancel effects as delayed BullMQ jobs. A job that is
 * running right now cannot be removed; it re-reads the case and follows the plan itself.
 */
export class ReminderScheduler implements EffectSink {
  readonly counts: SchedulerCounts = { scheduled: 0, cancelled: 0 };
  /** Told about each job added or removed (metrics); must not throw. */
  onChange: ((change: keyof SchedulerCounts) => void) | undefined;

  constructor(
    private readonly queue: ReminderQueue,
    private readonly log: Log = silentLog,
    private readonly clock: () => number = Date.now,
    /** Jobs that must stay although the plan changed (their message is decided, not sent). */
    private readonly mustStay: (d: ReminderJobData) => Promise<boolean> = async () => false,
    /** Finds a forgotten user's jobs that no plan names any more (failed, closed cases). */
    private readonly userJobs?: UserJobs,
  ) {}

  async apply(user: UserRef, effects: readonly Effect[], cases: readonly Case[]): Promise<void> {
    for (const e of effects) {
      try {
        if (e.kind === 'schedule') await this.schedule(user, e.caseId, e.reminder);
        else if (e.kind === 'cancel') await this.cancel(user, e.caseId, e.reminderId);
        else await this.forget(user, cases);
      } catch (err) {
        // The turn is already saved and the case holds the plan: the reconciler brings the
        // queue back in line, so the user's answer must not turn into an error here.
        this.log.warn({ effect: e.kind, err: err instanceof Error ? err.message : String(err) }, 'reminder job not updated; the reconciler will');
      }
    }
  }

  /** Every job of the user, in any state: the planned ones by id, then whatever else is left. */
  private async forget(user: UserRef, cases: readonly Case[]): Promise<void> {
    for (const c of cases) for (const r of c.reminders) await this.cancel(user, c.id, r.id);
    const purged = await this.userJobs?.removeAll(user);
    if (!purged?.locked) return;
    this.log.info({ locked: purged.locked }, 'a forgotten user\'s reminder is running; it finds the user gone, and a sweep clears after it');
    // The run may be past the point where it looks for the user: the sweep comes after it ends,
    // again with a back-off while it still runs (a slow send, a worker that died holding it).
    await this.queue.add(FORGET_SWEEP_JOB, { forgotten: user }, { jobId: `sweep-${randomUUID()}`, ...FORGET_SWEEP_OPTIONS });
  }

  async schedule(user: UserRef, caseId: string, r: PlannedReminder): Promise<void> {
    const jobId = reminderJobId(user, caseId, r.id);
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      const same = (existing.data as Partial<ReminderJobData>).at === r.at;
      if (same && state !== 'failed' && state !== 'completed') return;
      // A running job, or one whose message is decided but unsent, follows the plan itself
      // once it has sent (see ReminderDelivery.followPlan).
      if (state === 'active') return;
      if (await this.mustStay(existing.data as ReminderJobData)) return;
      await existing.remove().catch((err: unknown) => this.log.warn({ jobId, err: String(err) }, 'could not replace reminder job'));
    }
    const data: ReminderJobData = { user, caseId, reminderId: r.id, kind: r.kind, subject: r.subject, at: r.at };
    await this.queue.add(REMINDER_JOB, data, { ...REMINDER_JOB_OPTIONS, jobId, delay: Math.max(0, Date.parse(r.at) - this.clock()) });
    this.counts.scheduled++;
    this.onChange?.('scheduled');
  }

  async cancel(user: UserRef, caseId: string, reminderId: string): Promise<void> {
    const jobId = reminderJobId(user, caseId, reminderId);
    // 0 = locked by a worker: that run finds the reminder no longer planned and drops it.
    const removed = await this.queue.remove(jobId);
    if (removed) {
      this.counts.cancelled++;
      this.onChange?.('cancelled');
    }
  }
}
