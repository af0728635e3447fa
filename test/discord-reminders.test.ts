/**
 * Reminders on Discord end to end: the real bot (discord.js, against the fake Discord) and the
 * real reminder worker (BullMQ, throwaway Redis) share one runtime, as in the bot process. A
 * member starts a case in their DM; the engine's turn schedules a real BullMQ job; the worker
 * delivers it through the Discord REST notifier; the member answers it with its buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisFormMemory } from '../adapters/discord/form-memory.js';
import { createDiscordNotifier } from '../adapters/discord/notifier.js';
import { startDiscord, type DiscordBot } from '../adapters/discord/start.js';
import type { DiscordConfig } from '../adapters/discord/config.js';
import type { DeliveryEvent } from '../jobs/deliver-reminder.js';
import { reminderJobId } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { startWorker, type RunningWorker } from '../jobs/worker.js';
import { t } from '../src/i18n/translate.js';
import { jsonLines, type Log } from '../src/log.js';
import type { PlannedReminder } from '../src/model/case.js';
import type { UserRef } from '../src/model/user.js';
import { EPHEMERAL, FakeDiscord, type FakeUser, type RecordedCall, type StoredMessage } from './helpers/fake-discord.js';
import { APPLICATION_ID, TOKEN } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson, leaves, until } from './helpers/fake-discord-user.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const en = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('en', key, params);
// Generous: a loaded 2-core machine runs Redis, BullMQ, discord.js and the fake at once.
const DELIVERY_TIMEOUT_MS = 20_000;

let redis: TestRedis;
let fake: FakeDiscord;
let rt: Runtime;
let bot: DiscordBot;
let worker: RunningWorker;
const events: DeliveryEvent[] = [];
const logs: string[] = [];

/** Log lines kept for assertions (and printed with DEBUG_WORKER=1). */
function keptLog(source: string): Log {
  return jsonLines((line) => {
    logs.push(line);
    if (process.env['DEBUG_WORKER']) process.stderr.write(line);
  }, { source });
}

beforeAll(async () => {
  redis = await startRedis();
  fake = await FakeDiscord.start({ token: TOKEN, applicationId: APPLICATION_ID, heartbeatIntervalMs: 1500 });
  const config: DiscordConfig = { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl };
  const keyPrefix = randomPrefix();
  // One runtime, as the bot process wires it: the bot's turns schedule real BullMQ jobs through
  // the runtime's ReminderScheduler, and the worker delivers them with the same engine.
  rt = openRuntime({ redisUrl: redis.url, keyPrefix }, keptLog('runtime'));
  bot = await startDiscord({ engine: rt.engine, config, forms: new RedisFormMemory(rt.jobsRedis, keyPrefix), log: keptLog('bot') });
  // Started before any case exists, so its start-up reconciliation has nothing to fix; every
  // job the tests expect comes from the engine's effects and the explicit re-scheduling.
  worker = await startWorker({
    connection: rt.jobsRedis,
    keyPrefix,
    engine: rt.engine,
    store: rt.store,
    // REST only, exactly as `notifiersFor` builds it for the worker (no gateway connection).
    notifiers: { discord: createDiscordNotifier(config) },
    concurrency: 5,
    observe: (e) => events.push(e),
    log: keptLog('worker'),
  });
});

afterAll(async () => {
  // Workers first (they use the engine and Redis), then the bot, Redis clients, fake, server.
  await worker?.close(5_000);
  await bot?.stop();
  await rt?.close();
  await fake?.stop();
  await redis?.stop();
});

const refOf = (user: FakeUser): UserRef => ({ platform: 'discord', tenant: '', id: user.id });

/**
 * A new member types their way to a three-day cooling-off on "Acme", as in the DM test: the
 * zone on first contact, two warning signs, no note, "3 days". Returns the case id.
 */
