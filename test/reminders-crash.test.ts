import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { startWorker, type RunningWorker } from '../jobs/worker.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { HttpNotifier } from './helpers/http-notifier.js';
import { startNotifyServer, type NotifyServer } from './helpers/notify-server.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { reminderJobsPending, seedCoolingCase } from './helpers/reminder-fixtures.js';
import { closeWorker } from './helpers/close-worker.js';
import { entryArgs } from './helpers/app-entry.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./helpers/worker-process.ts', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Seeds `count` users, one reminder each, due from `firstInMs` on, spread over `spreadMs`. */
async function seedBurst(rt: Runtime, count: number, firstInMs: number, spreadMs: number): Promise<UserRef[]> {
  const users: UserRef[] = [];
  const start = Date.now() + firstInMs;
  for (let i = 0; i < count; i++) {
    const user: UserRef = { platform: 'console', tenant: '', id: `u${i}` };
    const s = await seedCoolingCase(rt.store, user, `c${i}`, new Date(start + Math.floor((i * spreadMs) / count)));
    await rt.scheduler.schedule(user, s.caseId, s.reminder);
    users.push(user);
  }
  return users;
}

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, entryArgs(WORKER_SCRIPT), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => child.kill('SIGKILL'));
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${err}`)));
  });
}

function perKey(server: NotifyServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of server.posts) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
  return counts;
}

describe('exactly once through crashes (real processes, real Redis)', () => {
  it('a worker SIGKILLed in the middle of a burst: every reminder still arrives exactly once', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const notify = await startNotifyServer();
    cleanups.push(() => notify.close());
    // Each send takes a moment, so the kill surely lands with sends in flight.
    notify.latencyMs = 25;
    const prefix = randomPrefix();
    const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog);
    cleanups.push(() => rt.close());
    const N = 300;
    const env = { REDIS_URL: redis.url, PREFIX: prefix, NOTIFY_URL: notify.url, CONCURRENCY: '20', LOCK_MS: '2000' };
    const [doomed, survivor] = await Promise.all([spawnWorker(env), spawnWorker(env)]);
    await seedBurst(rt, N, 1_500, 1_000);

    await waitFor('a quarter of the burst', () => notify.posts.length >= N / 4, 30_000);
    doomed!.kill('SIGKILL');
    const sentBeforeKill = notify.posts.length;
    await waitFor('every reminder', () => perKey(notify).size === N, 60_000).catch(async (e) => {
      const failed = await rt.queue.getJobs(['failed']);
      console.error('UNIQUE', perKey(notify).size, 'POSTS', notify.posts.length, await rt.queue.getJobCounts(), failed.slice(0, 3).map((j) => j.failedReason));
      throw e;
    });
    // Until no job can run again: the killed worker's jobs stay "active" until the survivor's
    // stalled check (lock 2 s, every 1 s) hands them on, and a re-run would send a second time.
    await waitFor('every job done, the killed worker\'s taken over', async () => (await reminderJobsPending(rt.queue)) === 0, 30_000);

    const counts = perKey(notify);
    expect(sentBeforeKill).toBeLessThan(N);
    expect(counts.size).toBe(N);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(notify.posts).toHaveLength(N);
    expect(new Set(notify.posts.map((p) => p.user)).size).toBe(N);

    // SIGTERM: the survivor finishes what it holds and exits cleanly within the 10 s allowed.
    const stoppedAt = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      survivor!.once('exit', (c) => resolve(c));
      survivor!.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  }, 120_000);

  it('Redis restarted (AOF) in the middle of deliveries: nothing lost, nothing twice', async () => {
    const redis: TestRedis = await startRedis({ aof: true });
    cleanups.push(() => redis.stop());
    const notify = await startNotifyServer();
    cleanups.push(() => notify.close());
    notify.latencyMs = 10;
    const prefix = randomPrefix();
    const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog);
    cleanups.push(() => rt.close());
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const N = 120;
    await seedBurst(rt, N, 1_500, 2_000);
    let worker: RunningWorker | null = null;
    cleanups.push(async () => {
      await closeWorker(worker, 2_000);
      connection.disconnect();
    });
    worker = await startWorker({
      connection,
      keyPrefix: prefix,
      engine: rt.engine,
      store: rt.store,
      notifiers: { console: new HttpNotifier(notify.url) },
      concurrency: 10,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
    });
    await waitFor('some deliveries', () => notify.posts.length >= 20, 30_000);
    await redis.restart();
    await waitFor('every reminder', () => perKey(notify).size === N, 90_000);
    // A job the restart cut off mid-send runs again once its lock expires: wait until none can.
    await waitFor('every job done', async () => (await reminderJobsPending(rt.queue)) === 0, 30_000);
    const counts = perKey(notify);
    expect(counts.size).toBe(N);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(notify.posts).toHaveLength(N);
  }, 150_000);
});
