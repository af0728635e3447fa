/**
 * Nothing acknowledged is lost (issue 13): the Slack bot, a real process, gets 40 signed
 * `/offboard start …` commands at once and is SIGKILLed the moment the 40th ack arrives. A
 * new process on the same Redis takes over the inbox entries the dead one left: every turn is
 * stored and answered, none twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxKeys, INBOX_GROUP } from '../adapters/intake/index.js';
import { RedisStore } from '../src/store/redis-store.js';
import { FakeSlackApi } from './helpers/fake-slack-api.js';
import { waitUntil } from './helpers/net.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { SlackUser } from './helpers/slack-user.js';
import { entryArgs } from './helpers/app-entry.js';

const BOT = fileURLToPath(new URL('./helpers/slack-bot-process.ts', import.meta.url));
const SECRET = 'inbox-crash-signing-secret';
const COMMANDS = 40;
// Short, so the restarted process takes over within seconds; the holder heartbeats every third.
const CLAIM_IDLE_MS = 2_000;

let server: TestRedis;
let api: FakeSlackApi;
let redis: Redis;
const prefix = randomPrefix();
const children: ChildProcess[] = [];
const stderr: string[] = [];

function startBot(name: string, inbox: 'durable' | 'memory' = 'durable'): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, entryArgs(BOT), {
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', REDIS_URL: server.url, PREFIX: prefix, API_URL: api.apiUrl, SECRET, CLAIM_IDLE_MS: String(CLAIM_IDLE_MS), INBOX: inbox },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stderr?.on('data', (d: Buffer) => stderr.push(...d.toString().split('\n').filter(Boolean).map((l) => `${name} ${l}`)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}/slack/events` });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${stderr.slice(-20).join('\n')}`)));
  });
}

const postsTo = (dm: string) => api.callsOf('chat.postMessage').filter((c) => c.args['channel'] === dm).length;

beforeAll(async () => {
  server = await startRedis({ allowExternal: false });
  api = await new FakeSlackApi().start();
  redis = new Redis(server.url);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.quit();
  await api?.stop();
  await server?.stop();
});

describe('Slack: the durable inbox across a SIGKILL right after the acks', () => {
  it('40 commands acknowledged, the bot killed, a new one started: 40 stored, 40 answered, none twice', async () => {
    const store = new RedisStore(new Redis(server.url), prefix);
    const first = await startBot('bot1');

    // A control user through the same process first: how many messages one `start` answer is.
    const control = new SlackUser({ url: first.url, secret: SECRET }, api, 'UCONTROL');
    expect((await control.command('start Control Co')).status).toBe(200);
    await api.waitFor(() => postsTo(control.dm) > 0 && api.callsOf('views.publish').length > 0, 'the control answer', 15_000);
    const perAnswer = postsTo(control.dm);

    const users = Array.from({ length: COMMANDS }, (_, i) => new SlackUser({ url: first.url, secret: SECRET }, api, `UK${String(i).padStart(3, '0')}`));
    const gone = new Promise((resolve) => first.child.once('exit', resolve));
    let acked = 0;
    // Killed from the answer handler of the 40th ack: no turn gets a head start from the test.
    await Promise.all(
      users.map(async (u, i) => {
        const res = await u.command(`start Client ${i}`);
        if (res.status === 200) acked++;
        if (acked === COMMANDS) first.child.kill('SIGKILL');
      }),
    );
    await gone;
    const answeredBeforeKill = users.filter((u) => postsTo(u.dm) > 0).length;
    const { stream } = inboxKeys(prefix, 'slack');
    const leftInInbox = await redis.xlen(stream);

    await startBot('bot2');
    await waitUntil('every user answered', () => users.every((u) => postsTo(u.dm) >= perAnswer), 60_000, () => stderr.slice(-20).join('\n'));
    // Drained: nothing waiting or pending, so no late re-run can still add a second answer.
    await waitUntil('the inbox drained', async () => (await redis.xlen(stream)) === 0 && Number((await redis.xpending(stream, INBOX_GROUP))[0]) === 0, 30_000);

    const stored = (await Promise.all(users.map(async (u) => ((await store.loadUser({ platform: 'slack', tenant: 'T1', id: u.id }))?.openCases.length ?? 0) === 1))).filter(Boolean).length;
    const answered = users.filter((u) => postsTo(u.dm) >= perAnswer).length;
    const duplicated = users.filter((u) => postsTo(u.dm) > perAnswer).length;
    console.log(`[inbox-crash slack] acked=${acked} answered_before_kill=${answeredBeforeKill} left_in_inbox_at_kill=${leftInInbox} stored=${stored} answered=${answered} duplicated=${duplicated} (messages per answer: ${perAnswer})`);

    expect(acked).toBe(COMMANDS);
    expect(stored).toBe(COMMANDS);
    expect(answered).toBe(COMMANDS);
    expect(duplicated).toBe(0);
    expect(stderr.filter((l) => /"level":"error"/.test(l))).toEqual([]);
    await store.close();
  }, 120_000);

  it('the same with the old in-memory path loses what was acknowledged (what the inbox is for)', async () => {
    const store = new RedisStore(new Redis(server.url), prefix);
    const first = await startBot('mem1', 'memory');
    const users = Array.from({ length: COMMANDS }, (_, i) => new SlackUser({ url: first.url, secret: SECRET }, api, `UM${String(i).padStart(3, '0')}`));
    const gone = new Promise((resolve) => first.child.once('exit', resolve));
    let acked = 0;
    await Promise.all(
      users.map(async (u, i) => {
        const res = await u.command(`start Client ${i}`);
        if (res.status === 200) acked++;
        if (acked === COMMANDS) first.child.kill('SIGKILL');
      }),
    );
    await gone;
    const second = await startBot('mem2', 'memory');
    // A turn of the restarted process shows it serves; nothing brings the lost ones back.
    const probe = new SlackUser({ url: second.url, secret: SECRET }, api, 'UMPROBE');
    await probe.command('start Probe');
    await api.waitFor(() => postsTo(probe.dm) > 0, 'the probe answer', 15_000);
    const stored = (await Promise.all(users.map(async (u) => ((await store.loadUser({ platform: 'slack', tenant: 'T1', id: u.id }))?.openCases.length ?? 0) === 1))).filter(Boolean).length;
    const answered = users.filter((u) => postsTo(u.dm) > 0).length;
    console.log(`[inbox-crash slack, in-memory path] acked=${acked} stored=${stored} answered=${answered}`);
    expect(acked).toBe(COMMANDS);
    expect(stored).toBeLessThan(COMMANDS);
    await store.close();
  }, 120_000);
});
