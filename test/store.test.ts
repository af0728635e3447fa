import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OffboardError } from '../src/errors.js';
import type { Case } from '../src/model/case.js';
import type { UserRef, UserState } from '../src/model/user.js';
import { EmbeddedDb } from '../src/store/embedded-db.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { keys, type Keys } from '../src/store/keys.js';
import { RedisStore } from '../src/store/redis-store.js';
import type { Store } from '../src/store/store.js';
import { makeCase, makeUser, userRef } from './helpers/fixtures.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

/** The stored text under a key, seen from outside the Store, for both backends alike. */
interface RawView {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Every live key starting with `start`, sorted. */
  keys(start: string): Promise<string[]>;
  /** Seconds left, Redis-style (-1 no expiry, -2 missing). */
  ttl(key: string): Promise<number>;
}

interface Opened {
  store: Store;
  raw: RawView;
  /** Another handle on the same data: a second connection for Redis; the same store embedded (one process). */
  another(): Store;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open(prefix: string): Promise<Opened>;
}

let server: TestRedis;

const redisBackend: Backend = {
  name: 'RedisStore',
  async open(prefix) {
    const raw = new Redis(server.url);
    const stores: RedisStore[] = [new RedisStore(new Redis(server.url), prefix)];
    const scan = async (start: string): Promise<string[]> => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await raw.scan(cursor, 'MATCH', `${start}*`, 'COUNT', 100);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
      return found.sort();
    };
    return {
      store: stores[0]!,
      raw: {
        get: (key) => raw.get(key),
        set: async (key, value) => void (await raw.set(key, value)),
        keys: scan,
        ttl: (key) => raw.ttl(key),
      },
      another() {
        const s = new RedisStore(new Redis(server.url), prefix);
        stores.push(s);
        return s;
      },
      async close() {
        // Only this test's own prefix is cleaned up; other data on a shared server is never touched.
        for (const key of await scan(`${prefix}:`)) await raw.del(key);
        await Promise.all(stores.map((s) => s.close()));
        await raw.quit();
      },
    };
  },
};

