/**
 * What an operator reaches over HTTP: /healthz, /readyz, /metrics and Bull Board, both on the
 * Slack port (Bolt's receiver, beside /slack/events) and on a port of their own (the worker's,
 * the board's). Real Bolt, real BullMQ queue, a throwaway Redis, the fake Slack Web API.
 */
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type RunningSlack } from '../adapters/slack/index.js';
import { QUEUE_STATES } from '../jobs/queue.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { boardHandler } from '../ops/board.js';
import { boltRoutes, opsRoutes, redisReady, serveOps, type OpsServer } from '../ops/http.js';
import { Metrics } from '../ops/metrics.js';
import { silentLog } from '../src/log.js';
import { FakeSlackApi } from './helpers/fake-slack-api.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { metricSum as sum } from './helpers/prom-text.js';
import { seedCoolingCase } from './helpers/reminder-fixtures.js';
import { SlackUser } from './helpers/slack-user.js';

const SECRET = 'ops-signing-secret';
const ADMIN = { user: 'admin', password: 'correct horse battery' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let redis: TestRedis;
let api: FakeSlackApi;
let rt: Runtime;
let adapterRedis: Redis;
let slack: RunningSlack;
let plain: OpsServer;
let metrics: Metrics;
let healthy = true;

beforeAll(async () => {
  redis = await startRedis();
  api = await new FakeSlackApi().start();
  const prefix = randomPrefix();
  metrics = new Metrics('bot');
  rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog, undefined, { onTurn: metrics.onTurn, onSchedulerChange: metrics.onScheduler });
  metrics.watchQueue(() => rt.queue.getJobCounts(...QUEUE_STATES), () => rt.jobsRedis.status === 'ready');
  adapterRedis = new Redis(redis.url);
  const checks = [redisReady(rt.jobsRedis), { name: 'slack', ready: () => healthy }];
  const routes = opsRoutes({ metrics, checks, board: boardHandler([rt.queue], ADMIN) });
  slack = await startSlack({
    engine: rt.engine,
    redis: adapterRedis,
    config: { signingSecret: SECRET, install: { kind: 'single', botToken: 'xoxb-ops-test' }, transport: { kind: 'http', port: 0 }, apiUrl: api.apiUrl },
    keyPrefix: prefix,
    log: silentLog,
    routes: boltRoutes(routes, silentLog),
  });
  // The same endpoints on their own port, without Bull Board (no admin credentials there).
  plain = await serveOps(0, opsRoutes({ metrics, checks: [redisReady(rt.jobsRedis)] }), silentLog);
});

afterAll(async () => {
  await slack?.stop();
  await plain?.close();
  await rt?.close();
  await adapterRedis?.quit();
  await api?.stop();
  await redis?.stop();
});

