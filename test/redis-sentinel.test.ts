/**
 * Failover without loss, on a real Sentinel deployment (a primary, a replica, three
 * Sentinels): the primary is SIGKILLed in the middle of a burst of 1,000 reminders and of 200
 * turns. After the Sentinels promote the replica, every reminder has gone out exactly once
 * and every turn that was answered is stored. Writes that Redis's asynchronous replication
 * lost are put back by the reconciler from the cases; the test prints how many.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { REMINDER_JOB } from '../jobs/reminder-job.js';
import { openRuntime, startRuntimeWorker, type Runtime } from '../jobs/runtime.js';
import type { RunningWorker } from '../jobs/worker.js';
import { parseTyped } from '../src/engine/parse-command.js';
import { readConfig } from '../src/config.js';
import { connectRedis, targetAnswers } from '../src/runtime/redis-connection.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { waitUntil } from './helpers/net.js';
import { RecordingNotifier } from './helpers/recording-notifier.js';
import { randomPrefix } from './helpers/redis-server.js';
import { startSentinel, type TestSentinel } from './helpers/redis-sentinel.js';
import { seedCoolingCase } from './helpers/reminder-fixtures.js';

const REMINDERS = Number(process.env['HA_REMINDERS'] ?? 1_000);
const TURNS = Number(process.env['HA_TURNS'] ?? 200);
const TURN_LANES = 10;
const TURN_PAUSE_MS = 400;
// The reminders fall due over this window; the primary dies once a quarter of them are out.
const SPREAD_MS = 8_000;
const KILL_AFTER = Math.floor(REMINDERS / 4);
// From the start of seeding to the first due time. Seeding that runs past it is fine (see
// below): the kill waits for a count of sends, not for a moment.
const SEED_HEADROOM_MS = 5_000;
// The failover's stages (reconnects, promotion, counts), printed only when the test fails:
// a passing run's reconnect lines are expected and would be noise.
const stages: string[] = [];
const stage = (what: string): void => void stages.push(`[failover ${new Date().toISOString().slice(11, 19)}] ${what}`);

let ha: TestSentinel;
let rt: Runtime;
let worker: RunningWorker | null = null;
const prefix = randomPrefix();
const notifier = new RecordingNotifier('console');
const who = (id: string): UserRef => ({ platform: 'console', tenant: '', id });

beforeAll(async () => {
  ha = await startSentinel();
  rt = openRuntime({ redisUrl: '', redis: ha.target, keyPrefix: prefix }, silentLog);
});

afterAll(async () => {
  await worker?.close(2_000).catch(() => undefined);
  await rt?.close();
  await ha?.stop();
});

async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

const sentTo = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const m of notifier.sent) counts.set(m.user.id, (counts.get(m.user.id) ?? 0) + 1);
  return counts;
};

describe('Sentinel failover', () => {
  it('SIGKILL of the primary mid-burst: every reminder once, every answered turn kept', async () => {
    onTestFailed(() => void process.stderr.write(`${stages.join('\n')}\n`));
    expect(await targetAnswers(ha.target), 'the Sentinels lead to the primary').toBe(true);
    const reminderUsers = Array.from({ length: REMINDERS }, (_, i) => who(`r${i}`));
    // Seeding takes well under a second here; the headroom is for a loaded machine.
    const firstDue = Date.now() + SEED_HEADROOM_MS;
    await inLanes(reminderUsers.map((u, i) => ({ u, i })), 40, async ({ u, i }) => {
      const s = await seedCoolingCase(rt.store, u, `c${i}`, new Date(firstDue + Math.floor((i * SPREAD_MS) / REMINDERS)));
      await rt.scheduler.schedule(s.user, s.caseId, s.reminder);
    });
    // On a slow machine seeding may run past the first due instant; the burst then starts with
    // the worker below, and the kill still falls in its middle (it waits for a count of sends).
    stage(`seeded, ${Math.round((firstDue - Date.now()) / 1000)} s before the first is due`);
    worker = await startRuntimeWorker(rt, { keyPrefix: prefix, workerConcurrency: 50 }, { console: notifier }, silentLog, { lockDurationMs: 5_000, stalledIntervalMs: 2_000 });

    // Turns run alongside the reminders, before, across and after the kill.
    const acknowledged: UserRef[] = [];
    let refused = 0;
    await waitUntil('the burst to start', () => notifier.sent.length >= 50, 60_000);
    const turns = inLanes(Array.from({ length: TURNS }, (_, i) => who(`t${i}`)), TURN_LANES, async (u) => {
      try {
        await rt.engine.handle({ user: u, inbound: parseTyped('start Acme'), hints: { locale: 'en', timeZone: 'UTC' } });
        acknowledged.push(u);
      } catch {
        // The user was told something went wrong; nothing was promised.
        refused++;
      }
      // Paced so that the turns run from before the kill until after the promotion.
      await new Promise((r) => setTimeout(r, TURN_PAUSE_MS));
    });

    await waitUntil('a quarter of the reminders out', () => notifier.sent.length >= KILL_AFTER, 60_000);
    // What the connections went through, for the log when something is slow to come back.
    for (const ev of ['reconnecting', 'ready', 'end'] as const) rt.jobsRedis.on(ev, () => stage(`jobs connection: ${ev}`));
    const beat = setInterval(() => stage(`${notifier.sent.length} sent, jobs connection ${rt.jobsRedis.status}`), 5_000);
    beat.unref();
    const oldPrimary = ha.primary.port;
    await ha.primary.kill();
    const sentAtKill = notifier.sent.length;
    stage(`primary killed after ${sentAtKill} sends`);
    const killedAt = Date.now();
    await waitUntil('the Sentinels to promote the replica', async () => (await ha.primaryPort()) === ha.replica.port, 60_000);
    const promotedMs = Date.now() - killedAt;
    stage(`replica promoted in ${promotedMs} ms`);
    await turns;
    stage(`turns done: ${acknowledged.length} acknowledged, ${refused} refused`);

    // What the worker delivers by itself; then the reconciler puts back jobs the failover lost.
    const allOut = () => [...reminderUsers].every((u) => sentTo().has(u.id));
    await waitUntil('the burst to end', async () => allOut() || (await rt.queue.getJobCounts('delayed', 'wait', 'active')).delayed === 0, 90_000).catch(() => undefined);
    const before = reminderUsers.filter((u) => sentTo().has(u.id)).length;
    const drainedMs = Date.now() - killedAt;
    stage(`${before} reminders out before the reconciler`);
    clearInterval(beat);
    const report = await worker.reconcile();
    stage(`reconciler: ${JSON.stringify(report)}`);
    await waitUntil('every reminder out', allOut, 90_000, () => `${reminderUsers.filter((u) => !sentTo().has(u.id)).length} missing`);
    await waitUntil(
      'the queue to drain',
      async () => (await rt.queue.getJobs(['delayed', 'wait', 'active'])).filter((j) => j.name === REMINDER_JOB).length === 0,
      60_000,
    );

    const counts = sentTo();
    const duplicated = reminderUsers.reduce((n, u) => n + Math.max(0, (counts.get(u.id) ?? 0) - 1), 0);
    const missingTurns: string[] = [];
    for (const u of acknowledged) if ((await rt.store.loadUser(u))?.openCases.length !== 1) missingTurns.push(u.id);
    process.stdout.write(
      `sentinel failover: primary :${oldPrimary} killed after ${sentAtKill} sends, replica promoted in ${promotedMs} ms, burst over ${Math.round(drainedMs / 1000)} s after the kill; ` +
        `reminders due ${REMINDERS}, delivered ${reminderUsers.filter((u) => counts.has(u.id)).length}, duplicated ${duplicated}, ` +
        `out before the reconciler ${before}, jobs recreated by the reconciler ${report.created}; ` +
        `turns ${TURNS}: acknowledged ${acknowledged.length}, refused during the failover ${refused}, acknowledged and stored ${acknowledged.length - missingTurns.length}\n`,
    );
    expect(reminderUsers.filter((u) => counts.get(u.id) !== 1).map((u) => `${u.id}×${counts.get(u.id) ?? 0}`)).toEqual([]);
    expect(missingTurns).toEqual([]);
    expect(acknowledged.length + refused).toBe(TURNS);
  }, 600_000);

  it('with passwords: the nodes\' and the Sentinels\' own, given as REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD', async () => {
    const locked = await startSentinel({ password: 'node-pass-7Qx', sentinelPassword: 'sentinel-pass-9Wz' });
    try {
      const env = {
        REDIS_SENTINELS: locked.target.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
        REDIS_SENTINEL_NAME: locked.target.name,
        REDIS_PASSWORD: 'node-pass-7Qx',
        REDIS_SENTINEL_PASSWORD: 'sentinel-pass-9Wz',
      };
      const target = readConfig(env).redis;
      expect(await targetAnswers(target)).toBe(true);
      const redis = connectRedis(target, { maxRetriesPerRequest: 1 });
      try {
        await redis.set(`${prefix}:locked`, 'ok');
        expect(await redis.get(`${prefix}:locked`)).toBe('ok');
      } finally {
        redis.disconnect();
      }
      // Either password missing: nothing answers.
      expect(await targetAnswers(readConfig({ ...env, REDIS_PASSWORD: '' }).redis)).toBe(false);
      expect(await targetAnswers(readConfig({ ...env, REDIS_SENTINEL_PASSWORD: '' }).redis)).toBe(false);
    } finally {
      await locked.stop();
    }
  }, 120_000);
});