const embeddedBackend: Backend = {
  name: 'EmbeddedStore',
  async open(prefix) {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-embedded-'));
    const db = new EmbeddedDb(dir);
    const store = new EmbeddedStore(db, prefix);
    return {
      store,
      raw: {
        get: async (key) => db.get(key),
        set: async (key, value) => db.set(key, value),
        keys: async (start) => db.keysWithPrefix(start),
        ttl: async (key) => db.ttl(key),
      },
      another: () => store,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

function bump<T extends { version: number }>(value: T, patch: Partial<T> = {}): T {
  return { ...value, ...patch, version: value.version + 1 };
}

async function expectCorrupt(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OffboardError);
  expect((err as OffboardError).code).toBe('corrupt_record');
}

/** A user's keys start with this (the Redis key layout, shared by both backends). */
function userStart(k: Keys, ref: UserRef): string {
  return k.user(ref).slice(0, -'user'.length);
}

describe.each([redisBackend, embeddedBackend])('$name (store contract)', (backend) => {
  const alice = userRef('U_ALICE');
  const bob = userRef('U_BOB');
  let prefix: string;
  let k: Keys;
  let raw: RawView;
  let store: Store;
  let opened: Opened;

  /** Creates a user with the given cases as a fresh commit (expected versions null). */
  async function seed(ref: UserRef, caseIds: string[]): Promise<{ user: UserState; cases: Case[] }> {
    const user = makeUser(ref, { openCases: caseIds });
    const cases = caseIds.map((id) => makeCase(ref, id));
    const ok = await store.commit({
      user,
      expectedUserVersion: null,
      cases: cases.map((c) => ({ case: c, expectedVersion: null })),
    });
    expect(ok).toBe(true);
    return { user, cases };
  }

  async function everything(): Promise<[string, string | null][]> {
    const all = await raw.keys(`${prefix}:`);
    return Promise.all(all.map(async (key) => [key, await raw.get(key)] as [string, string | null]));
  }

  beforeEach(async () => {
    prefix = randomPrefix();
    k = keys(prefix);
    opened = await backend.open(prefix);
    raw = opened.raw;
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
  });
  it('round-trips a user and its cases', async () => {
    const { user, cases } = await seed(alice, ['c1', 'c2']);
    expect(await store.loadUser(alice)).toEqual(user);
    expect(await store.loadCase(alice, 'c1')).toEqual(cases[0]);
    expect(await store.loadCases(alice, ['c2', 'missing', 'c1'])).toEqual([cases[1], cases[0]]);
    expect(await store.loadCases(alice, [])).toEqual([]);
    expect(await store.loadUser(bob)).toBeNull();
    expect(await store.loadCase(alice, 'missing')).toBeNull();
    // Stored compactly with the version readable before the JSON.
    expect(await raw.get(k.user(alice))).toMatch(/^1\|\{"schema":1,/);
  });

  it('applies a commit whose expected versions are current', async () => {
    const { user, cases } = await seed(alice, ['c1']);
    const nextCase = bump(cases[0]!, { pushbacks: 1 });
    const ok = await store.commit({
      user: bump(user),
      expectedUserVersion: 1,
      cases: [{ case: nextCase, expectedVersion: 1 }],
    });
    expect(ok).toBe(true);
    expect(await store.loadCase(alice, 'c1')).toEqual(nextCase);
    expect((await store.loadUser(alice))?.version).toBe(2);
  });

  it('refuses a stale user version and writes nothing', async () => {
    const { user, cases } = await seed(alice, ['c1']);
    const before = await everything();
    const ok = await store.commit({
      user: { ...user, version: 6 },
      expectedUserVersion: 5,
      cases: [{ case: bump(cases[0]!, { pushbacks: 9 }), expectedVersion: 1 }],
    });
    expect(ok).toBe(false);
    expect(await everything()).toEqual(before);
  });

  it('is atomic: a stale case version with a good user version writes neither', async () => {
    const { user, cases } = await seed(alice, ['c1', 'c2']);
    const ok = await store.commit({
      user: bump(user, { focus: { kind: 'case', caseId: 'c1' } }),
      expectedUserVersion: 1,
      cases: [
        { case: bump(cases[0]!, { pushbacks: 1 }), expectedVersion: 1 },
        { case: { ...cases[1]!, version: 4, pushbacks: 1 }, expectedVersion: 3 },
      ],
    });
    expect(ok).toBe(false);
    expect(await store.loadUser(alice)).toEqual(user);
    expect(await store.loadCases(alice, ['c1', 'c2'])).toEqual(cases);
  });

  it('checks a case read but not written: a commit relying on an old version writes nothing', async () => {
    const { user, cases } = await seed(alice, ['c1', 'c2']);
    const read = { caseId: 'c2', version: 1 };
    // Someone else changes c2; a turn that read c2 at version 1 and writes c1 must not land.
    expect(await store.commit({ user, expectedUserVersion: 1, cases: [{ case: bump(cases[1]!, { pushbacks: 1 }), expectedVersion: 1 }] })).toBe(true);
    const before = await everything();
    expect(await store.commit({ user: bump(user), expectedUserVersion: 1, cases: [{ case: bump(cases[0]!, { pushbacks: 2 }), expectedVersion: 1 }], checked: [read] })).toBe(false);
    expect(await everything()).toEqual(before);
    // Read at its current version, the same commit lands, and the checked case is left as it was.
    expect(await store.commit({ user: bump(user), expectedUserVersion: 1, cases: [{ case: bump(cases[0]!, { pushbacks: 2 }), expectedVersion: 1 }], checked: [{ caseId: 'c2', version: 2 }] })).toBe(true);
    expect((await store.loadCase(alice, 'c2'))?.pushbacks).toBe(1);
    expect((await store.loadCase(alice, 'c1'))?.pushbacks).toBe(2);
    // A checked case that is gone fails the check too (forgotten, or never there).
    expect(await store.commit({ user: bump(user, { version: 2 }), expectedUserVersion: 2, cases: [], checked: [{ caseId: 'gone', version: 1 }] })).toBe(false);
  });

  it('never overwrites an existing key when the expected version is null', async () => {
    const { user, cases } = await seed(alice, ['c1']);
    // Existing user, "new" user record.
    expect(await store.commit({ user: makeUser(alice), expectedUserVersion: null, cases: [] })).toBe(false);
    // Good user version, but the "new" case already exists.
    const clash = makeCase(alice, 'c1', { client: 'Other' });
    const ok = await store.commit({
      user: bump(user),
      expectedUserVersion: 1,
      cases: [{ case: clash, expectedVersion: null }],
    });
    expect(ok).toBe(false);
    expect(await store.loadUser(alice)).toEqual(user);
    expect(await store.loadCase(alice, 'c1')).toEqual(cases[0]);
    // And an expected version for a key that does not exist fails too.
    const ghost = makeCase(alice, 'ghost', { version: 2 });
    expect(
      await store.commit({ user: bump(user), expectedUserVersion: 1, cases: [{ case: ghost, expectedVersion: 1 }] }),
    ).toBe(false);
  });

  it('rejects commits that would break the version chain or cross users', async () => {
    const { user, cases } = await seed(alice, ['c1']);
    await expect(store.commit({ user: { ...user, version: 3 }, expectedUserVersion: 1, cases: [] })).rejects.toThrow(RangeError);
    // Same version as expected: the user record is only checked, never rewritten.
    const untouched = await raw.get(k.user(alice));
    expect(await store.commit({ user: { ...user, focus: { kind: 'newCase' } }, expectedUserVersion: 1, cases: [] })).toBe(true);
    expect(await raw.get(k.user(alice))).toBe(untouched);
    const bobs = makeCase(bob, 'b1');
    await expect(
      store.commit({ user: bump(user), expectedUserVersion: 1, cases: [{ case: bobs, expectedVersion: null }] }),
    ).rejects.toThrow(/another user/);
    const twice = bump(cases[0]!);
    await expect(
      store.commit({
        user: bump(user),
        expectedUserVersion: 1,
        cases: [
          { case: twice, expectedVersion: 1 },
          { case: twice, expectedVersion: 1 },
        ],
      }),
    ).rejects.toThrow(/twice/);
  });

  it('claims an event once', async () => {
    expect(await store.claimEvent('Ev123', 60)).toBe(true);
    expect(await store.claimEvent('Ev123', 60)).toBe(false);
    expect(await store.claimEvent('Ev124', 60)).toBe(true);
    const ttl = await raw.ttl(k.event('Ev123'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('saves a turn result with its commit, once, and loads it with the turn', async () => {
    const { user, cases } = await seed(alice, ['c1']);
    const outbox = { id: 'job-1', value: '{"sent":true}', ttlSeconds: 60 };
    const first = { user: bump(user), expectedUserVersion: 1, cases: [{ case: bump(cases[0]!), expectedVersion: 1 }], outbox };
    expect(await store.commit(first)).toBe(true);
    expect(await store.loadOutbox(alice, 'job-1')).toBe('{"sent":true}');
    const turn = await store.loadTurn(alice, ['c1', 'gone'], 'job-1');
    expect(turn).toEqual({ user: first.user, cases: [first.cases[0]!.case], outbox: '{"sent":true}' });
    // A re-run of the same work with fresh versions is still refused: the result is already saved.
    const again = { user: bump(first.user), expectedUserVersion: 2, cases: [], outbox: { ...outbox, value: 'other' } };
    expect(await store.commit(again)).toBe(false);
    expect(await store.loadUser(alice)).toEqual(first.user);
    expect(await store.loadOutbox(alice, 'job-1')).toBe('{"sent":true}');
    const ttl = await raw.ttl(k.outbox(alice, 'job-1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await store.loadTurn(bob, [], 'job-1')).toEqual({ user: null, cases: [], outbox: null });
  });

  it('forgets every key of one user and none of another', async () => {
    await seed(alice, ['c1', 'c2']);
    await seed(bob, ['c1', 'b2']);
    // A case the index no longer lists (e.g. left behind by a crash) must go too.
    await raw.set(k.case(alice, 'orphan'), '1|{}');
    const bobKeys = await raw.keys(userStart(k, bob));
    expect(bobKeys).toHaveLength(3);

    await store.forgetUser(alice);

    expect(await raw.keys(userStart(k, alice))).toEqual([]);
    expect(await raw.keys(`${prefix}:`)).toEqual(bobKeys);
    expect(await store.loadCase(bob, 'c1')).not.toBeNull();
  });

  it('forgets a user whose record is corrupt', async () => {
    await seed(alice, ['c1']);
    await raw.set(k.user(alice), 'not a record');
    await store.forgetUser(alice);
    expect(await raw.keys(`${prefix}:`)).toEqual([]);
  });

  it('reports corrupt records as OffboardError corrupt_record', async () => {
    await seed(alice, ['c1', 'c2', 'c3', 'c4']);
    await raw.set(k.user(alice), '3|{"schema":1,"version":3,');
    await raw.set(k.case(alice, 'c1'), 'no header');
    await raw.set(k.case(alice, 'c2'), '1|{"schema":2,"version":1,"id":"c2","owner":{}}');
    await raw.set(k.case(alice, 'c3'), '7|{"schema":1,"version":1,"id":"c3","owner":{}}');
    await raw.set(k.case(alice, 'c4'), '1|[1,2]');

    await expectCorrupt(store.loadUser(alice));
    for (const id of ['c1', 'c2', 'c3', 'c4']) await expectCorrupt(store.loadCase(alice, id));
    await expectCorrupt(store.loadCases(alice, ['c2']));
    // The script cannot read a headerless value either; that must not look like a lost race.
    await seed(bob, ['b1']);
    await raw.set(k.case(bob, 'b1'), 'no header');
    const bobNext = { ...makeUser(bob), version: 2 };
    await expectCorrupt(
      store.commit({
        user: bobNext,
        expectedUserVersion: 1,
        cases: [{ case: makeCase(bob, 'b1', { version: 2 }), expectedVersion: 1 }],
      }),
    );
    await raw.set(k.user(bob), 'garbage');
    await expectCorrupt(store.commit({ user: bobNext, expectedUserVersion: 1, cases: [] }));
  });

  it('loses no update under 50 concurrent turns on one case', async () => {
    const { cases } = await seed(alice, ['c1']);
    const initial = cases[0]!.version;
    // Several connections so commits really interleave on the server, not just in one queue.
    const stores = [store, ...Array.from({ length: 4 }, () => opened.another())];
    let conflicts = 0;

    const turn = async (n: number): Promise<void> => {
      const s = stores[n % stores.length]!;
      for (let attempt = 0; attempt < 1_000; attempt++) {
        const [user, current] = await Promise.all([s.loadUser(alice), s.loadCase(alice, 'c1')]);
        if (!user || !current) throw new Error('seeded records vanished');
        await new Promise((resolve) => setImmediate(resolve)); // let other turns read the same version
        const ok = await s.commit({
          user: bump(user),
          expectedUserVersion: user.version,
          cases: [{ case: bump(current, { pushbacks: current.pushbacks + 1 }), expectedVersion: current.version }],
        });
        if (ok) return;
        conflicts++;
      }
      throw new Error(`turn ${n} never won`);
    };
    await Promise.all(Array.from({ length: 50 }, (_, n) => turn(n)));

    const final = await store.loadCase(alice, 'c1');
    expect(final?.version).toBe(initial + 50);
    expect(final?.pushbacks).toBe(50);
    expect((await store.loadUser(alice))?.version).toBe(1 + 50);
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('RedisStore only', () => {
  const alice = userRef('U_ALICE');
  const bob = userRef('U_BOB');
  let prefix: string;
  let k: Keys;
  let opened: Opened;
  let raw: Redis;
  let store: Store;

  async function seed(ref: UserRef, caseIds: string[]): Promise<void> {
    const user = makeUser(ref, { openCases: caseIds });
    const cases = caseIds.map((id) => makeCase(ref, id));
    expect(await store.commit({ user, expectedUserVersion: null, cases: cases.map((c) => ({ case: c, expectedVersion: null })) })).toBe(true);
  }

  beforeEach(async () => {
    prefix = randomPrefix();
    k = keys(prefix);
    opened = await redisBackend.open(prefix);
    store = opened.store;
    raw = new Redis(server.url);
  });
  afterEach(async () => {
    await opened.close();
    await raw.quit();
  });

  it('puts all keys of one user under one hash tag', async () => {
    await seed(alice, ['c1', 'c2']);
    const tags = (await opened.raw.keys(userStart(k, alice))).map((key) => /\{([^}]*)\}/.exec(key)?.[1]);
    expect(tags).toHaveLength(3);
    expect(new Set(tags)).toEqual(new Set(['slack.T1.U_ALICE']));
    expect(k.tag(alice)).toBe('{slack.T1.U_ALICE}');
    expect(k.tag(bob)).not.toBe(k.tag(alice));
    // Odd ids cannot break the tag or reach into another user's SCAN pattern.
    const odd = userRef('x}:case:*', 'console', '');
    expect(k.user(odd)).toMatch(/^[^{}]*\{[^{}]+\}:user$/);
    expect(k.userPattern(odd)).not.toContain('*:');
  });

  it('reads a key of the wrong Redis type as a corrupt record', async () => {
    await seed(bob, ['b1']);
    await raw.del(k.user(bob));
    await raw.hset(k.user(bob), 'x', '1');
    await expectCorrupt(store.loadUser(bob));
    await expectCorrupt(store.commit({ user: { ...makeUser(bob), version: 2 }, expectedUserVersion: 1, cases: [] }));
  });

  it('creates a record with a commit, all or nothing, never over an existing one', async () => {
    await seed(alice, ['c1']);
    const msg = `${prefix}:${k.tag(alice)}:msg:m1`;
    const pointer = `${prefix}:${k.tag(alice)}:occ:o1`;
    const created = { hash: { key: msg, fields: { body: '{"hi":1}', state: 'sending' } }, pointers: [{ key: pointer, value: 'm1' }], ttlSeconds: 600 };
    const user = (await store.loadUser(alice))!;
    const c1 = (await store.loadCase(alice, 'c1'))!;
    const turn = { user, expectedUserVersion: 1, cases: [{ case: bump(c1), expectedVersion: 1 }], outbox: { id: 'o1', value: 'r', ttlSeconds: 60 }, created };
    expect(await store.commit(turn)).toBe(true);
    expect(await raw.hgetall(msg)).toEqual({ body: '{"hi":1}', state: 'sending' });
    expect(await raw.get(pointer)).toBe('m1');
    for (const key of [msg, pointer]) expect(await raw.ttl(key)).toBeGreaterThan(590);
    // The record exists: the whole commit fails, the case and the record stay as they were.
    await raw.hset(msg, 'state', 'sent');
    const again = { ...turn, cases: [{ case: bump(bump(c1)), expectedVersion: 2 }], outbox: { id: 'o2', value: 'r', ttlSeconds: 60 } };
    expect(await store.commit(again)).toBe(false);
    expect((await store.loadCase(alice, 'c1'))?.version).toBe(2);
    expect(await raw.hget(msg, 'state')).toBe('sent');
    expect(await raw.exists(k.outbox(alice, 'o2'))).toBe(0);
    // A stale version writes no record either.
    const stale = { ...turn, created: { ...created, hash: { ...created.hash, key: `${msg}x` } } };
    expect(await store.commit(stale)).toBe(false);
    expect(await raw.exists(`${msg}x`)).toBe(0);
    // Another user's keys sit elsewhere (another Cluster slot) and are not this turn's to write.
    await seed(bob, ['b1']);
    const bobs = { ...created, hash: { ...created.hash, key: `${prefix}:${k.tag(bob)}:msg:m1` } };
    await expect(store.commit({ user: (await store.loadUser(alice))!, expectedUserVersion: 1, cases: [], created: bobs })).rejects.toThrow(/committing user/);
  });
});

function ready(redis: Redis): Promise<void> {
  return new Promise((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
}

describe('RedisStore across a server restart', () => {
  let own: TestRedis;
  beforeAll(async () => {
    own = await startRedis({ aof: true });
  });
  afterAll(async () => {
    await own?.stop();
  });

  it.runIf(!process.env.TEST_REDIS_URL)('keeps data with AOF, reloads the script, reports outages', async () => {
    const p = randomPrefix();
    // Fail fast instead of queueing while the server is down.
    const redis = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const s = new RedisStore(redis, p);
    await ready(redis);
    const ref = userRef('U_RESTART');
    const user = makeUser(ref);
    expect(await s.commit({ user, expectedUserVersion: null, cases: [] })).toBe(true);

    await own.restart(); // the server forgets its script cache; EVALSHA must fall back to EVAL
    await ready(redis);
    expect(await s.loadUser(ref)).toEqual(user);
    expect(await s.commit({ user: bump(user), expectedUserVersion: 1, cases: [] })).toBe(true);

    await own.stop();
    const err = await s.loadUser(ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OffboardError);
    expect((err as OffboardError).code).toBe('redis_unavailable');
    redis.disconnect();
  });
});
