/**
 * `npx tsx bench/embedded-turn.ts` — one console turn's store work (load user and case, commit
 * both) on the embedded SQLite store against a throwaway Redis in the same run, one at a time
 * as a console does. Prints p50/p99 per store and their ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { EmbeddedDb } from '../src/store/embedded-db.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { RedisStore } from '../src/store/redis-store.js';
import type { Store } from '../src/store/store.js';
import { makeCase, makeUser, userRef } from '../test/helpers/fixtures.js';
import { randomPrefix, startRedis } from '../test/helpers/redis-server.js';
import { nsToMs, percentiles } from './stats.js';

const WARMUP = 200;
const TURNS = 2_000;

async function turns(store: Store): Promise<number[]> {
  const me = userRef('U_BENCH', 'console', '');
  await store.commit({ user: makeUser(me, { openCases: ['c1'] }), expectedUserVersion: null, cases: [{ case: makeCase(me, 'c1'), expectedVersion: null }] });
  const took: number[] = [];
  for (let i = 0; i < WARMUP + TURNS; i++) {
    const start = process.hrtime.bigint();
    const [user, c] = await Promise.all([store.loadUser(me), store.loadCase(me, 'c1')]);
    if (!user || !c) throw new Error('seeded records vanished');
    const ok = await store.commit({ user: { ...user, version: user.version + 1 }, expectedUserVersion: user.version, cases: [{ case: { ...c, version: c.version + 1 }, expectedVersion: c.version }] });
    if (!ok) throw new Error('lost a race with nobody');
    if (i >= WARMUP) took.push(nsToMs(process.hrtime.bigint() - start));
  }
  return took;
}

const redisServer = await startRedis({ allowExternal: false, aof: true });
const redisStore = new RedisStore(new Redis(redisServer.url), randomPrefix());
const dir = mkdtempSync(join(os.tmpdir(), 'offboard-bench-embedded-'));
const embedded = new EmbeddedStore(new EmbeddedDb(dir));
try {
  const [r50, r99] = percentiles(await turns(redisStore), [50, 99]);
  const [e50, e99] = percentiles(await turns(embedded), [50, 99]);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`${os.cpus().length} × ${cpu}, Node ${process.version}, ${TURNS} sequential turns each, fsync on every commit for both (AOF appendfsync always / SQLite synchronous=FULL)`);
  console.log(`redis    turn p50 ${r50!.toFixed(3)} ms  p99 ${r99!.toFixed(3)} ms`);
  console.log(`embedded turn p50 ${e50!.toFixed(3)} ms  p99 ${e99!.toFixed(3)} ms`);
  console.log(`embedded / redis: p50 ×${(e50! / r50!).toFixed(2)}, p99 ×${(e99! / r99!).toFixed(2)}`);
} finally {
  await redisStore.close();
  await embedded.close();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
