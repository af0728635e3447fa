/**
 * Reminders reaching a Slack user the way they do in production: a cooling-off chosen with
 * buttons becomes a delayed BullMQ job (the engine's effects go to the ReminderScheduler),
 * the real worker picks it up when due and posts it by DM through the Slack notifier, and the
 * user answers it with a signed click. Real Bolt, real BullMQ, a throwaway Redis, and the
 * fake Slack Web API recording what the user would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from './helpers/fake-slack-api.js';
import type { UserRef } from '../src/model/user.js';
import { REMINDER_EVENT_TYPE } from '../adapters/slack/index.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';
import { reminderJobsPending } from './helpers/reminder-fixtures.js';
import { blocksText, type SlackUser } from './helpers/slack-user.js';
import { startWorkerHarness, type WorkerHarness } from './helpers/slack-worker-harness.js';

let redis: TestRedis;
let h: WorkerHarness;

beforeAll(async () => {
  redis = await startRedis();
  h = await startWorkerHarness(redis);
});

afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

// Slow machine, other test runs beside us: wait long, but poll, so a fast run stays fast.
const DELIVERY_TIMEOUT_MS = 20_000;

const ref = (id: string): UserRef => ({ platform: 'slack', tenant: 'T1', id });
// A turn's own DM messages carry metadata too (their event id), so reminders are told by type.
const isReminderArgs = (a: Record<string, unknown>) => (a['metadata'] as { event_type?: string } | undefined)?.event_type === REMINDER_EVENT_TYPE;
const isReminderPost = (dm: string) => (c: ApiCall) =>
  c.method === 'chat.postMessage' && c.args['channel'] === dm && (c.args['metadata'] as { event_type?: string } | undefined)?.event_type === REMINDER_EVENT_TYPE;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker log:\n${h.logLines.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Until nothing more can reach the user: no reminder job of theirs left to run (a stalled
 * re-run or a rate-limit retry would be one) and the app done with what it was sent.
 */
async function settled(user: SlackUser): Promise<void> {
  await until(`${user.id}'s reminder jobs to be done`, async () => (await reminderJobsPending(h.rt.queue, user.id)) === 0);
  await h.slack.idle();
}

/** Through Slack, as the user would: start a case, pick a sign, skip the note, wait 1 day. */
async function coolingOff(user: SlackUser): Promise<void> {
  await h.act(() => user.command('start Acme'));
  await h.act(() => user.tick(['Pays late'], 'Next'));
  await h.act(() => user.click('Skip'));
  await h.act(() => user.click('Skip')); // no gut check
  await h.act(() => user.click('Yes, and nothing changed'));
  await h.act(() => user.click('1 day'));
  expect(user.textSince(0)).toContain("I'll check in with you on");
}

