import type { Redis } from 'ioredis';
import { userKey, type UserRef } from '../src/model/user.js';
import { scanEach } from '../src/runtime/redis-connection.js';
import type { ReminderQueue } from './queue.js';
import { isReminderJob, reminderJobOwner, type QueueJobData } from './reminder-job.js';

const SCAN_COUNT = 500;
const EVENTS_PAGE = 1_000;

export interface PurgeReport {
  /** Jobs removed, in whatever state they were (delayed, waiting, failed, completed…). */
  removed: number;
  /** Jobs a worker holds right now: they cannot be removed; their run finds the user gone. */
  locked: number;
}

/** Glob metacharacters of Redis's stringmatch, so a prefix is matched literally. */
const globEscape = (text: string): string => text.replace(/[*?[\]\\^]/g, (ch) => `\\${ch}`);

/**
 * Every BullMQ job of one user, in every state, and the queue's event log entries about them.
 * The case plan knows only the reminders still planned, while a failed job (kept a week for
 * the operator) or one of a closed case is no longer in any plan: so the jobs are found by
 * their ids, which begin with a hash of the owner, and checked against their data.
 */
export class UserJobs {
  constructor(
    private readonly queue: ReminderQueue,
    /** Any connection to the queue's Redis (SCAN and the event stream). */
    private readonly redis: Redis,
  ) {}

  async removeAll(user: UserRef): Promise<PurgeReport> {
    const report: PurgeReport = { removed: 0, locked: 0 };
    const owner = reminderJobOwner(user);
    for (const id of await this.jobIdsStartingWith(`r-${owner}-`)) {
      const job = await this.queue.getJob(id);
      // Another user whose owner hash is the same (8 characters can meet): not ours to touch.
      if (!job || !isReminderJob(job.data as QueueJobData) || userKey((job.data as { user: UserRef }).user) !== userKey(user)) continue;
      if ((await this.queue.remove(id)) === 1) report.removed++;
      else report.locked++;
    }
    await this.dropEvents(`r-${owner}-`);
    return report;
  }

  /** Job ids from the queue's per-job keys (`<queue>:<id>`, `<queue>:<id>:logs`, …). */
  private async jobIdsStartingWith(idPrefix: string): Promise<Set<string>> {
    const base = this.queue.toKey('');
    const ids = new Set<string>();
    await scanEach(this.redis, `${globEscape(base)}${globEscape(idPrefix)}*`, SCAN_COUNT, async (found) => {
      // Job ids never hold a colon (reminderJobId refuses one), so the id ends at the next one.
      for (const key of found) ids.add(key.slice(base.length).split(':')[0] ?? '');
    });
    ids.delete('');
    return ids;
  }

  /**
   * The queue's event stream (capped by BullMQ) names jobs by id, and a reminder's id holds
   * its case id: the entries of this user's jobs go too. A live job of another user with the
   * same owner hash keeps its entries.
   */
  private async dropEvents(idPrefix: string): Promise<void> {
    const stream = this.queue.keys['events'];
    if (!stream) return;
    const live = new Map<string, boolean>();
    const stillThere = async (id: string): Promise<boolean> => {
      let known = live.get(id);
      if (known === undefined) {
        known = (await this.queue.getJob(id)) !== undefined;
        live.set(id, known);
      }
      return known;
    };
    let start = '-';
    for (;;) {
      const entries = await this.redis.xrange(stream, start, '+', 'COUNT', EVENTS_PAGE);
      const doomed: string[] = [];
      for (const [entryId, fields] of entries) {
        const at = fields.indexOf('jobId');
        const jobId = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
        if (jobId?.startsWith(idPrefix) && !(await stillThere(jobId))) doomed.push(entryId);
      }
      if (doomed.length > 0) await this.redis.xdel(stream, ...doomed);
      if (entries.length < EVENTS_PAGE) return;
      start = `(${entries.at(-1)?.[0] ?? ''}`;
    }
  }
}
