/**
 * `forget` leaves nothing, against the real bot, worker, BullMQ and Redis and a fake Discord:
 * a reminder that failed for good (DMs closed), a form waiting behind its button, delayed
 * jobs, the delivery ledger… then "forget" → no job of the user in any state, and no Redis key
 * whose name or value holds the user's id, their case id or their client's name. Another
 * user's case, keys and jobs stay as they were.
 */
import { Redis } from 'ioredis';
import type { JobType } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordConfig } from '../adapters/discord/config.js';
import { RedisFormMemory } from '../adapters/discord/form-memory.js';
import { createDiscordNotifier } from '../adapters/discord/notifier.js';
import { redisPartProgress } from '../adapters/discord/part-progress.js';
import { startDiscord, type DiscordBot } from '../adapters/discord/start.js';
import { reminderJobId, reminderJobOwner } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { SendLimiter } from '../jobs/send-limiter.js';
import { startWorker, type RunningWorker } from '../jobs/worker.js';
import { t } from '../src/i18n/translate.js';
import { silentLog } from '../src/log.js';
import type { PlannedReminder } from '../src/model/case.js';
import type { UserRef } from '../src/model/user.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { APPLICATION_ID, TOKEN } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson } from './helpers/fake-discord-user.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const en = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('en', key, params);
const DELIVERY_TIMEOUT_MS = 20_000;
/** Every state BullMQ keeps a job in. */
const ALL_STATES: JobType[] = ['active', 'waiting', 'waiting-children', 'prioritized', 'delayed', 'completed', 'failed', 'repeat', 'wait'];

let server: TestRedis;
let fake: FakeDiscord;
let rt: Runtime;
let bot: DiscordBot;
let worker: RunningWorker;
let look: Redis;
const keyPrefix = randomPrefix();

beforeAll(async () => {
  server = await startRedis();
  look = new Redis(server.url);
  fake = await FakeDiscord.start({ token: TOKEN, applicationId: APPLICATION_ID, heartbeatIntervalMs: 1500 });
  const config: DiscordConfig = { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl };
  // Wired as adapters/platforms.ts wires the bot process: one runtime, its scheduler, Redis forms.
  rt = openRuntime({ redisUrl: server.url, keyPrefix }, silentLog);
  bot = await startDiscord({ engine: rt.engine, config, forms: new RedisFormMemory(rt.jobsRedis, keyPrefix), log: silentLog });
  worker = await startWorker({
    connection: rt.jobsRedis,
    keyPrefix,
    engine: rt.engine,
    store: rt.store,
    notifiers: { discord: createDiscordNotifier(config, { progress: redisPartProgress(rt.jobsRedis, keyPrefix), forms: new RedisFormMemory(rt.jobsRedis, keyPrefix) }) },
    concurrency: 5,
    log: silentLog,
  });
});

afterAll(async () => {
  await worker?.close(5_000);
  await bot?.stop();
  await rt?.close();
  look?.disconnect();
  await fake?.stop();
  await server?.stop();
});

const refOf = (id: string): UserRef => ({ platform: 'discord', tenant: '', id });

/** Types the way to a cooling-off on `client`; returns the case id. */
async function coolingOff(person: DiscordPerson, client: string): Promise<string> {
  for (const line of [`start ${client}`, 'Berlin', '1,8', 'skip', 'skip', '1', '2']) await person.say(line);
  const caseId = (await rt.store.loadUser(refOf(person.user.id)))?.openCases[0];
  if (!caseId) throw new Error('no case was opened');
  return caseId;
}

/** The cooling-off reminder, due in `inMs` instead of in three days (as a turn would write it). */
async function bringForward(user: UserRef, caseId: string, inMs: number): Promise<void> {
  const state = await rt.store.loadUser(user);
  const c = await rt.store.loadCase(user, caseId);
  if (!state || !c) throw new Error('case not found');
  const [planned, ...others] = c.reminders;
  const reminder: PlannedReminder = { ...planned!, at: new Date(Date.now() + inMs).toISOString() };
  const ok = await rt.store.commit({
    user: state,
    expectedUserVersion: state.version,
    cases: [{ case: { ...c, coolingOffUntil: reminder.at, reminders: [reminder, ...others], version: c.version + 1 }, expectedVersion: c.version }],
  });
  expect(ok).toBe(true);
  await rt.scheduler.schedule(user, caseId, reminder);
}

