/**
 * The reconciler keeps its per-user and per-reminder bookkeeping in OffHeapIndex (outside V8's
 * heap, so the worker's memory does not grow with the store): it must answer exactly as a Map
 * would, through growth, deletes, keys that differ in one byte, and keys that are not ASCII.
 * And it reads a page of waiting jobs' names and data in one script, which must not fail the
 * pass on one odd entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidedButUnsent } from '../jobs/decided-unsent.js';
import { DeliveryLedger } from '../jobs/delivery-ledger.js';
import { OffHeapIndex } from '../jobs/off-heap-index.js';
import { Reconciler } from '../jobs/reconciler.js';
import { reminderJobId, type ReminderJobData } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { ReminderScheduler } from '../jobs/scheduler.js';
import { UserJobs } from '../jobs/user-jobs.js';
import { silentLog } from '../src/log.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { seedCoolingCase } from './helpers/reminder-fixtures.js';

/** A small seeded PRNG, so a failure replays. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

describe('OffHeapIndex', () => {
  it('agrees with a Map through 20,000 random sets, deletes and reads', () => {
    const rand = prng(17);
    const keyOf = (n: number): string => {
      const i = Math.floor(rand() * n);
      // Job ids, user keys with braces and colons, one differing only in a multi-byte character.
      return [`r-AbCdEfGh-c${i}-cooling-case`, `pfx:{slack:T1:U${i}}:user`, `é${i}☃`, `😀${i}`][i % 4]!;
    };
    const index = new OffHeapIndex();
    const map = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = keyOf(6_000);
      const op = rand();
      if (op < 0.55) {
        const value = rand() < 0.1 ? NaN : Math.floor(rand() * 2 ** 45);
        index.set(key, value);
        map.set(key, value);
      } else if (op < 0.8) {
        expect(index.delete(key)).toBe(map.delete(key));
      } else {
        expect(index.get(key)).toEqual(map.get(key));
        expect(index.has(key)).toBe(map.has(key));
      }
      expect(index.size).toBe(map.size);
    }
    for (const [key, value] of map) expect(index.get(key)).toEqual(value);
    expect([...index.keys()].sort()).toEqual([...map.keys()].sort());
  });

  it('tells apart keys that share a prefix, and the empty key', () => {
    const index = new OffHeapIndex();
    index.set('r-x-c1-a', 1);
    index.set('r-x-c1-ab', 2);
    index.set('', 3);
    expect(index.get('r-x-c1-a')).toBe(1);
    expect(index.get('r-x-c1-ab')).toBe(2);
    expect(index.get('r-x-c1-')).toBeUndefined();
    expect(index.get('')).toBe(3);
    expect(index.delete('r-x-c1-a')).toBe(true);
    expect(index.get('r-x-c1-ab')).toBe(2);
    index.set('r-x-c1-a', 4);
    expect(index.get('r-x-c1-a')).toBe(4);
    expect(index.size).toBe(3);
  });
});

describe('reconciler, reading a page of waiting jobs in one script', () => {
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

  it('passes over a waiting id whose hash is gone or is not a hash, and still retimes the job after it', async () => {
    const base = Date.now() + 10 * 24 * 3600_000;
    const ok = await seedCoolingCase(rt.store, { platform: 'console', tenant: '', id: 'ok' }, 'c1', new Date(base));
    const stale = await seedCoolingCase(rt.store, { platform: 'console', tenant: '', id: 'stale' }, 'c2', new Date(base + 60_000));
    await rt.scheduler.schedule(ok.user, ok.caseId, ok.reminder);
    await rt.scheduler.schedule(stale.user, stale.caseId, { ...stale.reminder, at: new Date(base + 3_600_000).toISOString() });
    // Listed as delayed, ahead of the real jobs: one with no hash, one whose key holds a string.
    await rt.jobsRedis.zadd(rt.queue.toKey('delayed'), 1, 'r-gone', 2, 'r-string');
    await rt.jobsRedis.set(rt.queue.toKey('r-string'), 'not a hash');

    const ledger = new DeliveryLedger(rt.jobsRedis, rt.keys);
    const userJobs = new UserJobs(rt.queue, rt.jobsRedis);
    const scheduler = new ReminderScheduler(rt.queue, silentLog, Date.now, decidedButUnsent(rt.store, ledger), userJobs);
    const report = await new Reconciler(rt.jobsRedis, rt.keys, rt.store, rt.queue, scheduler, ledger, silentLog, userJobs).run();

    expect(report).toEqual({ users: 2, planned: 2, created: 0, retimed: 1, removed: 0, revived: 0, forgotten: 0 });
    const at = async (s: typeof ok): Promise<string | undefined> => ((await rt.queue.getJob(reminderJobId(s.user, s.caseId, s.reminder.id)))?.data as ReminderJobData | undefined)?.at;
    expect(await at(stale)).toBe(stale.reminder.at);
    expect(await at(ok)).toBe(ok.reminder.at);
  });
});
