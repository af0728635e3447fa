/**
 * Seeds many users for `npm run bench -- --scale`, each with one open case in the cooling-off
 * wait and its one pending reminder job, in the layout the product writes: the user record and
 * the case are copies of what the real engine stored for one template user (only the user id
 * differs), and the jobs go through BullMQ's own addBulk with the options and ids the
 * scheduler uses. Pipelined, so 100,000 users take seconds, not the minutes of 100,000 turns.
 */
import { Redis } from 'ioredis';
import { REMINDER_JOB_OPTIONS, type ReminderQueue } from '../jobs/queue.js';
import { REMINDER_JOB, reminderJobId, type ReminderJobData } from '../jobs/reminder-job.js';
import { recordOnly } from '../src/engine/effects.js';
import { Engine } from '../src/engine/engine.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { PlannedReminder } from '../src/model/case.js';
import type { UserRef } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';
import type { Store } from '../src/store/store.js';

/** Long enough that no other string in the records contains it. */
const TEMPLATE_ID = 'Uscaletemplatexq';
const CHUNK = 2_000;
export const CLIENT = 'Acme';
/** The first conversation up to the cooling-off wait ("3 days"): one case, one reminder. */
const LINES = [`start ${CLIENT}`, '1,8', 'skip', 'skip', '1', '2'];
const HINTS = { locale: 'en', timeZone: 'Europe/Berlin' } as const;

export interface Template {
  user: string;
  case: string;
  caseId: string;
  reminder: PlannedReminder;
}

export function scaleUser(i: number): UserRef {
  return { platform: 'slack', tenant: 'T1', id: `U${String(i).padStart(7, '0')}` };
}

/** One real conversation through the engine; its stored records are the seed's pattern. */
export async function makeTemplate(store: Store, redis: Redis, keys: Keys): Promise<Template> {
  const ref: UserRef = { platform: 'slack', tenant: 'T1', id: TEMPLATE_ID };
  const engine = new Engine({ store, effects: recordOnly });
  for (const line of LINES) await engine.handle({ user: ref, inbound: parseTyped(line), hints: HINTS });
  const state = await store.loadUser(ref);
  const caseId = state?.openCases[0];
  const c = caseId ? await store.loadCase(ref, caseId) : null;
  if (!c || c.stage !== 'cooling' || c.reminders.length !== 1) throw new Error(`template case not in the cooling-off wait with one reminder: ${JSON.stringify(c?.stage)} ${JSON.stringify(c?.reminders)}`);
  const [user, kase] = await redis.mget(keys.user(ref), keys.case(ref, c.id));
  if (!user || !kase) throw new Error('template records not found');
  // The template user leaves no trace: the measured store holds only the seeded users.
  await redis.del(keys.user(ref), keys.case(ref, c.id));
  return { user, case: kase, caseId: c.id, reminder: c.reminders[0]! };
}

const forUser = (raw: string, ref: UserRef): string => raw.split(TEMPLATE_ID).join(ref.id);

/** Users [from, to): their user records and cases. */
export async function seedCases(redis: Redis, keys: Keys, t: Template, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += CHUNK) {
    const p = redis.pipeline();
    for (let i = start; i < Math.min(to, start + CHUNK); i++) {
      const ref = scaleUser(i);
      p.set(keys.user(ref), forUser(t.user, ref));
      p.set(keys.case(ref, t.caseId), forUser(t.case, ref));
    }
    const replies = await p.exec();
    const failed = replies?.find(([err]) => err);
    if (failed) throw failed[0];
  }
}

/** Users [from, to): their pending reminder jobs, as ReminderScheduler.schedule adds them. */
export async function seedJobs(queue: ReminderQueue, t: Template, from: number, to: number): Promise<void> {
  const r = t.reminder;
  for (let start = from; start < to; start += CHUNK) {
    const now = Date.now();
    const jobs = [];
    for (let i = start; i < Math.min(to, start + CHUNK); i++) {
      const user = scaleUser(i);
      const data: ReminderJobData = { user, caseId: t.caseId, reminderId: r.id, kind: r.kind, subject: r.subject, at: r.at };
      jobs.push({ name: REMINDER_JOB, data, opts: { ...REMINDER_JOB_OPTIONS, jobId: reminderJobId(user, t.caseId, r.id), delay: Math.max(0, Date.parse(r.at) - now) } });
    }
    await queue.addBulk(jobs);
  }
}
