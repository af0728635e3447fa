import type { ReminderQueue } from '../../jobs/queue.js';
import { isReminderJob, REMINDER_JOB, reminderJobId } from '../../jobs/reminder-job.js';
import type { ReminderScheduler } from '../../jobs/scheduler.js';
import type { Case, PlannedReminder, ReminderKind } from '../../src/model/case.js';
import type { Settings } from '../../src/model/settings.js';
import type { UserRef, UserState } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';
import { makeCase, makeUser } from './fixtures.js';

/** Working hours around the clock: a late reminder is never held back for the morning. */
export const ALWAYS_WORKING: Partial<Settings> = { timeZone: 'UTC', workdayStart: '00:00', workdayEnd: '23:59', workdays: [1, 2, 3, 4, 5, 6, 7] };

/** A one-hour working day about half a day away from `now`, so `now` is surely outside it. */
export function hoursAwayFrom(now: Date): Partial<Settings> {
  const start = Math.min((now.getUTCHours() + 12) % 24, 22);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { timeZone: 'UTC', workdayStart: hh(start), workdayEnd: hh(start + 1), workdays: [1, 2, 3, 4, 5, 6, 7] };
}

export interface Seeded {
  user: UserRef;
  caseId: string;
  reminder: PlannedReminder;
}

/**
 * A user in the cooling-off wait whose period ends at `at`: exactly the state the engine
 * leaves after "3 days", with its one planned reminder; written through the store's commit.
 */
export async function seedCoolingCase(store: Store, user: UserRef, caseId: string, at: Date, settings: Partial<Settings> = ALWAYS_WORKING, client = 'Acme Ltd'): Promise<Seeded> {
  const reminder: PlannedReminder = { id: 'coolingEnd-case', kind: 'coolingEnd', subject: 'case', at: at.toISOString() };
  const existing = await store.loadUser(user);
  const base: UserState = existing ?? makeUser(user);
  const state: UserState = {
    ...base,
    version: (existing?.version ?? 0) + 1,
    settings: { ...base.settings, ...settings },
    openCases: [...base.openCases, caseId],
  };
  const c: Case = makeCase(user, caseId, {
    client,
    stage: 'cooling',
    step: 'coolWait',
    reasons: ['pushesPrice'],
    coolingOffUntil: at.toISOString(),
    reminders: [reminder],
  });
  const ok = await store.commit({ user: state, expectedUserVersion: existing?.version ?? null, cases: [{ case: c, expectedVersion: null }] });
  if (!ok) throw new Error(`seeding ${caseId} lost a race`);
  return { user, caseId, reminder };
}

export interface BroughtForward {
  caseId: string;
  reminder: PlannedReminder;
  /** The BullMQ job id of the reminder (one per case, kind and subject). */
  jobId: string;
}

/**
 * Moves the user's only case's planned reminder of `kind` to `inMs` from now, in the case
 * and on the queue, as if the user had picked that moment: tests cannot wait a day.
 */
export async function bringForward(rt: { store: Store; scheduler: ReminderScheduler }, user: UserRef, kind: ReminderKind, inMs: number): Promise<BroughtForward> {
  const state = await rt.store.loadUser(user);
  if (!state) throw new Error(`${user.id} is not stored`);
  const [c] = await rt.store.loadCases(user, state.openCases);
  if (!c) throw new Error(`${user.id} has no open case`);
  const planned = c.reminders.find((r) => r.kind === kind);
  if (!planned) throw new Error(`no ${kind} reminder planned on ${c.id}: ${JSON.stringify(c.reminders)}`);
  const reminder: PlannedReminder = { ...planned, at: new Date(Date.now() + inMs).toISOString() };
  const moved: Case = {
    ...c,
    // The reminder turn checks the wait is over; a cooling-off reminder moved alone would be moot.
    ...(kind === 'coolingEnd' ? { coolingOffUntil: reminder.at } : {}),
    reminders: c.reminders.map((r) => (r.id === planned.id ? reminder : r)),
    version: c.version + 1,
  };
  const ok = await rt.store.commit({ user: state, expectedUserVersion: state.version, cases: [{ case: moved, expectedVersion: c.version }] });
  if (!ok) throw new Error('bringing the reminder forward lost a race (is a turn still running?)');
  await rt.scheduler.schedule(user, c.id, reminder);
  return { caseId: c.id, reminder, jobId: reminderJobId(user, c.id, reminder.id) };
}

/** How far ahead a delayed reminder job still counts as about to run (see reminderJobsPending). */
const SOON_MS = 60_000;

/**
 * Reminder jobs (of `userId`, or anyone's) that can still send something: waiting, running,
 * or delayed and due within a minute (a retry's backoff, a rate limit's wait). Zero means
 * every send there will be has happened, so an "exactly once" check can be made now. A job
 * held by a killed worker stays "active" until a stalled check hands it on, so it counts.
 */
export async function reminderJobsPending(queue: ReminderQueue, userId?: string): Promise<number> {
  const soon = Date.now() + SOON_MS;
  // One getJobs call: it reads every state in one script, so a job moving between states
  // (delayed → wait → active → delayed) is seen exactly once, never missed between two reads.
  const jobs = await queue.getJobs(['active', 'wait', 'prioritized', 'waiting-children', 'delayed']);
  // A job leaving the delayed set gets delay 0; one put back (moveToDelayed) keeps its first
  // timestamp with the new delay, which makes it look due sooner, never later, than it is.
  return jobs.filter((j) => j && j.name === REMINDER_JOB && isReminderJob(j.data) && (userId === undefined || j.data.user.id === userId) && j.timestamp + j.delay <= soon).length;
}
