/**
 * The Slack notifier as the reminder worker uses it: DM delivery with buttons, rate limits
 * with Retry-After, permanent failures recorded on the case, lost sends found again.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { DeliveryError } from '../src/delivery/notifier.js';
import type { UserRef } from '../src/model/user.js';
import { createSlackNotifier, RedisInstallationStore } from '../adapters/slack/index.js';
import { slackKeys } from '../adapters/slack/keys.js';
import { startHarness, BOT_TOKEN, type Harness } from './helpers/slack-harness.js';
import { blocksText } from './helpers/slack-user.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness(redis);
});

afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

const ref = (id: string): UserRef => ({ platform: 'slack', tenant: 'T1', id });
const message = (id: string, key: string) => ({ key, user: ref(id), locale: 'en' as const, replies: [{ kind: 'choices' as const, ref: { caseId: 'c1', question: 'coolCheck' }, text: 'Still sure about <Acme>?', options: [{ value: 'continue', label: 'Yes, continue' }] }] });

async function caught(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DeliveryError) return err;
    throw err;
  }
  throw new Error('expected a DeliveryError');
}

describe('Slack notifier', () => {
  it('opens the DM and posts the reminder with its buttons and idempotency key, using the bot token', async () => {
    await h.notifier.send(message('URIA', 'k-1'));
    const open = h.api.callsOf('conversations.open').at(-1);
    expect(open?.args['users']).toBe('URIA');
    const post = h.api.callsOf('chat.postMessage').at(-1);
    expect(post?.token).toBe(BOT_TOKEN);
    expect(post?.args['channel']).toBe('DURIA');
    expect(blocksText(post?.args['blocks'] as unknown[])).toContain('Still sure about &lt;Acme&gt;?');
    expect(JSON.stringify(post?.args['blocks'])).toContain('"action_id":"ob.choice.0"');
    expect(post?.args['metadata']).toEqual({ event_type: 'offboard_reminder', event_payload: { key: 'k-1' } });
    expect(await h.notifier.check(message('URIA', 'k-1'))).toBe('delivered');
    expect(await h.notifier.check(message('URIA', 'k-2'))).toBe('notDelivered');
    expect(h.notifier.budget?.(ref('URIA'))).toEqual({ key: 'slack.dm', user: ref('URIA'), points: 1, perSeconds: 1 });
  });

  it('ratelimited: retry after Retry-After, on this DM only, certainly not sent', async () => {
    h.api.fail('chat.postMessage', { status: 429, retryAfterSec: 7, times: 1 });
    const err = await caught(h.notifier.send(message('URAY', 'k-rl')));
    expect(err).toMatchObject({ kind: 'rateLimited', code: 'ratelimited', details: { retryAfterMs: 7000, scope: 'channel', notSent: true } });
    // No retry inside the client: the worker owns retries.
    expect(h.api.callsOf('chat.postMessage').filter((c) => c.args['channel'] === 'DURAY')).toHaveLength(1);
  });

  it.each(['account_inactive', 'user_not_found', 'channel_not_found', 'cannot_dm_bot'])('%s is permanent', async (code) => {
    h.api.fail('conversations.open', { error: code, times: 1 });
    expect(await caught(h.notifier.send(message('UGONE', `k-${code}`)))).toMatchObject({ kind: 'permanent', code });
  });

  it('a reminder in several messages whose second part failed: the retry posts only what is missing', async () => {
    // 30 questions: more blocks than one Slack message holds.
    const replies = Array.from({ length: 30 }, (_, i) => ({ kind: 'choices' as const, ref: { caseId: 'c1', question: `q${i}` }, text: `Question ${i}?`, options: [{ value: 'yes', label: 'Yes' }] }));
    const big = { key: 'k-big', user: ref('UBIG'), locale: 'en' as const, replies };
    h.api.fail('chat.postMessage', { status: 503, times: 1, when: (a) => JSON.stringify(a['metadata']).includes('k-big#1') });
    expect(await caught(h.notifier.send(big))).toMatchObject({ kind: 'transient' });
    // Part one arrived, part two did not: not delivered, so the worker sends again.
    expect(await h.notifier.check(big)).toBe('notDelivered');
    await h.notifier.send(big);
    expect(await h.notifier.check(big)).toBe('delivered');
    const keys = h.api
      .callsOf('chat.postMessage')
      .filter((c) => c.args['channel'] === 'DUBIG')
      .map((c) => (c.args['metadata'] as { event_payload: { key: string } }).event_payload.key);
    // Part one posted once; part two tried twice (the failure, then the retry).
    expect(keys).toEqual(['k-big#0', 'k-big#1', 'k-big#1']);
  });

  it('a 503 or a network failure is transient', async () => {
    h.api.fail('chat.postMessage', { status: 503, times: 1 });
    expect(await caught(h.notifier.send(message('UFLAKY', 'k-503')))).toMatchObject({ kind: 'transient', code: 'http_503' });
    const conn = new Redis(redis.url);
    const offline = createSlackNotifier({ config: { install: { kind: 'single', botToken: BOT_TOKEN }, apiUrl: 'http://127.0.0.1:9/api/' }, redis: conn, keyPrefix: randomPrefix() });
    // Slack's WebClient reports the refused connection itself, on the console: expected here.
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await caught(offline.send(message('UFLAKY', 'k-net')))).toMatchObject({ kind: 'transient' });
    } finally {
      warned.mockRestore();
      await conn.quit();
    }
  });

  it('a permanent DM error is recorded on the case and shown by status', async () => {
    const noa = h.user('UNOA');
    await h.act(() => noa.command('start Acme'));
    await h.act(() => noa.tick(['Pays late'], 'Next'));
    await h.act(() => noa.click('Skip'));
    await h.act(() => noa.click('Skip')); // no gut check
    await h.act(() => noa.click('Yes, and nothing changed'));
    await h.act(() => noa.click('1 day'));
    h.api.fail('conversations.open', { error: 'account_inactive', when: (a) => a['users'] === 'UNOA', times: 1 });
    const err = await h.remind(ref('UNOA'), 'coolingEnd');
    expect(err).toMatchObject({ kind: 'permanent', code: 'account_inactive' });
    const state = await h.store.loadUser(ref('UNOA'));
    const [c] = await h.store.loadCases(ref('UNOA'), state?.openCases ?? []);
    expect(c?.problems).toEqual([expect.objectContaining({ code: 'account_inactive', reminderId: 'coolingEnd-case' })]);
    const before = noa.messages().length;
    await h.act(() => noa.command('status Acme'));
    expect(noa.textSince(before)).toContain('account_inactive');
  });

  it('with OAuth, the token comes from the installation store; no installation is permanent', async () => {
    const conn = new Redis(redis.url);
    const prefix = randomPrefix();
    const store = new RedisInstallationStore(conn, slackKeys(prefix));
    await store.storeInstallation({ team: { id: 'T9' }, enterprise: undefined, user: { id: 'UINST', token: undefined, scopes: undefined }, bot: { id: 'B9', userId: 'UBOT9', token: 'xoxb-installed-9', scopes: ['chat:write'] }, isEnterpriseInstall: false });
    const oauth = createSlackNotifier({ config: { install: { kind: 'oauth', clientId: 'id', clientSecret: 'secret', stateSecret: 'state-secret-0123456789' }, apiUrl: h.api.apiUrl }, redis: conn, keyPrefix: prefix });
    await oauth.send({ ...message('UT9', 'k-oauth'), user: { platform: 'slack', tenant: 'T9', id: 'UT9' } });
    expect(h.api.callsOf('chat.postMessage').at(-1)?.token).toBe('xoxb-installed-9');
    expect(await caught(oauth.send({ ...message('UX', 'k-none'), user: { platform: 'slack', tenant: 'TNONE', id: 'UX' } }))).toMatchObject({ kind: 'permanent', code: 'not_installed' });
    await conn.quit();
  });
});