async function coolingOff(person: DiscordPerson): Promise<string> {
  for (const line of ['start Acme', 'Berlin', '1,8', 'skip', 'skip', '1', '2']) await person.say(line);
  expect(allText(person.dm.slice(-1))).toMatch(/I'll check in with you on/);
  const state = await rt.store.loadUser(refOf(person.user));
  const caseId = state?.openCases[0];
  if (!caseId) throw new Error('no case was opened');
  return caseId;
}

/**
 * Brings the planned cooling-off reminder forward so it falls due in `inMs`: the case is
 * rewritten through the store's conditional commit (as any turn writes), then scheduled again,
 * which replaces the engine's three-day job with a short one.
 */
async function bringForward(user: UserRef, caseId: string, inMs: number): Promise<PlannedReminder> {
  const jobId = reminderJobId(user, caseId, 'coolingEnd-case');
  // The engine's turn scheduled the real job (three days ahead), not just a plan on the case.
  expect(await (await rt.queue.getJob(jobId))?.getState()).toBe('delayed');
  const state = await rt.store.loadUser(user);
  const c = await rt.store.loadCase(user, caseId);
  if (!state || !c) throw new Error('case not found');
  const [planned, ...others] = c.reminders;
  expect(planned).toMatchObject({ id: 'coolingEnd-case', kind: 'coolingEnd' });
  const at = new Date(Date.now() + inMs).toISOString();
  const reminder: PlannedReminder = { ...planned!, at };
  const ok = await rt.store.commit({
    user: state,
    expectedUserVersion: state.version,
    cases: [{ case: { ...c, coolingOffUntil: at, reminders: [reminder, ...others], version: c.version + 1 }, expectedVersion: c.version }],
  });
  expect(ok).toBe(true);
  await rt.scheduler.schedule(user, caseId, reminder);
  expect((await rt.queue.getJob(jobId))?.data).toMatchObject({ at });
  return reminder;
}

/** Resolves once BullMQ is done with the job: completed (and removed) or failed. */
async function jobSettled(jobId: string): Promise<'completed' | 'failed'> {
  let final: 'completed' | 'failed' | null = null;
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (!final) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for job ${jobId}`);
    const job = await rt.queue.getJob(jobId);
    // Completed reminder jobs are removed at once (REMINDER_JOB_OPTIONS.removeOnComplete).
    const state = job ? await job.getState() : 'completed';
    if (state === 'completed' || state === 'failed') final = state;
    else await new Promise((r) => setTimeout(r, 50));
  }
  return final;
}

const dmPosts = (calls: readonly RecordedCall[], user: FakeUser) => calls.filter((c) => c.method === 'POST' && c.path === `/channels/${fake.dmChannelOf(user.id)}/messages`);

describe('a reminder delivered by the worker through the Discord REST notifier', () => {
  it('arrives once in the DM with Continue / Keep / 2 more days; Continue moves the case on, someone else\'s click is refused', async () => {
    const ana = new DiscordPerson(fake, bot, { id: '400000000000000001', username: 'ana' });
    const user = refOf(ana.user);
    const caseId = await coolingOff(ana);
    const dmBefore = ana.dm.length;
    const from = fake.calls.length;
    await bringForward(user, caseId, 1_000);

    await until(() => ana.dm.length > dmBefore, 'the reminder in the DM', DELIVERY_TIMEOUT_MS);
    expect(await jobSettled(reminderJobId(user, caseId, 'coolingEnd-case'))).toBe('completed');
    // Once BullMQ is done with the job nothing can send it again: the count is final.
    const added = ana.dm.slice(dmBefore);
    expect(added).toHaveLength(1);
    const reminder = added[0] as StoredMessage;
    expect(reminder.content).toContain(en('cooling.check', { client: 'Acme' }));
    expect(leaves(reminder).map((l) => l.label)).toEqual([en('cooling.continue'), en('cooling.keep'), en('cooling.more', { count: 2 })]);

    // Over REST only: open the DM channel, post the message, nothing else.
    const calls = fake.calls.slice(from);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /users/@me/channels', `POST /channels/${fake.dmChannelOf(ana.user.id)}/messages`]);
    expect(calls.every((c) => c.authorized && c.status === 200)).toBe(true);
    expect(calls[0]?.body).toEqual({ recipient_id: ana.user.id });
    const body = calls[1]?.body as { allowed_mentions?: unknown; nonce?: unknown; enforce_nonce?: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.enforce_nonce).toBe(true);
    expect(typeof body.nonce === 'string' && body.nonce.length > 0 && body.nonce.length <= 25).toBe(true);
    expect(events.filter((e) => e.platform === 'discord' && e.outcome === 'sent')).toEqual([expect.objectContaining({ count: 1, late: false })]);

    // Another member clicks the reminder's button: refused, privately, and the case is untouched.
    const before = await rt.store.loadCase(user, caseId);
    const mallory = fake.addUser({ id: '400000000000000009', username: 'mallory' });
    const clicked = fake.calls.length;
    await ana.click(en('cooling.continue'), mallory);
    const refusal = fake.calls.slice(clicked).find((c) => c.path.endsWith('/callback'))?.body as { type?: number; data?: { content?: string; flags?: number } };
    expect(refusal).toMatchObject({ type: 4, data: { content: en('case.notYours') } });
    expect((refusal.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect((await rt.store.loadCase(user, caseId))?.version).toBe(before?.version);
    expect(ana.dm).toHaveLength(dmBefore + 1);
    expect(leaves(fake.messages.get(reminder.id) as StoredMessage)).toHaveLength(3); // still answerable by its owner

    // The owner clicks Continue: the next question of the flow appears.
    const next = await ana.click(en('cooling.continue'));
    expect(allText(next)).toContain(en('contract.has', { client: 'Acme' }));
    expect((await rt.store.loadCase(user, caseId))?.stage).toBe('contract');
    expect(fake.messages.get(reminder.id)?.components).toEqual([]); // answered: its buttons are gone
  });

  it('DMs closed (403, code 50007): one attempt, the job fails for good, and "status" says why', async () => {
    const bo = new DiscordPerson(fake, bot, { id: '400000000000000002', username: 'bo' });
    const user = refOf(bo.user);
    const caseId = await coolingOff(bo);
    const dmBefore = bo.dm.length;
    const from = fake.calls.length;
    // Only the reminder's post is refused (fake.closedDms would refuse the bot's DM replies
    // too, and the member could not read "status" afterwards).
    fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    await bringForward(user, caseId, 1_000);

    const jobId = reminderJobId(user, caseId, 'coolingEnd-case');
    expect(await jobSettled(jobId)).toBe('failed');
    const job = await rt.queue.getJob(jobId);
    expect(job?.failedReason).toBe('50007');
    expect(job?.attemptsMade).toBe(1);
    const posts = dmPosts(fake.calls.slice(from), bo.user);
    expect(posts.map((c) => c.status)).toEqual([403]);
    expect(bo.dm).toHaveLength(dmBefore);
    expect(events.filter((e) => e.platform === 'discord' && e.outcome === 'failed')).toEqual([expect.objectContaining({ reason: '50007', count: 1 })]);

    const status = await bo.say('status Acme');
    expect(allText(status)).toMatch(/Could not reach you on .+\(50007\)/);
  });

  it('429 with retry_after 1 (not global): sent again after about a second, delivered once', async () => {
    const cy = new DiscordPerson(fake, bot, { id: '400000000000000003', username: 'cy' });
    const user = refOf(cy.user);
    const caseId = await coolingOff(cy);
    const dmBefore = cy.dm.length;
    const from = fake.calls.length;
    // As Discord answers a per-route limit: Retry-After header (which discord.js reads) and body.
    fake.failNext({
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 1, global: false },
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
    });
    await bringForward(user, caseId, 500);

    await until(() => cy.dm.length > dmBefore, 'the reminder after the rate limit', DELIVERY_TIMEOUT_MS);
    expect(await jobSettled(reminderJobId(user, caseId, 'coolingEnd-case'))).toBe('completed');
    expect(cy.dm.slice(dmBefore)).toHaveLength(1);
    expect(allText(cy.dm.slice(dmBefore))).toContain(en('cooling.check', { client: 'Acme' }));
    const posts = dmPosts(fake.calls.slice(from), cy.user);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    // The worker waited the retry-after (BullMQ's delayed set, no sleep), and not much longer.
    const waited = (posts[1]?.at ?? 0) - (posts[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(DELIVERY_TIMEOUT_MS);
    // The same message both times: the nonce that lets Discord drop a repeat is stable.
    const nonces = posts.map((c) => (c.body as { nonce?: string }).nonce);
    expect(nonces[0]).toBeDefined();
    expect(nonces[1]).toBe(nonces[0]);
    expect(logs.some((l) => l.includes('platform rate limit') && l.includes('"retryAfterMs":1000') && l.includes('"scope":"channel"'))).toBe(true);
  });

  it('a global 429 pauses the queue for its retry-after, then the reminder goes out once', async () => {
    const di = new DiscordPerson(fake, bot, { id: '400000000000000004', username: 'di' });
    const user = refOf(di.user);
    const caseId = await coolingOff(di);
    const dmBefore = di.dm.length;
    const from = fake.calls.length;
    fake.failNext({
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 1, global: true },
      headers: { 'retry-after': '1', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    });
    await bringForward(user, caseId, 500);

    await until(() => di.dm.length > dmBefore, 'the reminder after the global limit', DELIVERY_TIMEOUT_MS);
    expect(await jobSettled(reminderJobId(user, caseId, 'coolingEnd-case'))).toBe('completed');
    expect(di.dm.slice(dmBefore)).toHaveLength(1);
    const posts = dmPosts(fake.calls.slice(from), di.user);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(logs.some((l) => l.includes('platform rate limit') && l.includes('"scope":"global"'))).toBe(true);
  });

  it('leaves no error in the logs, and never the bot token', () => {
    expect(logs.filter((l) => /"level":"error"/.test(l))).toEqual([]);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });
});
