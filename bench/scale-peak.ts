/**
 * `npx tsx bench/scale-peak.ts [users] [runs]` (default 100,000 users, 2 runs): the worker's
 * start-up alone, without the rest of `--scale` (its turns, forgets and minute-long settling):
 * the store seeded once as `--scale` seeds it, then `npm run worker` started `runs` times, each
 * stopped once ready, for its RSS high-water mark through the start-up reconciliation; then
 * reconciler passes in this process, for their time and Redis commands. For trying changes to
 * the reconciler's memory in a few minutes.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { openRuntime } from '../jobs/runtime.js';
import { silentLog } from '../src/log.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { reconcileOnce } from './scale.js';
import { workerRss } from './scale-processes.js';
import { makeTemplate, seedCases, seedJobs } from './scale-seed.js';

const say = (msg: string): void => void process.stderr.write(`[scale-peak] ${msg}\n`);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 2);
  if (!Number.isSafeInteger(users) || users < 1 || !Number.isSafeInteger(runs) || runs < 0) throw new Error('usage: scale-peak.ts [users] [runs]');
  const redis = await startRedis({ allowExternal: false });
  const prefix = `scale-${randomBytes(4).toString('hex')}`;
  const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog);
  const admin = new Redis(redis.url);
  try {
    const t0 = Date.now();
    const template = await makeTemplate(rt.store, admin, rt.keys);
    await seedCases(admin, rt.keys, template, 0, users);
    await seedJobs(rt.queue, template, 0, users);
    say(`${users} users seeded in ${Date.now() - t0} ms; load ${load()}`);
    for (let i = 0; i < runs; i++) {
      const w = await workerRss(redis.url, prefix, true);
      say(`worker: peak ${mib(w.peakRssBytes)} MiB (VmHWM), highest reading ${mib(w.peakSampledBytes)} MiB, at ready ${mib(w.rssBytes)} MiB, ready in ${w.readyMs} ms; load ${load()}`);
    }
    for (let i = 0; i < 2; i++) {
      const p = await reconcileOnce(rt, admin);
      say(`pass: ${p.ms.toFixed(0)} ms, ${p.commands} commands, ${JSON.stringify(p.report)}; load ${load()}`);
    }
  } finally {
    admin.disconnect();
    await rt.close();
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
