/**
 * The delivery's user lock against a real Redis: it comes with the turn's first read and goes
 * with the message's final state and the case read back, each in one script.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserLocks } from '../jobs/user-lock.js';
import { keys, type Keys } from '../src/store/keys.js';
import { RedisStore } from '../src/store/redis-store.js';
import { makeCase, makeUser, userRef } from './helpers/fixtures.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

let server: TestRedis;
let redis: Redis;
let k: Keys;
let store: RedisStore;
let locks: UserLocks;
const ana = userRef('U_ANA');

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  const prefix = randomPrefix();
  k = keys(prefix);
  store = new RedisStore(new Redis(server.url), prefix);
  locks = new UserLocks(redis, k, 5_000);
  const c = makeCase(ana, 'c1');
  expect(await store.commit({ user: makeUser(ana, { openCases: ['c1'] }), expectedUserVersion: null, cases: [{ case: c, expectedVersion: null }] })).toBe(true);
  return () => store.close();
});

const pointer = (o: string) => k.occurrence(ana, o);

describe('UserLocks', () => {
  it('reads the turn with the lock, and a second taker gets nothing until it is released', async () => {
    await redis.set(k.outbox(ana, 'o1'), 'saved');
    await redis.set(pointer('o1'), 'm1');
    const held = await locks.acquire(ana, { caseIds: ['c1', 'gone'], outbox: 'o1', also: pointer('o1') });
    expect(held?.snapshot).toEqual(await store.loadTurn(ana, ['c1', 'gone'], 'o1'));
    expect(held?.snapshot.outbox).toBe('saved');
    expect(held?.also).toBe('m1');
    expect(held?.snapshot.cases.map((c) => c.id)).toEqual(['c1']);
    expect(await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' })).toBeNull();
    await held!.release();
    const again = await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o2', also: pointer('o2') });
    expect(again?.snapshot.outbox).toBeNull();
    expect(again?.also).toBeNull();
    await again!.release();
  });

  it('ends with the final state of a still recorded message and the case as it is now', async () => {
    const msg = k.message(ana, 'm1');
    await redis.hset(msg, 'body', '{}', 'state', 'sending');
    const held = (await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    // The case moves on while the lock is held (a user's turn does not take it).
    const c1 = (await store.loadCase(ana, 'c1'))!;
    expect(await store.commit({ user: (await store.loadUser(ana))!, expectedUserVersion: 1, cases: [{ case: { ...c1, version: 2 }, expectedVersion: 1 }] })).toBe(true);
    // The delivery knew version 1: the case that moved on comes back as stored.
    const after = await held.release({ caseId: 'c1', known: c1, message: { id: 'm1', state: 'sent' } });
    expect(after.case?.version).toBe(2);
    expect(after.case).toEqual(await store.loadCase(ana, 'c1'));
    expect(after.userThere).toBe(true);
    expect(await redis.hget(msg, 'state')).toBe('sent');
    expect(await redis.exists(k.deliveryLock(ana))).toBe(0);
    // A message forgotten meanwhile is not brought back as a bare state.
    const next = (await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    expect(await next.release({ caseId: 'gone', message: { id: 'm2', state: 'sent' } })).toEqual({ case: null, userThere: true });
    expect(await redis.exists(k.message(ana, 'm2'))).toBe(0);
  });

  it('answers with the case the delivery knows while it is unchanged, and says when the user is gone', async () => {
    const known = { ...(await store.loadCase(ana, 'c1'))!, notes: 'as the delivery wrote it' };
    const held = (await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    // Same version as stored: the stored value is not sent back; the known case is the answer.
    const after = await held.release({ caseId: 'c1', known });
    expect(after).toEqual({ case: known, userThere: true });
    await store.forgetUser(ana);
    const gone = (await locks.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    expect(gone.snapshot.user).toBeNull();
    expect(await gone.release({ caseId: 'c1', known })).toEqual({ case: null, userThere: false });
  });

  it('renews every lock in hand while held (one timer for all), and none after release', async () => {
    const short = new UserLocks(redis, k, 2_000);
    const bo = userRef('U_BO');
    const a = (await short.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    const b = (await short.acquire(bo, { caseIds: [], outbox: 'o1', also: 'x' }))!;
    const keysHeld = [k.deliveryLock(ana), k.deliveryLock(bo)];
    let last = await Promise.all(keysHeld.map((key) => redis.pttl(key)));
    // Each lease is seen extended again (its time to live went back up), without a release.
    const renewed = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (renewed.size < keysHeld.length) {
      if (Date.now() > deadline) throw new Error(`not renewed: ${keysHeld.filter((key) => !renewed.has(key)).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
      const now = await Promise.all(keysHeld.map((key) => redis.pttl(key)));
      now.forEach((ttl, i) => {
        if (ttl > last[i]!) renewed.add(keysHeld[i]!);
      });
      last = now;
    }
    expect(await short.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' })).toBeNull();
    await a.release();
    await b.release();
    expect(await redis.exists(...keysHeld)).toBe(0);
  });

  it("never releases a lock another holder took after the lease lapsed", async () => {
    const short = new UserLocks(redis, k, 200);
    const held = (await short.acquire(ana, { caseIds: ['c1'], outbox: 'o1', also: 'x' }))!;
    // The holder stalls past its lease (its renewals stopped): someone else takes the user.
    await redis.set(k.deliveryLock(ana), 'someone-else', 'PX', 5_000);
    await held.release({ caseId: 'c1' });
    expect(await redis.get(k.deliveryLock(ana))).toBe('someone-else');
    await held.release();
    expect(await redis.get(k.deliveryLock(ana))).toBe('someone-else');
  });
});
