/**
 * The deployment as docker compose runs it, without Docker: two bot processes (`npm run
 * serve`) and two worker processes (`npm run worker`), each its own OS process with its own
 * operator port, on one Redis, with Slack faked on 127.0.0.1. 500 people each start a case
 * through signed Slack requests, their steps landing on either bot; their reminders come due
 * within seconds; one worker is SIGKILLed midway. Every reminder must reach its person exactly
 * once, and what /metrics reports must match what the fake Slack saw.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMINDER_EVENT_TYPE } from '../adapters/slack/index.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { FakeSlackApi, type ApiCall } from './helpers/fake-slack-api.js';
import { freePort, httpGet as get, waitUntil } from './helpers/net.js';
import { metricSum as metric } from './helpers/prom-text.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { bringForward, reminderJobsPending } from './helpers/reminder-fixtures.js';
import { SlackUser } from './helpers/slack-user.js';
import { entryArgs } from './helpers/app-entry.js';

const CASES = 500;
// People driven at once; each one's own steps stay in order, as a person's would.
const PARALLEL = 25;
const SECRET = 'multiprocess-signing-secret';
const BOT_MAIN = fileURLToPath(new URL('../adapters/main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../jobs/main.ts', import.meta.url));
// Short, so the killed worker's jobs are taken over within seconds, not the default 30 s.
const LOCK_SECONDS = 5;

interface Proc {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
  /** Every line that logged an error, or showed a secret or what a user typed. */
  bad: string[];
  exit: Promise<number | null>;
}

let redis: TestRedis;
let api: FakeSlackApi;
let rt: Runtime;
const prefix = randomPrefix();
const procs: Proc[] = [];


function launch(name: string, script: string, args: string[], env: Record<string, string>, port: number): Proc {
  const child = spawn(process.execPath, [...entryArgs(script), ...args], {
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const bad: string[] = [];
  const keep = (chunk: Buffer) => {
    const lines = chunk.toString().split('\n').filter(Boolean);
    output.push(...lines);
    bad.push(...lines.filter((l) => /"level":"(error|fatal)"|xoxb-|Client \d/.test(l) || l.includes(SECRET)));
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc = { name, port, child, output, bad, exit };
  procs.push(proc);
  return proc;
}




/** Waits; a timeout shows the last lines each process (or the given ones) printed. */
const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, procsToShow: Proc[] = procs) =>
  waitUntil(what, check, timeoutMs, () => procsToShow.map((p) => `--- ${p.name}\n${p.output.slice(-15).join('\n')}`).join('\n'));

const isReminderPost = (c: ApiCall) => c.method === 'chat.postMessage' && (c.args['metadata'] as { event_type?: string } | undefined)?.event_type === REMINDER_EVENT_TYPE;
const reminderPosts = () => api.calls.filter(isReminderPost);

const common = (): Record<string, string> => ({
  REDIS_URL: redis.url,
  OFFBOARD_PREFIX: prefix,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: api.apiUrl,
  LOG_FORMAT: 'json',
  // Info, as in production: the lines checked for secrets and client names are the real ones.
  LOG_LEVEL: 'info',
});

function ready(p: Proc): Promise<boolean> {
  return get(p.port, '/readyz').then((r) => r.status === 200);
}

beforeAll(async () => {
  redis = await startRedis({ aof: true, allowExternal: false });
  api = await new FakeSlackApi().start();
  rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog);
  for (const i of [0, 1]) {
    const port = await freePort();
    launch(`bot${i}`, BOT_MAIN, ['--serve'], { ...common(), SLACK_BOT_TOKEN: `xoxb-bot-${i}`, PORT: String(port), OFFBOARD_WORKER: 'off' }, port);
  }
  for (const i of [0, 1]) {
    const port = await freePort();
    // Each worker posts with its own token, so the fake Slack can tell who sent what.
    const env = { ...common(), SLACK_BOT_TOKEN: `xoxb-worker-${i}`, WORKER_PORT: String(port), OFFBOARD_WORKER_CONCURRENCY: '50', OFFBOARD_WORKER_LOCK_SECONDS: String(LOCK_SECONDS) };
    launch(`worker${i}`, WORKER_MAIN, [], env, port);
  }
  await until('all four processes to be ready', async () => (await Promise.all(procs.map(ready))).every(Boolean), 45_000);
});

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await rt?.close();
  await api?.stop();
  await redis?.stop();
});

