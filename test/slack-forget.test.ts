/**
 * `forget` on Slack leaves no key of the user: the case, the settings, the form waiting behind a
 * "Fill in" button, after a reminder went out by DM. Another person's keys stay as they were.
 * (Jobs are the worker's part: see forget-leaves-nothing.test.ts.)
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../src/model/user.js';
import { startHarness, type Harness } from './helpers/slack-harness.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';

let redis: TestRedis;
let h: Harness;
let look: Redis;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness(redis);
  look = new Redis(redis.url);
});

afterAll(async () => {
  look?.disconnect();
  await h?.close();
  await redis?.stop();
});

/** Every key under the harness's prefix, each with its value as text. */
async function keysAndValues(): Promise<Array<{ key: string; text: string }>> {
  const out: Array<{ key: string; text: string }> = [];
  let cursor = '0';
  do {
    const [next, found] = await look.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const type = await look.type(key);
      const value = type === 'string' ? await look.get(key) : type === 'hash' ? await look.hgetall(key) : type;
      out.push({ key, text: JSON.stringify(value) });
    }
  } while (cursor !== '0');
  return out;
}

describe('Slack: forget', () => {
  it('leaves no key that names the user or holds their case, forms included; another user keeps theirs', async () => {
    const ana = h.user('UFORGETANA');
    const kim = h.user('UKEEPKIM');
    const anaRef: UserRef = { platform: 'slack', tenant: 'T1', id: 'UFORGETANA' };
    const kimRef: UserRef = { platform: 'slack', tenant: 'T1', id: 'UKEEPKIM' };
    for (const person of [ana, kim]) {
      await h.act(() => person.command('start Xylophone Studios'));
      await h.act(() => person.tick(['Pays late'], 'Next'));
      await h.act(() => person.click('Skip'));
      await h.act(() => person.click('Skip')); // no gut check
      await h.act(() => person.click('Yes, and nothing changed'));
      await h.act(() => person.click('3 days (suggested)'));
    }
    // A reminder by DM, as the worker sends it.
    expect(await h.remind(anaRef, 'coolingEnd', 'ana-cool')).toBeUndefined();
    await h.act(() => ana.click('Yes, continue'));
    await h.act(() => ana.click('Yes'));
    await h.act(() => ana.click('Yes, it has one'));
    await h.act(() => ana.answer('30'));
    await h.act(() => ana.click('Yes'));
    // Typed, the invoice form cannot open as a modal (no click to open it with): it waits in
    // Redis behind a "Fill in" button.
    await h.act(() => ana.message('1'));
    const caseId = (await h.store.loadUser(anaRef))?.openCases[0] ?? 'none';
    const before = await keysAndValues();
    const anaKeys = before.filter((s) => s.key.includes('UFORGETANA'));
    // The outbox keeps each turn's replies for a while, so a re-run from the inbox sends the same ones.
    expect([...new Set(anaKeys.map((s) => s.key.split(':')[2]))].sort()).toEqual(['case', 'outbox', 'slackform', 'user']);
    const kimBefore = before.filter((s) => s.key.includes('UKEEPKIM'));

    await h.act(() => ana.message('forget'));
    await h.act(() => ana.click('Delete everything'));

    const after = await keysAndValues();
    expect(after.filter((s) => [anaRef.id, caseId].some((n) => s.key.includes(n) || s.text.includes(n))).map((s) => s.key)).toEqual([]);
    expect(await h.store.loadUser(anaRef)).toBeNull();
    expect(after.filter((s) => s.key.includes('UKEEPKIM'))).toEqual(kimBefore);
    expect((await h.store.loadUser(kimRef))?.openCases).toHaveLength(1);
  });
});