const on = (port: number | undefined, path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port}${path}`, init);

describe('operator endpoints on the Slack port', () => {
  it('/healthz and /readyz answer beside /slack/events, and /readyz names the check that fails', async () => {
    const health = await on(slack.port, '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await on(slack.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, slack: true } });

    healthy = false;
    const unready = await on(slack.port, '/readyz');
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({ status: 'unready', checks: { redis: true, slack: false } });
    healthy = true;

    // Slack's own endpoint still works on the same port.
    const user = new SlackUser({ url: `http://127.0.0.1:${slack.port}/slack/events`, secret: SECRET }, api, 'UOPS');
    expect((await user.command('help')).status).toBe(200);
    expect((await on(slack.port, '/nothing-here')).status).toBe(404);
  });

  it('/metrics counts turns and replies, and reports the queue depth', async () => {
    const user = new SlackUser({ url: `http://127.0.0.1:${slack.port}/slack/events`, secret: SECRET }, api, 'UMET');
    const before = await (await on(slack.port, '/metrics')).text();
    const turnsBefore = sum(before, 'offboard_turns_total', { platform: 'slack' });
    expect((await user.command('help')).status).toBe(200);
    await api.waitFor(async () => sum(await (await on(slack.port, '/metrics')).text(), 'offboard_turns_total', { platform: 'slack' }) > turnsBefore, 'the turn to be counted');
    // A pending reminder shows as a delayed job.
    const s = await seedCoolingCase(rt.store, { platform: 'slack', tenant: 'T1', id: 'UMET2' }, 'cmet', new Date(Date.now() + 3_600_000));
    await rt.scheduler.schedule(s.user, s.caseId, s.reminder);
    const res = await on(slack.port, '/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/offboard_turns_total\{[^}]*inbound="command"[^}]*\} [1-9]/);
    expect(sum(text, 'offboard_replies_total', { platform: 'slack' })).toBeGreaterThan(0);
    expect(sum(text, 'offboard_reminder_jobs_total', { change: 'scheduled' })).toBe(1);
    expect(sum(text, 'offboard_reminder_queue_jobs', { state: 'delayed' })).toBe(1);
    expect(text).toContain('# TYPE offboard_reminder_lateness_seconds histogram');
    expect(text).toContain('offboard_process_cpu_seconds_total');
    // Labels are kinds from a fixed set, never what someone typed.
    const inbound = new Set([...text.matchAll(/inbound="([^"]*)"/g)].map((m) => m[1]));
    expect([...inbound].every((k) => ['command', 'unknownCommand', 'text', 'choice', 'multi', 'date', 'submit', 'reminder'].includes(k ?? ''))).toBe(true);
  });

  it('Bull Board asks for the admin credentials and then shows the reminder queue', async () => {
    const none = await on(slack.port, '/admin/queues');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await on(slack.port, '/admin/queues', { headers: { authorization: basic('admin', 'wrong password!') } })).status).toBe(401);
    expect((await on(slack.port, '/admin/queues', { headers: { authorization: basic('root', ADMIN.password) } })).status).toBe(401);
    expect((await on(slack.port, '/admin/queues', { headers: { authorization: 'Basic not-base64!' } })).status).toBe(401);

    const page = await on(slack.port, '/admin/queues', { headers: { authorization: basic(ADMIN.user, ADMIN.password) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('offboard reminders');
    const queues = await on(slack.port, '/admin/queues/api/queues?activeQueue=reminders&status=delayed', { headers: { authorization: basic(ADMIN.user, ADMIN.password) } });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(body.queues.map((q) => q.name)).toEqual(['reminders']);
    // The API behind the page is as closed as the page.
    expect((await on(slack.port, '/admin/queues/api/queues')).status).toBe(401);
  });
});

/** A request with a raw request line, as a scanner would send it (fetch would tidy the path). */
function rawGet(port: number | undefined, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('operator endpoints on a port of their own', () => {
  it('survives odd request lines', async () => {
    for (const path of ['//', '//metrics', '/%', '/healthz/../metrics', '/admin/queues/..%2f']) expect(await rawGet(plain.port, path)).toBe(404);
    expect(await rawGet(plain.port, '/healthz?probe=1')).toBe(200);
    expect((await on(plain.port, '/healthz')).status).toBe(200);
  });

  it('serves health, readiness and metrics; without admin credentials there is no Bull Board', async () => {
    expect((await on(plain.port, '/healthz')).status).toBe(200);
    expect((await on(plain.port, '/readyz')).status).toBe(200);
    expect((await on(plain.port, '/metrics')).status).toBe(200);
    expect((await on(plain.port, '/admin/queues', { headers: { authorization: basic(ADMIN.user, ADMIN.password) } })).status).toBe(404);
    const post = await on(plain.port, '/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('delivery metrics', () => {
  it('sent, recovered, late, moot and failed reminders each land in their own counter', async () => {
    const m = new Metrics('worker');
    m.onDelivery({ outcome: 'sent', platform: 'slack', count: 1, lateMs: 120 });
    m.onDelivery({ outcome: 'sent', platform: 'discord', count: 3, late: true, lateMs: 2 * 3600_000 });
    m.onDelivery({ outcome: 'recovered', platform: 'slack', count: 1 });
    m.onDelivery({ outcome: 'moot', platform: 'slack', count: 1, reason: 'case closed' });
    m.onDelivery({ outcome: 'failed', platform: 'slack', count: 2, reason: 'user_not_found' });
    m.onDelivery({ outcome: 'delayed', platform: 'slack', count: 1 });
    const text = await m.text();
    expect(sum(text, 'offboard_reminders_sent_total', { outcome: 'sent' })).toBe(4);
    expect(sum(text, 'offboard_reminders_sent_total', { outcome: 'recovered' })).toBe(1);
    expect(sum(text, 'offboard_reminders_late_total', { platform: 'discord' })).toBe(3);
    expect(sum(text, 'offboard_reminders_moot_total', { reason: 'case closed' })).toBe(1);
    expect(sum(text, 'offboard_reminders_failed_total', { reason: 'user_not_found' })).toBe(2);
    // One observation per message; the two-hour one falls in the 4-hour bucket, not the 1-hour one.
    expect(sum(text, 'offboard_reminder_lateness_seconds_count', { platform: 'discord' })).toBe(1);
    expect(sum(text, 'offboard_reminder_lateness_seconds_bucket', { le: '3600', platform: 'discord' })).toBe(0);
    expect(sum(text, 'offboard_reminder_lateness_seconds_bucket', { le: '14400', platform: 'discord' })).toBe(1);
  });
});