const bots = () => procs.filter((p) => p.name.startsWith('bot'));
const workers = () => procs.filter((p) => p.name.startsWith('worker'));
const idOf = (i: number) => `U${String(i).padStart(4, '0')}`;

/**
 * One person starts a case and chooses a one-day cooling-off, each step sent to the other
 * bot than the last, and each waited for in their DM as they would.
 */
async function coolOff(i: number): Promise<number> {
  const id = idOf(i);
  const via = bots().map((b) => new SlackUser({ url: `http://127.0.0.1:${b.port}/slack/events`, secret: SECRET }, api, id));
  const at = (step: number) => via[(i + step) % via.length] as SlackUser;
  const shows = (label: string) => () => {
    try {
      at(0).find(label);
      return true;
    } catch {
      return false;
    }
  };
  const steps: Array<[() => Promise<{ status: number }>, () => boolean, string]> = [
    [() => at(0).command(`start Client ${i}`), shows('Pays late'), 'the signs'],
    [() => at(1).tick(['Pays late'], 'Next'), shows('Skip'), 'the note'],
    [() => at(2).click('Skip'), () => at(0).textSince(0).includes('gut check'), 'the gut check'],
    [() => at(3).click('Skip'), shows('Yes, and nothing changed'), 'have you raised it'],
    [() => at(4).click('Yes, and nothing changed'), shows('1 day'), 'the cooling-off choice'],
    [() => at(5).click('1 day'), () => at(0).textSince(0).includes("I'll check in with you on"), 'the cooling-off set'],
  ];
  for (const [act, shown, what] of steps) {
    const res = await act();
    expect(res.status).toBe(200);
    await until(`${id}: ${what}`, shown, 20_000, bots());
  }
  return steps.length;
}

