/**
 * The bot on a real Redis Cluster (3 primaries, 3 replicas, from redis-server on free ports):
 * conversations, reminders through BullMQ and the worker, the durable inbox, the reconciler
 * and forget. Afterwards every node's error statistics must show no CROSSSLOT (a multi-key
 * command or script that spanned two slots) and no other refused command.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appender } from '../adapters/intake/append.js';
import { inboxKeys } from '../adapters/intake/keys.js';
import { discordKeys } from '../adapters/discord/keys.js';
import { slackKeys } from '../adapters/slack/keys.js';
import { REMINDER_JOB } from '../jobs/reminder-job.js';
import { openRuntime, startRuntimeWorker, type Runtime } from '../jobs/runtime.js';
import type { RunningWorker } from '../jobs/worker.js';
import { parseTyped } from '../src/engine/parse-command.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { primaries, targetAnswers } from '../src/runtime/redis-connection.js';
import { keys as makeKeys } from '../src/store/keys.js';
import { RecordingNotifier } from './helpers/recording-notifier.js';
import { CLUSTER_PASSWORD, startCluster, type TestCluster } from './helpers/redis-cluster.js';
import { onNode } from './helpers/redis-node.js';
import { randomPrefix } from './helpers/redis-server.js';
import { freePort, httpGet, waitUntil } from './helpers/net.js';
import { seedCoolingCase } from './helpers/reminder-fixtures.js';
import { entryArgs } from './helpers/app-entry.js';

const WALK = ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes', '30', 'yes', '2', 'skip', '1', '2', '2026-11-30 14:00', '1', 'Website', '2'];
const REMINDERS = 90;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let cluster: TestCluster;
let rt: Runtime;
let worker: RunningWorker | null = null;
const prefix = randomPrefix();
const notifier = new RecordingNotifier('console');
const console_ = (id: string): UserRef => ({ platform: 'console', tenant: '', id });

beforeAll(async () => {
  cluster = await startCluster();
  // The counters below are the bot's alone: forget the set-up's (its probes, CLUSTER REPLICATE).
  for (const n of cluster.nodes) await onNode(n.port, (r) => r.config('RESETSTAT'), CLUSTER_PASSWORD);
  rt = openRuntime({ redisUrl: '', redis: cluster.target, keyPrefix: prefix }, silentLog);
});

afterAll(async () => {
  await worker?.close(2_000).catch(() => undefined);
  await rt?.close();
  await cluster?.stop();
});

/** Sum of one error kind over every node (Redis 7's INFO errorstats). */
async function errorCounts(): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const n of cluster.nodes) {
    const info = await onNode(n.port, (r) => r.info('errorstats'), CLUSTER_PASSWORD);
    for (const m of info.matchAll(/errorstat_(\w+):count=(\d+)/g)) totals[m[1] ?? ''] = (totals[m[1] ?? ''] ?? 0) + Number(m[2]);
  }
  return totals;
}