async function jobState(jobId: string): Promise<string> {
  const job = await rt.queue.getJob(jobId);
  return job ? job.getState() : 'gone';
}

async function failedForGood(jobId: string): Promise<void> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while ((await jobState(jobId)) !== 'failed') {
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not fail`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Stored {
  key: string;
  text: string;
}

/** Every key of the whole (throwaway) Redis with its value as text, whatever its type. */
async function everything(): Promise<Stored[]> {
  const out: Stored[] = [];
  let cursor = '0';
  do {
    const [next, found] = await look.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const type = await look.type(key);
      let value: unknown;
      if (type === 'string') value = await look.get(key);
      else if (type === 'hash') value = await look.hgetall(key);
      else if (type === 'list') value = await look.lrange(key, 0, -1);
      else if (type === 'set') value = await look.smembers(key);
      else if (type === 'zset') value = await look.zrange(key, '0', '-1', 'WITHSCORES');
      else if (type === 'stream') value = await look.xrange(key, '-', '+');
      else value = type; // 'none': gone between SCAN and TYPE
      out.push({ key, text: JSON.stringify(value) });
    }
  } while (cursor !== '0');
  return out;
}

/** Keys (by name or by value) that mention any of `needles`. */
function mentioning(all: readonly Stored[], needles: readonly string[]): string[] {
  return all.filter((s) => needles.some((n) => s.key.includes(n) || s.text.includes(n))).map((s) => s.key);
}

describe('forget', () => {
  it('after a reminder failed for good: no job in any state and no key of the user; another user keeps everything', async () => {
    const bo = new DiscordPerson(fake, bot, { id: '500000000000000001', username: 'bo' });
    const kit = new DiscordPerson(fake, bot, { id: '500000000000000002', username: 'kit' });
    const boUser = refOf(bo.user.id);
    const kitUser = refOf(kit.user.id);
    const boCase = await coolingOff(bo, 'Zanzibar Widgets');
    const kitCase = await coolingOff(kit, 'Kettle Works');

    // Bo's reminder is refused for good (DMs closed): the job fails, kept by removeOnFail.
    fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    await bringForward(boUser, boCase, 300);
    const failedJob = reminderJobId(boUser, boCase, 'coolingEnd-case');
    await failedForGood(failedJob);
    // Then on to the invoice form, so a form waits in Redis behind its button too.
    for (const line of ['?', '1', '1', '2', '1', '1']) await bo.say(line);
    expect(allText(bo.dm.slice(-2))).toContain(en('invoice.form.title'));

    const boTag = `{discord.-.${bo.user.id}}`;
    const boNeedles = [bo.user.id, boCase, 'Zanzibar', `r-${reminderJobOwner(boUser)}-`];
    const before = await everything();
    // What the test looks for is there before: the failed job, the ledger, the form, the case.
    expect((await rt.queue.getJobs(ALL_STATES)).filter((j) => j.data && 'user' in j.data && j.data.user.id === bo.user.id).length).toBeGreaterThanOrEqual(1);
    expect(before.map((s) => s.key).filter((k) => k.includes(`${boTag}:discordform:`))).toHaveLength(1);
    expect(before.map((s) => s.key).filter((k) => k.includes(`${boTag}:msg:`)).length).toBeGreaterThanOrEqual(1);
    expect(mentioning(before, boNeedles).length).toBeGreaterThan(5);
    const kitBefore = before.filter((s) => s.key.includes(`{discord.-.${kit.user.id}}`));
    const kitJobsBefore = (await rt.queue.getJobs(ALL_STATES)).filter((j) => j.data && 'user' in j.data && j.data.user.id === kit.user.id).map((j) => j.id).sort();
    expect(kitJobsBefore.length).toBeGreaterThanOrEqual(1);

    const asked = await bo.say('forget');
    expect(allText(asked)).toContain(en('forget.confirm'));
    const done = await bo.click(en('forget.yes'));
    expect(allText(done)).toContain(en('forget.done'));

    const jobs = await rt.queue.getJobs(ALL_STATES);
    expect(jobs.filter((j) => JSON.stringify(j.data).includes(bo.user.id) || String(j.id).startsWith(`r-${reminderJobOwner(boUser)}-`)).map((j) => j.id)).toEqual([]);
    expect(await rt.queue.getJob(failedJob)).toBeUndefined();
    const after = await everything();
    expect(mentioning(after, boNeedles)).toEqual([]);
    expect(await rt.store.loadUser(boUser)).toBeNull();

    // Kit: the same case, the same keys with the same values, the same jobs.
    expect((await rt.store.loadCase(kitUser, kitCase))?.client).toBe('Kettle Works');
    expect(after.filter((s) => s.key.includes(`{discord.-.${kit.user.id}}`))).toEqual(kitBefore);
    expect(jobs.filter((j) => j.data && 'user' in j.data && j.data.user.id === kit.user.id).map((j) => j.id).sort()).toEqual(kitJobsBefore);
  });

  it('forget while a worker is sending the user a reminder: once the send ends, nothing is left', async () => {
    const di = new DiscordPerson(fake, bot, { id: '500000000000000004', username: 'di' });
    const diUser = refOf(di.user.id);
    const caseId = await coolingOff(di, 'Wombat Partners');
    const channel = fake.dmChannelOf(di.user.id);
    const posting = (c: { method: string; path: string }) => c.method === 'POST' && c.path === `/channels/${channel}/messages`;
    const from = fake.calls.length;
    // The reminder's post hangs for a while (a slow Discord): the job is active, its lock held.
    fake.delayNext({ method: 'POST', path: new RegExp(`^/channels/${channel}/messages$`), ms: 4_000 });
    await bringForward(diUser, caseId, 100);
    const jobId = reminderJobId(diUser, caseId, 'coolingEnd-case');
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    while (!fake.calls.slice(from).some(posting)) {
      if (Date.now() > deadline) throw new Error('the reminder was never posted');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await jobState(jobId)).toBe('active');

    await di.say('forget');
    await di.click(en('forget.yes'));
    expect(await rt.store.loadUser(diUser)).toBeNull();

    // The send finishes after the forget; then the job and everything it wrote are gone.
    const needles = [di.user.id, caseId, 'Wombat', `r-${reminderJobOwner(diUser)}-`];
    const settled = Date.now() + DELIVERY_TIMEOUT_MS;
    while ((await jobState(jobId)) !== 'gone' || mentioning(await everything(), needles).length > 0) {
      if (Date.now() > settled) throw new Error(`left behind: ${mentioning(await everything(), needles).join(', ')}; job ${await jobState(jobId)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fake.calls.slice(from).filter(posting)[0]?.status).toBe(200);
  });

  it('a failed job that forget could not reach (a worker held it) is dropped by the reconciler', async () => {
    const cy = new DiscordPerson(fake, bot, { id: '500000000000000003', username: 'cy' });
    const cyUser = refOf(cy.user.id);
    const caseId = await coolingOff(cy, 'Quokka Labs');
    fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    await bringForward(cyUser, caseId, 300);
    const jobId = reminderJobId(cyUser, caseId, 'coolingEnd-case');
    await failedForGood(jobId);
    // As if forget ran while the job was running: the keys went, the job could not.
    await rt.store.forgetUser(cyUser);
    const report = await worker.reconcile();
    expect(report.forgotten).toBe(1);
    expect(await rt.queue.getJob(jobId)).toBeUndefined();
    expect(mentioning(await everything(), [cy.user.id, caseId, 'Quokka'])).toEqual([]);
  });

  it('a person\'s send budget (a Slack DM) is counted under their keys, so forget takes it', async () => {
    const user: UserRef = { platform: 'slack', tenant: 'T1', id: 'UFORGETME' };
    const limiter = new SendLimiter(look, keyPrefix);
    expect(await limiter.wait({ key: 'slack.dm', user, points: 1, perSeconds: 60 })).toBe(0);
    expect(await limiter.wait({ key: 'slack.dm', user, points: 1, perSeconds: 60 })).toBeGreaterThan(0);
    expect(mentioning(await everything(), ['UFORGETME'])).toEqual([`${keyPrefix}:{slack.T1.UFORGETME}:rl:1/60:slack.dm`]);
    await rt.store.forgetUser(user);
    expect(mentioning(await everything(), ['UFORGETME'])).toEqual([]);
  });
});
