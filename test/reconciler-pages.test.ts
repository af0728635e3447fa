/**
 * The reconciler reads a page at a time (a SCAN page of users, a page of 250 job ids): a
 * job that needs fixing on the second page, one that is missing and an orphan are each found
 * and fixed once, among more than a page of users that need nothing. A page of waiting jobs'
 * names and data is read by one script, which must not fail the pass on one odd entry.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { decidedButUnsent } from '../jobs/decided-unsent.js';
import { DeliveryLedger } from '../jobs/delivery-ledger.js';
import { Reconciler } from '../jobs/reconciler.js';
import { reminderJobId, type ReminderJobData } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { ReminderScheduler } from '../jobs/scheduler.js';
import { UserJobs } from '../jobs/user-jobs.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { seedCoolingCase, type Seeded } from './helpers/reminder-fixtures.js';

const USERS = 1_050;
const DAY = 24 * 3600_000;

let server: TestRedis;
let rt: Runtime;

beforeAll(async () => {
  server = await startRedis();
  rt = openRuntime({ redisUrl: server.url, keyPrefix: randomPrefix() }, silentLog);
});

afterAll(async () => {
  await rt?.close();
  await server?.stop();
});

/** A reconciler as the worker builds one, over `on`'s store and queue. */
function reconciler(on: Runtime = rt): Reconciler {
  const ledger = new DeliveryLedger(on.jobsRedis, on.keys);
  const userJobs = new UserJobs(on.queue, on.jobsRedis);
  const scheduler = new ReminderScheduler(on.queue, silentLog, Date.now, decidedButUnsent(on.store, ledger), userJobs);
  return new Reconciler(on.jobsRedis, on.keys, on.store, on.queue, scheduler, ledger, silentLog, userJobs);
}

const user = (i: number): UserRef => ({ platform: 'console', tenant: '', id: `p${i}` });

async function jobAt(s: Seeded, on: Runtime = rt): Promise<string | undefined> {
  const job = await on.queue.getJob(reminderJobId(s.user, s.caseId, s.reminder.id));
  return (job?.data as ReminderJobData | undefined)?.at;
}

describe('reconciler, more than a page', () => {
  it('creates the missing job, retimes the one on the second page, removes the orphan, and leaves the rest', async () => {
    const base = Date.now() + 10 * DAY;
    const seeded: Seeded[] = [];
    for (let start = 0; start < USERS; start += 50) {
      const batch = Array.from({ length: Math.min(50, USERS - start) }, (_, k) => start + k);
      seeded.push(...(await Promise.all(batch.map((i) => seedCoolingCase(rt.store, user(i), `c${i}`, new Date(base + i * 60_000))))));
    }
    for (let start = 0; start < USERS; start += 50) await Promise.all(seeded.slice(start, start + 50).map((s) => rt.scheduler.schedule(s.user, s.caseId, s.reminder)));

    // Lost: the first user's job.
    const missing = seeded[0]!;
    await rt.queue.remove(reminderJobId(missing.user, missing.caseId, missing.reminder.id));
    // Out of date, and due last, so it sits on the delayed set's last page (pages of 250).
    const stale = seeded[5]!;
    await rt.scheduler.schedule(stale.user, stale.caseId, { ...stale.reminder, at: new Date(base + 30 * DAY).toISOString() });
    // An orphan: a job for a case that does not exist.
    const orphan = { user: user(USERS + 1), caseId: 'c404', reminder: { ...stale.reminder, at: new Date(base).toISOString() } };
    await rt.scheduler.schedule(orphan.user, orphan.caseId, orphan.reminder);
    // One lost, one orphan added.
    expect(await rt.queue.getJobCountByTypes('delayed')).toBe(USERS);

    const report = await reconciler().run();
    expect(report).toEqual({ users: USERS, planned: USERS, created: 1, retimed: 1, removed: 1, revived: 0, forgotten: 0 });
    expect(await jobAt(missing)).toBe(missing.reminder.at);
    expect(await jobAt(stale)).toBe(stale.reminder.at);
    expect(await jobAt(orphan)).toBeUndefined();
    for (const i of [1, 999, 1_000, USERS - 1]) expect(await jobAt(seeded[i]!)).toBe(seeded[i]!.reminder.at);

    expect(await reconciler().run()).toEqual({ users: USERS, planned: USERS, created: 0, retimed: 0, removed: 0, revived: 0, forgotten: 0 });
  }, 60_000);

  it('passes over a waiting id whose hash is gone or is not a hash, and still retimes the job after it', async () => {
    // A store of its own: the report counts every user under its prefix.
    const own = openRuntime({ redisUrl: server.url, keyPrefix: randomPrefix() }, silentLog);
    onTestFinished(() => own.close());
    const base = Date.now() + 10 * 24 * 3600_000;
    const ok = await seedCoolingCase(own.store, { platform: 'console', tenant: '', id: 'ok' }, 'c1', new Date(base));
    const stale = await seedCoolingCase(own.store, { platform: 'console', tenant: '', id: 'stale' }, 'c2', new Date(base + 60_000));
    await own.scheduler.schedule(ok.user, ok.caseId, ok.reminder);
    await own.scheduler.schedule(stale.user, stale.caseId, { ...stale.reminder, at: new Date(base + 3_600_000).toISOString() });
    // Listed as delayed, ahead of the real jobs: one with no hash, one whose key holds a string.
    await own.jobsRedis.zadd(own.queue.toKey('delayed'), 1, 'r-gone', 2, 'r-string');
    await own.jobsRedis.set(own.queue.toKey('r-string'), 'not a hash');

    const report = await reconciler(own).run();

    expect(report).toEqual({ users: 2, planned: 2, created: 0, retimed: 1, removed: 0, revived: 0, forgotten: 0 });
    expect(await jobAt(stale, own)).toBe(stale.reminder.at);
    expect(await jobAt(ok, own)).toBe(ok.reminder.at);
  });
});
