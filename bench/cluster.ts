/**
 * `npm run bench -- --cluster`: the same turns and the same reminder burst on one
 * redis-server and on a 3-primary, 3-replica Cluster, in one run, so the two are compared on
 * the same machine at the same moment. Prints turn latency (p50, p99) and the time from the
 * reminders' due instant until the last one is out, with how many were lost or sent twice.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { REMINDER_JOB } from '../jobs/reminder-job.js';
import { openRuntime, startRuntimeWorker } from '../jobs/runtime.js';
import type { RedisTarget } from '../src/config/redis-target.js';
import { parseTyped } from '../src/engine/parse-command.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { RecordingNotifier } from '../test/helpers/recording-notifier.js';
import { startCluster } from '../test/helpers/redis-cluster.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { seedCoolingCase } from '../test/helpers/reminder-fixtures.js';
import { percentiles, pool } from './stats.js';

const USERS = Number(process.env['BENCH_CLUSTER_USERS'] ?? 500);
const IN_FLIGHT = 32;
const REMINDERS = Number(process.env['BENCH_CLUSTER_REMINDERS'] ?? 2_000);
const LEAD_MS = 5_000;
const DRAIN_LIMIT_MS = 180_000;
// A few turns per person, the ones of a first conversation: each reads and commits.
const LINES = ['start Acme', '1,8', 'skip', 'skip'];

interface Figures {
  turnP50: number;
  turnP99: number;
  drainMs: number;
  lost: number;
  duplicated: number;
}

const progress = (msg: string): void => void process.stderr.write(`[bench --cluster] ${msg}\n`);

async function measure(label: string, target: RedisTarget): Promise<Figures> {
  const prefix = `offboard-bench-${randomBytes(4).toString('hex')}`;
  const rt = openRuntime({ redisUrl: '', redis: target, keyPrefix: prefix }, silentLog);
  const notifier = new RecordingNotifier('console');
  try {
    progress(`${label}: ${USERS} people × ${LINES.length} turns, ${IN_FLIGHT} at once`);
    const latencies: number[] = [];
    const users = Array.from({ length: USERS }, (_, i): UserRef => ({ platform: 'console', tenant: '', id: `w${i}` }));
    await pool(users, IN_FLIGHT, async (user) => {
      for (const line of LINES) {
        const start = process.hrtime.bigint();
        await rt.engine.handle({ user, inbound: parseTyped(line), hints: { locale: 'en', timeZone: 'UTC' } });
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    });
    const [turnP50, turnP99] = percentiles(latencies, [50, 99]) as [number, number];

    progress(`${label}: ${REMINDERS} reminders, all due at one instant`);
    const due = Date.now() + LEAD_MS + REMINDERS * 3;
    const sent = new Set<string>();
    await pool(
      Array.from({ length: REMINDERS }, (_, i) => i),
      IN_FLIGHT,
      async (i) => {
        const s = await seedCoolingCase(rt.store, { platform: 'console', tenant: '', id: `r${i}` }, `c${i}`, new Date(due));
        sent.add(s.user.id);
        await rt.scheduler.schedule(s.user, s.caseId, s.reminder);
      },
    );
    if (Date.now() > due) progress(`${label}: seeding ran past the due instant; the drain time includes the rest of it`);
    const worker = await startRuntimeWorker(rt, { keyPrefix: prefix, workerConcurrency: 100 }, { console: notifier }, silentLog);
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    const out = (): number => new Set(notifier.sent.map((m) => m.user.id)).size;
    while (out() < REMINDERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Polled every 20 ms: the figure is at most that much late.
    const drainMs = Date.now() - due;
    // A second copy would come from a job run again: wait for the queue to be empty first.
    while (Date.now() < deadline && (await rt.queue.getJobs(['delayed', 'wait', 'active'])).some((j) => j.name === REMINDER_JOB)) await new Promise((r) => setTimeout(r, 50));
    await worker.close(5_000);
    const counts = new Map<string, number>();
    for (const m of notifier.sent) counts.set(m.user.id, (counts.get(m.user.id) ?? 0) + 1);
    return {
      turnP50,
      turnP99,
      drainMs,
      lost: [...sent].filter((id) => !counts.has(id)).length,
      duplicated: [...counts.values()].reduce((n, c) => n + c - 1, 0),
    };
  } finally {
    await rt.close();
  }
}

/** Runs both, prints a table (or JSON lines with `--json`); exit code 1 if anything was lost or doubled. */
export async function benchCluster(json: boolean): Promise<number> {
  const single = await startRedis({ allowExternal: false });
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  try {
    progress('starting a 3-primary, 3-replica Cluster');
    cluster = await startCluster();
    const one = await measure('one server', { mode: 'single', url: single.url });
    const many = await measure('cluster', cluster.target);
    const rows: Array<[string, number, number, string]> = [
      ['turn p50', one.turnP50, many.turnP50, 'ms'],
      ['turn p99', one.turnP99, many.turnP99, 'ms'],
      [`drain of ${REMINDERS} reminders`, one.drainMs, many.drainMs, 'ms'],
      ['reminders lost', one.lost, many.lost, ''],
      ['reminders sent twice', one.duplicated, many.duplicated, ''],
    ];
    if (json) {
      for (const [name, a, b, unit] of rows) {
        const key = name.replace(/\W+/g, '_');
        process.stdout.write(`${JSON.stringify({ name: `single.${key}`, value: a, unit })}\n${JSON.stringify({ name: `cluster.${key}`, value: b, unit })}\n`);
      }
    } else {
      const cpus = os.cpus();
      process.stdout.write(`machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`);
      process.stdout.write('| | one server | cluster (3+3) | cluster / one |\n|---|---|---|---|\n');
      for (const [name, a, b, unit] of rows) {
        const ratio = a > 0 ? (b / a).toFixed(2) : '—';
        process.stdout.write(`| ${name} | ${a.toFixed(unit ? 1 : 0)} ${unit} | ${b.toFixed(unit ? 1 : 0)} ${unit} | ${ratio} |\n`);
      }
    }
    return one.lost + one.duplicated + many.lost + many.duplicated === 0 ? 0 : 1;
  } finally {
    await cluster?.stop();
    await single.stop();
  }
}