describe('Slack reminders delivered by the real worker', () => {
  it('a cooling-off chosen in Slack arrives once by DM with its buttons, and Continue moves the case on', async () => {
    const ana = h.user('UANA');
    await coolingOff(ana);
    // The engine scheduled a real BullMQ job for the end of the wait, a day ahead.
    const planned = (await h.onlyCase(ref('UANA'))).reminders.find((r) => r.kind === 'coolingEnd');
    expect(planned).toBeDefined();

    const from = h.api.calls.length;
    const seen = ana.messages().length;
    const moved = await h.bringForward(ref('UANA'), 'coolingEnd', 1_000);
    expect(await h.jobState(moved.jobId)).toBe('delayed');

    await until('the reminder DM', () => h.api.calls.slice(from).some(isReminderPost(ana.dm)));
    // Delivered when due, not before (the job was a delayed one).
    const post = h.api.calls.slice(from).find(isReminderPost(ana.dm));
    expect(post?.at).toBeGreaterThanOrEqual(Date.parse(moved.reminder.at));
    await until('the job to finish', async () => (await h.jobState(moved.jobId)) === 'gone');
    // The App Home follows: published after the reminder, no longer listing it as coming.
    const homeAfterPost = (c: ApiCall) => c.method === 'views.publish' && c.args['user_id'] === 'UANA' && c.at >= (post?.at ?? 0);
    await until('the App Home refresh after the reminder', () => h.api.calls.slice(from).some(homeAfterPost));
    await settled(ana);

    const since = h.api.calls.slice(from);
    expect(since.filter((c) => c.method === 'conversations.open').map((c) => c.args['users'])).toContain('UANA');
    expect(since.filter(isReminderPost(ana.dm))).toHaveLength(1);
    expect(post?.token).toBe('xoxb-test-0000-secret-token');
    // Its idempotency key rides in the message metadata: a crashed send is found again by it.
    const key = (post?.args['metadata'] as { event_payload?: { key?: unknown } }).event_payload?.key;
    expect(typeof key === 'string' && key.length > 0).toBe(true);

    // What Ana sees: exactly one new message, the check-in, with its three choices.
    const fresh = ana.messages().slice(seen);
    expect(fresh).toHaveLength(1);
    const text = blocksText(fresh[0]?.blocks);
    expect(text).toContain('The cooling-off period is over');
    expect(text).toContain('Acme');
    for (const label of ['Yes, continue', 'Keep the client', '2 more days']) expect(() => ana.find(label, fresh)).not.toThrow();

    // Clicking Continue on the reminder is an ordinary, signed block_actions answer.
    const beforeClick = ana.messages().length;
    await h.act(() => ana.click('Yes, continue', { within: fresh }));
    expect(ana.textSince(beforeClick)).toContain('Do you have a written contract with Acme?');
    expect((await h.onlyCase(ref('UANA'))).stage).toBe('contract');
    // The answered reminder lost its buttons.
    expect(() => ana.find('Keep the client', [ana.messages()[seen]!])).toThrow();
    // Tokens never reach the log, the worker's included.
    expect(h.logLines.join('\n')).not.toContain('xoxb-test');
  });

  it('user_not_found when posting: not retried, the job fails, and /offboard status says why', async () => {
    const bo = h.user('UBO');
    await coolingOff(bo);
    // Every reminder post to Bo fails as Slack answers for a deleted user; his own commands
    // still get answers, so status can be read in the DM.
    h.api.fail('chat.postMessage', { error: 'user_not_found', when: (a) => a['channel'] === bo.dm && isReminderArgs(a) });
    const from = h.api.calls.length;
    const moved = await h.bringForward(ref('UBO'), 'coolingEnd', 1_000);

    await until('the job to fail', async () => (await h.jobState(moved.jobId)) === 'failed');
    await settled(bo);
    expect(h.api.calls.slice(from).filter(isReminderPost(bo.dm))).toHaveLength(1);
    expect(await h.jobState(moved.jobId)).toBe('failed');
    expect(bo.messages().some((m) => m.metadata?.event_type === REMINDER_EVENT_TYPE)).toBe(false);

    const before = bo.messages().length;
    await h.act(() => bo.command('status Acme'));
    expect(bo.textSince(before)).toMatch(/Could not reach you on .*\(user_not_found\)/);
  });

  it('ratelimited with Retry-After: 1 is delivered once, about a second later', async () => {
    const cy = h.user('UCY');
    await coolingOff(cy);
    h.api.fail('chat.postMessage', { status: 429, retryAfterSec: 1, times: 1, when: (a) => a['channel'] === cy.dm && isReminderArgs(a) });
    const from = h.api.calls.length;
    const seen = cy.messages().length;
    const moved = await h.bringForward(ref('UCY'), 'coolingEnd', 1_000);

    await until('the reminder DM', () => cy.messages().length > seen);
    await until('the job to finish', async () => (await h.jobState(moved.jobId)) === 'gone');
    await settled(cy);

    const tries = h.api.calls.slice(from).filter(isReminderPost(cy.dm));
    expect(tries).toHaveLength(2);
    // Slack said "come back in 1 s": the worker waited that long (BullMQ's delay, not a retry storm)…
    const gap = tries[1]!.at - tries[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    // …and not much longer (generous: a loaded machine may poll late).
    expect(gap).toBeLessThan(10_000);
    const fresh = cy.messages().slice(seen);
    expect(fresh).toHaveLength(1);
    expect(blocksText(fresh[0]?.blocks)).toContain('The cooling-off period is over');
  });
});
