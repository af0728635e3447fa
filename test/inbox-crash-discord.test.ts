/**
 * Nothing accepted is lost on Discord either (issue 13): the bot, a real process against the
 * fake gateway, defers and keeps 40 `/offboard start` interactions (then, in a second round, 40
 * DM lines) and is SIGKILLed as soon as all 40 are kept. A new process on the same Redis
 * answers every one of them through the interaction's token (or in the DM): every turn stored
 * and answered, none twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxKeys, INBOX_GROUP } from '../adapters/intake/index.js';
import { RedisStore } from '../src/store/redis-store.js';
import { FakeDiscord, type FakeUser } from './helpers/fake-discord.js';
import { LOADING } from './helpers/fake-discord-payloads.js';
import { waitUntil } from './helpers/net.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { entryArgs } from './helpers/app-entry.js';

const BOT = fileURLToPath(new URL('./helpers/discord-bot-process.ts', import.meta.url));
const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GcRaSh.fake-token-never-logged-0123456789';
const APPLICATION_ID = '100000000000000001';
const EVENTS = 40;
const CLAIM_IDLE_MS = 2_000;

let server: TestRedis;
let fake: FakeDiscord;
let redis: Redis;
let store: RedisStore;
const prefix = randomPrefix();
const children: ChildProcess[] = [];
const stderr: string[] = [];

function startBot(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, entryArgs(BOT), {
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', REDIS_URL: server.url, PREFIX: prefix, API_URL: fake.apiUrl, TOKEN, APPLICATION_ID, CLAIM_IDLE_MS: String(CLAIM_IDLE_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stderr?.on('data', (d: Buffer) => stderr.push(...d.toString().split('\n').filter(Boolean).map((l) => `${name} ${l}`)));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${stderr.slice(-20).join('\n')}`)));
  });
}

/** Events kept in the inbox so far: each append leaves its de-dup marker (the entry itself goes once done). */
async function kept(): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:inbox:{discord}:seen:*`, 'COUNT', 1000);
    cursor = next;
    n += found.length;
  } while (cursor !== '0');
  return n;
}

const { stream } = inboxKeys(prefix, 'discord');
const drained = async () => (await redis.xlen(stream)) === 0 && Number((await redis.xpending(stream, INBOX_GROUP))[0]) === 0;
const user = (tag: string, i: number): FakeUser => fake.addUser({ id: `2${tag}${String(i).padStart(15, '0')}`.slice(0, 18), username: `u${tag}${i}` });
/** What the user sees from the bot in their DM: answers, not "thinking…" placeholders. */
const shownTo = (u: FakeUser) => fake.channelMessages(fake.dmChannelOf(u.id)).filter((m) => m.author.id === fake.bot.id && !(m.flags & LOADING)).length;
const storedCases = async (users: FakeUser[]) =>
  (await Promise.all(users.map(async (u) => ((await store.loadUser({ platform: 'discord', tenant: '', id: u.id }))?.openCases.length ?? 0) === 1))).filter(Boolean).length;

beforeAll(async () => {
  server = await startRedis({ allowExternal: false });
  fake = await FakeDiscord.start({ token: TOKEN, applicationId: APPLICATION_ID });
  redis = new Redis(server.url);
  store = new RedisStore(new Redis(server.url), prefix);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await store?.close();
  await redis?.quit();
  await fake?.stop();
  await server?.stop();
});

/** Kills `child` the moment `done()` holds, polling as fast as Redis answers. */
async function killWhen(child: ChildProcess, done: () => Promise<boolean>): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  // Polled every few ms, not waitUntil's 50: the kill should land while turns are still owed.
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for every event kept\n${stderr.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await gone;
}

describe('Discord: the durable inbox across a SIGKILL right after the events were kept', () => {
  it('40 slash commands deferred and kept, the bot killed, a new one started: 40 stored, 40 answered, none twice', async () => {
    const first = await startBot('bot1');
    // Calls that answer one interaction (its deferred reply edited, follow-ups): a replay repeats them.
    const answersOf = (token: string) => fake.calls.filter((c) => c.path.startsWith(`/webhooks/${APPLICATION_ID}/${token}`) && c.method !== 'GET').length;
    const deferredOf = (id: string) => fake.calls.some((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300);
    const tokenOf = (id: string) => `itoken-${id}-secret`;

    // A control user through the same process: how many calls one answer takes.
    const control = user('9', 0);
    const controlId = fake.slash(control, fake.dmPlace(control), 'start', { client: 'Control Co' });
    await waitUntil('the control answer', async () => answersOf(tokenOf(controlId)) > 0 && (await drained()), 15_000);
    const perAnswer = shownTo(control);

    const users = Array.from({ length: EVENTS }, (_, i) => user('1', i));
    const ids = users.map((u, i) => fake.slash(u, fake.dmPlace(u), 'start', { client: `Client ${i}` }));
    await killWhen(first, async () => ids.every(deferredOf) && (await kept()) >= EVENTS + 1);
    const acked = ids.filter(deferredOf).length;
    const answeredBeforeKill = users.filter((u) => shownTo(u) >= perAnswer).length;
    const leftInInbox = await redis.xlen(stream);

    await startBot('bot2');
    await waitUntil('every interaction answered', () => users.every((u) => shownTo(u) >= perAnswer), 60_000, () => stderr.slice(-20).join('\n'));
    await waitUntil('the inbox drained', drained, 30_000);

    const stored = await storedCases(users);
    const answered = users.filter((u) => shownTo(u) >= perAnswer).length;
    const duplicated = users.filter((u) => shownTo(u) > perAnswer).length;
    const replayedCalls = ids.filter((id) => answersOf(tokenOf(id)) > answersOf(tokenOf(controlId))).length;
    console.log(`[inbox-crash discord interactions] acked(deferred+kept)=${acked} answered_before_kill=${answeredBeforeKill} left_in_inbox_at_kill=${leftInInbox} stored=${stored} answered=${answered} duplicated=${duplicated} answers_sent_again_in_place=${replayedCalls} (messages per answer: ${perAnswer})`);
    expect(acked).toBe(EVENTS);
    expect(stored).toBe(EVENTS);
    expect(answered).toBe(EVENTS);
    expect(duplicated).toBe(0);
  }, 120_000);

  it('40 DM lines kept, the bot killed, a new one started: 40 stored, 40 answered, none twice', async () => {
    // The process left running by the first test is the one killed here.
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    const first = await startBot('bot3');
    // Posts to the DM: a replay posts again, and Discord's nonce check returns the first message.
    const postsTo = (u: FakeUser) => fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${fake.dmChannelOf(u.id)}/messages`).length;

    const control = user('9', 1);
    const before = await kept();
    fake.sendDm(control, 'start Control Two');
    await waitUntil('the control answer', async () => postsTo(control) > 0 && (await drained()), 15_000);
    const perAnswer = shownTo(control);

    const users = Array.from({ length: EVENTS }, (_, i) => user('3', i));
    for (const [i, u] of users.entries()) fake.sendDm(u, `start Client ${i}`);
    await killWhen(first, async () => (await kept()) >= before + 1 + EVENTS);
    const acked = (await kept()) - before - 1;
    const answeredBeforeKill = users.filter((u) => shownTo(u) >= perAnswer).length;
    const leftInInbox = await redis.xlen(stream);

    await startBot('bot4');
    await waitUntil('every DM answered', () => users.every((u) => shownTo(u) >= perAnswer), 60_000, () => stderr.slice(-20).join('\n'));
    await waitUntil('the inbox drained', drained, 30_000);

    const stored = await storedCases(users);
    const answered = users.filter((u) => shownTo(u) >= perAnswer).length;
    const duplicated = users.filter((u) => shownTo(u) > perAnswer).length;
    const postedAgain = users.filter((u) => postsTo(u) > postsTo(control)).length;
    console.log(`[inbox-crash discord DMs] acked(kept)=${acked} answered_before_kill=${answeredBeforeKill} left_in_inbox_at_kill=${leftInInbox} stored=${stored} answered=${answered} duplicated=${duplicated} posted_again_caught_by_nonce=${postedAgain} (messages per answer: ${perAnswer})`);
    expect(acked).toBe(EVENTS);
    expect(stored).toBe(EVENTS);
    expect(answered).toBe(EVENTS);
    expect(duplicated).toBe(0);
    expect(stderr.filter((l) => /"level":"error"/.test(l))).toEqual([]);
  }, 120_000);
});
