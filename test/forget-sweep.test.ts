/**
 * `forget` while a worker holds one of the user's reminder jobs, past the point where its run
 * looks for the user: the forget cannot remove the job, and BullMQ's completion of it writes an
 * event naming it afterwards. The forget leaves a sweep job for that; once the held job ended,
 * the sweep clears what it left, and nothing names the user. Real Redis, BullMQ, worker.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGET_SWEEP_JOB, REMINDER_QUEUE, isForgetSweep, queuePrefix, reminderJobId, reminderJobOwner, type QueueJobData } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { startWorker, type RunningWorker } from '../jobs/worker.js';
import { silentLog } from '../src/log.js';
import type { PlannedReminder } from '../src/model/case.js';
import { makeCase, makeUser, userRef } from './helpers/fixtures.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const WAIT_MS = 20_000;
let server: TestRedis;
let rt: Runtime;
let look: Redis;
let holder: Worker<QueueJobData> | undefined;
let worker: RunningWorker | undefined;
const keyPrefix = randomPrefix();

beforeAll(async () => {
  server = await startRedis();
  look = new Redis(server.url);
  rt = openRuntime({ redisUrl: server.url, keyPrefix }, silentLog);
});
afterAll(async () => {
  await worker?.close(5_000);
  await holder?.close(true);
  await rt?.close();
  look?.disconnect();
  await server?.stop();
});

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every key and value of this test's prefix, as text (streams and hashes included). */
async function everything(): Promise<string[]> {
  const out: string[] = [];
  for (const key of await look.keys(`*${keyPrefix}*`)) {
    const type = await look.type(key);
    const value =
      type === 'string' ? await look.get(key)
      : type === 'hash' ? await look.hgetall(key)
      : type === 'stream' ? await look.xrange(key, '-', '+')
      : type === 'zset' ? await look.zrange(key, "0", "-1")
      : type === 'list' ? await look.lrange(key, 0, -1)
      : type === 'set' ? await look.smembers(key)
      : type;
    out.push(`${key} ${JSON.stringify(value)}`);
  }
  return out;
}

describe('forget while a worker holds the user\'s job', () => {
  it('leaves a sweep (named by no one) that clears after the held job once it ended', async () => {
    const ana = userRef('U_SWEEP_ANA');
    const reminder: PlannedReminder = { id: 'coolingEnd-case', kind: 'coolingEnd', subject: 'case', at: new Date(Date.now() - 1_000).toISOString() };
    const c = makeCase(ana, 'sweepcase1', { reminders: [reminder] });
    expect(await rt.store.commit({ user: makeUser(ana, { openCases: [c.id] }), expectedUserVersion: null, cases: [{ case: c, expectedVersion: null }] })).toBe(true);
    await rt.scheduler.schedule(ana, c.id, reminder);
    const jobId = reminderJobId(ana, c.id, reminder.id);

    // Another process's worker holds the job (its lock), as a run past its end script would.
    holder = new Worker<QueueJobData>(REMINDER_QUEUE, null, { connection: new Redis(server.url, { maxRetriesPerRequest: null }), prefix: queuePrefix(keyPrefix) });
    const token = 'held-by-test';
    let held: Job<QueueJobData> | undefined;
    await until('the job is taken', async () => {
      held = (await holder!.getNextJob(token)) ?? undefined;
      return held?.id === jobId;
    });

    await rt.store.forgetUser(ana);
    await rt.scheduler.apply(ana, [{ kind: 'forgetUser' }], [c]);
    expect(await rt.queue.getJobState(jobId)).toBe('active');
    const sweeps = (await rt.queue.getJobs(['delayed'])).filter((j) => j.name === FORGET_SWEEP_JOB);
    expect(sweeps).toHaveLength(1);
    expect(isForgetSweep(sweeps[0]!.data)).toBe(true);
    // Its id says nothing about whose it is; only its data (gone once it ran) does.
    expect(sweeps[0]!.id).not.toContain(reminderJobOwner(ana));

    // The held run ends: BullMQ's completion writes its event, naming the job (and so the case).
    await held!.moveToCompleted('sent', token, false);
    const needles = [ana.id, c.id, `r-${reminderJobOwner(ana)}-`];
    const naming = async () => (await everything()).filter((line) => needles.some((n) => line.includes(n)));
    expect((await naming()).length).toBeGreaterThan(0);

    worker = await startWorker({ connection: rt.jobsRedis, keyPrefix, engine: rt.engine, store: rt.store, notifiers: {}, log: silentLog, concurrency: 2 });
    await sweeps[0]!.promote();
    await until('nothing names the forgotten user', async () => (await naming()).length === 0 && (await rt.queue.getJob(sweeps[0]!.id!)) === undefined);
  });
});