describe('two bots and two workers on one Redis, as compose runs them', () => {
  it('500 cases through both bots: every reminder once, a worker killed midway, /metrics matching what Slack saw', async () => {
    let turnsSent = 0;
    for (let from = 0; from < CASES; from += PARALLEL) {
      const batch = Array.from({ length: Math.min(PARALLEL, CASES - from) }, (_, k) => coolOff(from + k));
      turnsSent += (await Promise.all(batch)).reduce((a, b) => a + b, 0);
    }

    // Both bots served turns, and between them exactly the ones sent; each chose one reminder.
    const botMetrics = await Promise.all(bots().map((b) => get(b.port, '/metrics').then((r) => r.body)));
    for (const m of botMetrics) expect(metric(m, 'offboard_turns_total')).toBeGreaterThan(0);
    expect(botMetrics.reduce((n, m) => n + metric(m, 'offboard_turns_total', { outcome: 'done' }), 0)).toBe(turnsSent);
    expect(botMetrics.reduce((n, m) => n + metric(m, 'offboard_reminder_jobs_total', { change: 'scheduled' }), 0)).toBe(CASES);
    expect(botMetrics.reduce((n, m) => n + metric(m, 'offboard_replies_total'), 0)).toBeGreaterThanOrEqual(turnsSent);

    // A day is long for a test: each reminder is moved to a few seconds from now, spread over 4 s.
    const users: UserRef[] = Array.from({ length: CASES }, (_, i) => ({ platform: 'slack', tenant: 'T1', id: idOf(i) }));
    const queuedAt = Date.now();
    for (const [i, user] of users.entries()) await bringForward(rt, user, 'coolingEnd', Math.max(0, 3_000 - (Date.now() - queuedAt)) + Math.floor((i * 4_000) / CASES));

    // Midway, one worker dies without a goodbye.
    const [victim, survivor] = workers() as [Proc, Proc];
    await until('a quarter of the reminders', () => reminderPosts().length >= CASES / 4, 60_000);
    victim.child.kill('SIGKILL');
    await victim.exit;
    const killedAt = reminderPosts().length;
    expect(killedAt).toBeLessThan(CASES);

    await until('every reminder', () => new Set(reminderPosts().map((c) => c.args['channel'])).size >= CASES, 90_000, [survivor]);
    // Until no job can run again: the victim's jobs stay "active" until the survivor's stalled
    // check takes them over (after the lock, LOCK_SECONDS), and a re-run is where a duplicate would come from.
    await until('every job done, the victim\'s taken over', async () => (await reminderJobsPending(rt.queue)) === 0, 60_000, [survivor]);

    const posts = reminderPosts();
    const perDm = new Map<string, number>();
    for (const c of posts) perDm.set(String(c.args['channel']), (perDm.get(String(c.args['channel'])) ?? 0) + 1);
    expect(perDm.size).toBe(CASES);
    expect([...perDm.values()].filter((n) => n !== 1)).toEqual([]);
    expect(posts.length).toBe(CASES);

    // The survivor's counters are exactly what Slack saw from its token; the rest came from
    // the victim, before it died (a send it made and could not record is "recovered", not resent).
    const m = (await get(survivor.port, '/metrics')).body;
    const fromSurvivor = posts.filter((c) => c.token === 'xoxb-worker-1').length;
    const fromVictim = posts.filter((c) => c.token === 'xoxb-worker-0').length;
    expect(fromSurvivor + fromVictim).toBe(CASES);
    expect(fromVictim).toBeGreaterThan(0);
    expect(metric(m, 'offboard_reminders_sent_total', { outcome: 'sent' })).toBe(fromSurvivor);
    expect(metric(m, 'offboard_reminder_lateness_seconds_count')).toBe(fromSurvivor);
    expect(metric(m, 'offboard_reminders_sent_total', { outcome: 'recovered' })).toBeLessThanOrEqual(fromVictim);
    expect(metric(m, 'offboard_reminders_moot_total')).toBe(0);
    expect(metric(m, 'offboard_reminders_failed_total')).toBe(0);
    expect(metric(m, 'offboard_reminders_late_total')).toBe(0);
    // The queue is drained: nothing waiting, running or failed (the reconciler's own next round stays delayed).
    for (const state of ['waiting', 'active', 'failed']) expect(metric(m, 'offboard_reminder_queue_jobs', { state })).toBe(0);
    expect(metric(m, 'offboard_reminder_queue_jobs', { state: 'delayed' })).toBeLessThanOrEqual(1);

    // Nothing went wrong on the way, and no log line holds a token or a client's name.
    for (const p of [...bots(), survivor]) expect(p.bad, p.name).toEqual([]);
  }, 240_000);

  it('/readyz turns unready while Redis is down and ready again when it is back; /healthz stays up', async () => {
    const watched = [...bots(), ...workers().filter((w) => w.child.exitCode === null && w.child.signalCode === null)];
    expect(watched).toHaveLength(3);
    for (const p of watched) expect((await get(p.port, '/readyz')).status).toBe(200);

    await redis.halt();
    await until('every process to report unready', async () => (await Promise.all(watched.map(ready))).every((ok) => !ok), 15_000);
    for (const p of watched) {
      const r = await get(p.port, '/readyz');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toMatchObject({ status: 'unready', checks: { redis: false } });
      // Alive all the same: an orchestrator must not restart a process over Redis.
      expect((await get(p.port, '/healthz')).status).toBe(200);
      // And still scraped, at once, so the outage shows on the dashboards.
      const started = Date.now();
      const metrics = await get(p.port, '/metrics');
      expect(metrics.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(metrics.body).toContain('offboard_turns_total');
      expect(metrics.body).not.toMatch(/^offboard_reminder_queue_jobs\{/m);
    }

    await redis.resume();
    await until('every process to be ready again', async () => (await Promise.all(watched.map(ready))).every(Boolean), 30_000);
    for (const p of watched) expect(p.child.exitCode).toBeNull();
  });

  it('every process stops cleanly on SIGTERM', async () => {
    const running = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of running) p.child.kill('SIGTERM');
    const codes = await Promise.all(running.map((p) => Promise.race([p.exit, new Promise((r) => setTimeout(() => r('hung'), 20_000))])));
    // A process that did not stop cleanly shows its last lines: why it exited is in them.
    const unclean = running.filter((_, i) => codes[i] !== 0).map((p) => `--- ${p.name}\n${p.output.slice(-15).join('\n')}`);
    expect(codes, unclean.join('\n')).toEqual(running.map(() => 0));
  });
});
