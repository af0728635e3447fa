/**
 * What must never happen in Slack: forged or stale requests running anything, someone else's
 * click changing a case, a client's name pinging a channel, a retried event acting twice,
 * a case shown in a channel to anyone but its owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../src/model/user.js';
import { SECRET, startHarness, type Harness } from './helpers/slack-harness.js';
import { blocksText } from './helpers/slack-user.js';
import { commandBody, postSigned, slackSignature } from './helpers/slack-sign.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';

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

describe('Slack request signatures', () => {
  it('a curl-like signed /offboard help is answered with the commands', async () => {
    const body = commandBody({ team_id: 'T1', user_id: 'UCURL', channel_id: 'DUCURL', command: '/offboard', text: 'help', trigger_id: 't1', response_url: h.api.responseUrl('curl') });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SECRET, ts, body) },
      body,
    });
    expect(res.status).toBe(200);
    await h.api.waitFor(() => h.user('UCURL').messages().length > 0, 'the help message');
    // Shown as "start <client>": the angle brackets are escaped for mrkdwn.
    expect(h.user('UCURL').textSince(0)).toContain('start &lt;client&gt;');
    await h.api.waitFor(() => h.api.callsOf('views.publish').some((c) => c.args['user_id'] === 'UCURL'), 'the App Home refresh');
    await h.slack.idle();
  });

  it('a bad signature or a stale timestamp gets 401 and runs nothing', async () => {
    const eve = h.user('UEVE');
    const calls = h.api.calls.length;
    expect((await eve.command('start Acme', eve.dm, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await eve.command('start Acme', eve.dm, { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const wrongSecret = commandBody({ team_id: 'T1', user_id: 'UEVE', channel_id: 'DUEVE', command: '/offboard', text: 'start Acme', trigger_id: 't' });
    const ts = Math.floor(Date.now() / 1000);
    expect((await postSigned(h.url, { secret: 'not-the-secret', body: wrongSecret, contentType: 'application/x-www-form-urlencoded', timestampSec: ts })).status).toBe(401);
    // Whatever the app accepted has run by now (it keeps every event in its inbox before the ack).
    await h.slack.idle();
    expect(h.api.calls.length).toBe(calls);
    expect(await h.store.loadUser(ref('UEVE'))).toBeNull();
  });
});

describe('Slack safety', () => {
  it("someone else's button is refused and changes nothing", async () => {
    const ana = h.user('UOWNER');
    await h.act(() => ana.command('start Acme'));
    const before = await h.store.loadUser(ref('UOWNER'));
    const responses = h.api.responses.length;
    const res = await ana.click('Pays late', { by: 'UBOB' });
    expect(res.status).toBe(200);
    const refusal = await h.api.waitFor(() => h.api.responses.slice(responses).find((r) => blocksText(r.body['blocks'] as unknown[]).includes("someone else's case")), 'the refusal');
    expect(refusal.body['response_type']).toBe('ephemeral');
    await h.slack.idle();
    expect(await h.store.loadUser(ref('UOWNER'))).toEqual(before);
    expect(await h.store.loadUser(ref('UBOB'))).toBeNull();
  });

  it('a client name with <!channel> or <@U123> is escaped, so nobody is pinged', async () => {
    const mia = h.user('UMIA');
    await h.act(() => mia.command('start <!channel> and <@U123> & Co'));
    const raw = JSON.stringify(mia.messages().map((m) => m.blocks));
    expect(raw).toContain('&lt;!channel&gt; and &lt;@U123&gt; &amp; Co');
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U123>');
  });

  it('a retried event (X-Slack-Retry-Num) has no second effect', async () => {
    const leo = h.user('ULEO');
    await h.act(() => leo.message('list', { eventId: 'EvSame1' }));
    const after = leo.messages().length;
    expect(after).toBe(1);
    expect((await leo.message('list', { eventId: 'EvSame1', retryNum: 1 })).status).toBe(200);
    // Had the retry been kept, idle() would wait for its turn to run.
    await h.slack.idle();
    expect(leo.messages().length).toBe(after);
  });

  it('in a channel every answer is ephemeral and the flow continues in the DM', async () => {
    const kim = h.user('UKIM');
    const responses = h.api.responses.length;
    await h.act(() => kim.command('start Globex', 'CGENERAL'));
    const answer = h.api.responses.slice(responses);
    expect(answer.length).toBeGreaterThan(0);
    for (const r of answer) expect(r.body['response_type']).toBe('ephemeral');
    expect(blocksText(answer.flatMap((r) => r.body['blocks'] as unknown[]))).toContain('Only you can see this');
    expect(h.api.history.get('CGENERAL')).toBeUndefined();
    expect(h.api.callsOf('chat.postMessage').some((c) => c.args['channel'] === 'CGENERAL')).toBe(false);
    // A click in the ephemeral message goes on in the DM, and the ephemeral shows the answer.
    const shown = answer.map((r, i) => ({ ts: `e${i}`, channel: 'CGENERAL', blocks: r.body['blocks'] as unknown[] }));
    const dmBefore = kim.messages().length;
    const responsesBefore = h.api.responses.length;
    await h.act(() => kim.tick(['Pays late'], 'Next', { within: shown, ephemeral: true }));
    expect(kim.textSince(dmBefore)).toContain('Anything else on your mind');
    const replaced = h.api.responses.slice(responsesBefore).find((r) => r.body['replace_original'] === true);
    expect(blocksText(replaced?.body['blocks'] as unknown[])).toContain('Pays late · Continued in our direct messages.');
  });

  it('messages to the bot in its Messages tab work with the same words', async () => {
    const zoe = h.user('UZOE');
    await h.act(() => zoe.message('start Initech'));
    await h.act(() => zoe.message('1,8'));
    const state = await h.store.loadUser(ref('UZOE'));
    const [c] = await h.store.loadCases(ref('UZOE'), state?.openCases ?? []);
    expect(c?.reasons).toEqual(['ignoresTerms', 'paysLate']);
  });

  it('an unknown command gets a clear answer and the help', async () => {
    const ian = h.user('UIAN');
    await h.act(() => ian.command('frobnicate'));
    expect(ian.textSince(0)).toContain('frobnicate');
    expect(ian.textSince(0)).toContain('start &lt;client&gt;');
  });
});
