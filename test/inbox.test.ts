/**
 * The durable inbox against a real Redis: per-user order with users side by side (also across
 * two processes on one stream), the
 * take-over of a dead consumer's entries (and not of a live one's long turn), de-dup of a
 * platform's retry, the trim that never reaches an entry still owed a turn, `forget`, and an
 * append refused while Redis is down.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableInbox, forgetInboxEntries, inboxKeys, INBOX_GROUP, type InboxEntry } from '../adapters/intake/index.js';
import { trimDone } from '../adapters/intake/upkeep.js';
import { isOffboardError } from '../src/errors.js';
import { silentLog } from '../src/log.js';
import { waitUntil } from './helpers/net.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

interface Item {
  n: number;
}

let server: TestRedis;
let redis: Redis;
const opened: Array<DurableInbox<Item>> = [];

beforeAll(async () => {
  server = await startRedis({ allowExternal: false });
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
});

afterAll(async () => {
  for (const inbox of opened) await inbox.stop().catch(() => undefined);
  redis?.disconnect();
  await server?.stop();
});

const parse = (json: string): Item | null => {
  const v = JSON.parse(json) as Partial<Item>;
  return typeof v.n === 'number' ? { n: v.n } : null;
};

async function open(prefix: string, run: (e: InboxEntry<Item>) => Promise<void>, extra: { concurrency?: number; claimIdleMs?: number } = {}): Promise<DurableInbox<Item>> {
  const inbox = new DurableInbox<Item>({ redis, keyPrefix: prefix, platform: 'slack', parse, run, concurrency: extra.concurrency ?? 4, log: silentLog, claimIdleMs: extra.claimIdleMs ?? 10_000 });
  await inbox.start();
  opened.push(inbox);
  return inbox;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durable inbox', () => {
  it("runs each user's entries in arrival order, different users side by side", async () => {
    const ran: string[] = [];
    let running = 0;
    let most = 0;
    const inbox = await open(randomPrefix(), async (e) => {
      running++;
      most = Math.max(most, running);
      await sleep(5 + (e.payload.n % 3) * 5);
      ran.push(`${e.user}:${e.payload.n}`);
      running--;
    });
    for (let n = 0; n < 30; n++) await inbox.append(`u${n % 3}`, `ev-${n}`, { n });
    await inbox.idle();
    expect(ran).toHaveLength(30);
    for (const u of ['u0', 'u1', 'u2']) {
      const mine = ran.filter((r) => r.startsWith(`${u}:`)).map((r) => Number(r.split(':')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
  });

  it("keeps one user's order across two processes reading the same stream", async () => {
    const prefix = randomPrefix();
    const ran: string[] = [];
    const by = new Set<string>();
    const runner = (name: string) => async (e: InboxEntry<Item>) => {
      by.add(name);
      await sleep(3 + (e.payload.n % 4) * 4);
      ran.push(`${e.user}:${e.payload.n}`);
    };
    const a = await open(prefix, runner('a'));
    const b = await open(prefix, runner('b'));
    for (let n = 0; n < 40; n++) await (n % 2 ? a : b).append(`u${n % 2}`, `x-${n}`, { n });
    await waitUntil('every entry run', () => ran.length === 40, 20_000);
    for (const u of ['u0', 'u1']) {
      const mine = ran.filter((r) => r.startsWith(`${u}:`)).map((r) => Number(r.split(':')[1]));
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
    expect(by.size).toBe(2);
  });

  it("an event appended twice (a platform's retry) runs once", async () => {
    const ran: number[] = [];
    const inbox = await open(randomPrefix(), async (e) => void ran.push(e.payload.n));
    await inbox.append('u', 'same-event', { n: 1 });
    await inbox.append('u', 'same-event', { n: 1 });
    await inbox.idle();
    await sleep(50);
    expect(ran).toEqual([1]);
  });

  it("takes over a dead consumer's entries, in order, once each; a finished entry leaves the stream", async () => {
    const prefix = randomPrefix();
    const { stream } = inboxKeys(prefix, 'slack');
    // A process that read three entries and died: they are pending under its name.
    await redis.xgroup('CREATE', stream, INBOX_GROUP, '0', 'MKSTREAM');
    for (let n = 0; n < 3; n++) await redis.xadd(stream, '*', 'u', 'user', 'e', `dead-${n}`, 'p', JSON.stringify({ n }));
    await redis.xreadgroup('GROUP', INBOX_GROUP, 'dead-process', 'COUNT', 10, 'STREAMS', stream, '>');
    const ran: number[] = [];
    await open(prefix, async (e) => void ran.push(e.payload.n), { claimIdleMs: 300 });
    await waitUntil('the entries taken over', () => ran.length === 3, 10_000);
    expect(ran).toEqual([0, 1, 2]);
    await waitUntil('the stream emptied', async () => (await redis.xlen(stream)) === 0, 5_000);
    expect(Number((await redis.xpending(stream, INBOX_GROUP))[0])).toBe(0);
  });

  it("does not take a live consumer's long turn: its holder keeps it fresh", async () => {
    const prefix = randomPrefix();
    let runs = 0;
    const slow = await open(prefix, async () => {
      runs++;
      await sleep(2_000);
    }, { claimIdleMs: 600 });
    // A second process on the same stream, eager to claim.
    await open(prefix, async () => void runs++, { claimIdleMs: 600 });
    await slow.append('u', 'long-one', { n: 1 });
    await slow.idle();
    await sleep(500);
    expect(runs).toBe(1);
  });

  it('trims what is done and never an entry still owed a turn', async () => {
    const prefix = randomPrefix();
    const keys = inboxKeys(prefix, 'slack');
    const { stream } = keys;
    await redis.xgroup('CREATE', stream, INBOX_GROUP, '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await redis.xadd(stream, '*', 'u', 'user', 'e', `t-${n}`, 'p', JSON.stringify({ n }))) ?? '');
    // 0 and 1 done but (a missed XDEL) still there; 2 delivered and pending; 3 done; 4, 5 never delivered.
    await redis.xreadgroup('GROUP', INBOX_GROUP, 'c', 'COUNT', 4, 'STREAMS', stream, '>');
    await redis.xack(stream, INBOX_GROUP, ids[0]!, ids[1]!, ids[3]!);
    await trimDone(redis, keys);
    const left = (await redis.xrange(stream, '-', '+')).map(([id]) => id);
    expect(left).toEqual(ids.slice(2));
  });

  it("forget removes that user's entries, pending or waiting, and no one else's", async () => {
    const prefix = randomPrefix();
    const { stream } = inboxKeys(prefix, 'slack');
    await redis.xgroup('CREATE', stream, INBOX_GROUP, '0', 'MKSTREAM');
    for (let n = 0; n < 4; n++) await redis.xadd(stream, '*', 'u', n % 2 ? 'slack.T1.UGONE' : 'slack.T1.USTAY', 'e', `f-${n}`, 'p', JSON.stringify({ n }));
    await redis.xreadgroup('GROUP', INBOX_GROUP, 'c', 'COUNT', 2, 'STREAMS', stream, '>');
    const removed = await forgetInboxEntries(redis, prefix, { platform: 'slack', tenant: 'T1', id: 'UGONE' });
    expect(removed).toBe(2);
    const left = await redis.xrange(stream, '-', '+');
    expect(left.map(([, f]) => f[1])).toEqual(['slack.T1.USTAY', 'slack.T1.USTAY']);
    // The pending one of the forgotten user is no longer pending: nobody will claim it.
    expect(Number((await redis.xpending(stream, INBOX_GROUP))[0])).toBe(1);
  });

  it('refuses an append while Redis is down (the caller must not ack), and takes them again after', async () => {
    const ran: number[] = [];
    const inbox = await open(randomPrefix(), async (e) => void ran.push(e.payload.n));
    await server.halt();
    try {
      const started = Date.now();
      const err = await inbox.append('u', 'while-down', { n: 1 }).then(() => null, (e: unknown) => e);
      expect(isOffboardError(err, 'redis_unavailable')).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await server.resume();
    }
    await waitUntil('Redis back', async () => (await redis.ping().catch(() => '')) === 'PONG', 10_000);
    await inbox.append('u', 'after', { n: 2 });
    await waitUntil('the turn after the outage', () => ran.includes(2), 10_000);
    expect(ran).toEqual([2]);
  });
});