describe('on a Redis Cluster', () => {
  it('every key of one user, and every key of the queue, hashes to one slot', async () => {
    const slots = async (list: string[]) => new Set(await onNode(cluster.nodes[0]?.port ?? 0, (r) => Promise.all(list.map((key) => r.cluster('KEYSLOT', key))), CLUSTER_PASSWORD));
    const k = makeKeys(prefix);
    const u = { platform: 'slack', tenant: 'T1', id: 'U:odd}{id*' } as const;
    const s = slackKeys(prefix);
    const d = discordKeys(prefix);
    const own = [k.user(u), k.case(u, 'c1'), k.outbox(u, 'o'), k.message(u, 'm'), k.occurrence(u, 'x'), k.deliveryLock(u), k.inbox(u), k.inboxKeys(u), k.inboxCursor(u), s.form(u, 'f'), d.form(u, 'c1', 'q'), d.parts(u, 'p')];
    expect((await slots(own)).size).toBe(1);
    const inbox = inboxKeys(prefix, 'slack');
    expect((await slots([inbox.stream, inbox.seen('e1'), inbox.lane('slack:T1:U1')])).size).toBe(1);
    expect((await slots([...Object.values(rt.queue.keys), rt.queue.toKey('r-any-job')])).size).toBe(1);
  });

  it('conversations, reminders, the inbox, the reconciler and forget: no CROSSSLOT anywhere', async () => {
    // Conversations: optimistic commits (a Lua script over the user and case keys), MGETs.
    const walkers = Array.from({ length: 6 }, (_, i) => console_(`walker${i}`));
    await Promise.all(
      walkers.map(async (u) => {
        for (const line of WALK) await rt.engine.handle({ user: u, inbound: parseTyped(line), hints: { locale: 'en', timeZone: 'Europe/Berlin' } });
      }),
    );
    for (const u of walkers) expect((await rt.store.loadUser(u))?.openCases, u.id).toHaveLength(1);

    // Reminders due in a few seconds, for users spread over the three primaries.
    const due = new Date(Date.now() + 10_000);
    const seeded = await Promise.all(Array.from({ length: REMINDERS }, (_, i) => seedCoolingCase(rt.store, console_(`r${i}`), `c${i}`, due)));
    for (const s of seeded) await rt.scheduler.schedule(s.user, s.caseId, s.reminder);
    const holding = await Promise.all(primaries(rt.jobsRedis).map((node) => node.dbsize()));
    expect(holding.filter((n) => n > 0), 'every primary holds some keys').toHaveLength(3);

    // The reconciler reads users from every primary: three lost jobs come back.
    worker = await startRuntimeWorker(rt, { keyPrefix: prefix, workerConcurrency: 20 }, { console: notifier }, silentLog, { lockDurationMs: 5_000, stalledIntervalMs: 2_000 });
    const delayed = await rt.queue.getJobs(['delayed']);
    for (const s of seeded.slice(0, 3)) expect(await rt.queue.remove(delayed.find((j) => j.data && 'caseId' in j.data && j.data.caseId === s.caseId)?.id ?? '')).toBe(1);
    const report = await worker.reconcile();
    expect(report.users).toBeGreaterThanOrEqual(REMINDERS + walkers.length);
    expect(report.created).toBeGreaterThanOrEqual(3);

    await waitUntil('every reminder delivered', () => new Set(notifier.sent.map((m) => m.user.id).filter((id) => id.startsWith('r'))).size >= REMINDERS, 60_000);
    const perUser = new Map<string, number>();
    for (const m of notifier.sent) perUser.set(m.user.id, (perUser.get(m.user.id) ?? 0) + 1);
    expect([...perUser.entries()].filter(([id, n]) => id.startsWith('r') && n !== 1)).toEqual([]);
    await waitUntil('the queue to drain', async () => (await rt.queue.getJobs(['delayed', 'wait', 'active'])).filter((j) => j.name === REMINDER_JOB).length === 0, 30_000);

    // The durable inbox's append script: stream, de-dup marker and lane in one slot.
    const append = appender(rt.jobsRedis, inboxKeys(prefix, 'slack'));
    expect((await append('slack:T1:U1', 'Ev1', '{}')).id).not.toBeNull();
    expect((await append('slack:T1:U1', 'Ev1', '{}')).id).toBeNull();

    // Forget: every key of the user goes, on whichever primary holds them.
    const gone = walkers[0] as UserRef;
    const asked = await rt.engine.handle({ user: gone, inbound: parseTyped('forget'), hints: { locale: 'en' } });
    expect(asked.replies.length).toBeGreaterThan(0);
    await rt.store.forgetUser(gone);
    const left = await Promise.all(primaries(rt.jobsRedis).map((node) => node.keys(makeKeys(prefix).userPattern(gone))));
    expect(left.flat()).toEqual([]);
    expect(await rt.store.loadUser(walkers[1] as UserRef)).not.toBeNull();

    const errors = await errorCounts();
    expect(errors['CROSSSLOT'] ?? 0, JSON.stringify(errors)).toBe(0);
    // Every command the bot sent was carried out (BullMQ's scripts count errors they catch
    // under ERR, so the per-command figures are the ones to read).
    const failing: string[] = [];
    for (const n of cluster.nodes) {
      const info = await onNode(n.port, (r) => r.info('commandstats'), CLUSTER_PASSWORD);
      for (const m of info.matchAll(/cmdstat_([\w|]+):.*rejected_calls=(\d+),failed_calls=(\d+)/g)) {
        if (m[2] !== '0' || m[3] !== '0') failing.push(m[0]);
      }
    }
    expect(failing).toEqual([]);
  }, 180_000);

  it('npm run worker with REDIS_CLUSTER_NODES and REDIS_PASSWORD: starts, is ready, stops on SIGTERM', async () => {
    expect(await targetAnswers(cluster.target)).toBe(true);
    expect(await targetAnswers({ ...cluster.target, auth: { tls: false } }), 'no password, no answer').toBe(false);
    expect(await targetAnswers({ ...cluster.target, nodes: [{ host: '127.0.0.1', port: await freePort() }] })).toBe(false);
    const port = await freePort();
    const nodes = cluster.target.nodes.map((n) => `${n.host}:${n.port}`).join(',');
    const child = spawn(process.execPath, entryArgs(join(ROOT, 'jobs', 'main.ts')), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', LOG_FORMAT: 'json', REDIS_CLUSTER_NODES: nodes, REDIS_PASSWORD: CLUSTER_PASSWORD, OFFBOARD_PREFIX: prefix, WORKER_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((done) => child.once('close', done));
    try {
      await waitUntil('the worker to start on the Cluster', () => out.includes('worker started'), 60_000, () => out);
      await waitUntil('/readyz to say ready', async () => (await httpGet(port, '/readyz')).status === 200, 30_000, () => out);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, out).toBe(0);
  }, 120_000);
});
