/**
 * Reminder bursts through the real pipeline: BullMQ delayed jobs, worker processes, the engine,
 * the delivery ledger, and a notifier making a real HTTP call to a fake platform on 127.0.0.1
 * that counts what arrives (so losses and duplicates are seen from outside the workers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REMINDER_JOB_OPTIONS } from '../jobs/queue.js';
import { REMINDER_JOB, reminderJobId, type ReminderJobData } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { startNotifyServer, type NotifyServer } from '../test/helpers/notify-server.js';
import { seedCoolingCase } from '../test/helpers/reminder-fixtures.js';
import { percentiles, pool } from './stats.js';

const WORKER_SCRIPT = fileURLToPath(new URL('../test/helpers/worker-process.ts', import.meta.url));
const BARE_WORKER_SCRIPT = fileURLToPath(new URL('./bare-worker.ts', import.meta.url));
/** Jobs in the small extra bursts whose Redis commands are counted (MONITOR slows everything). */
const COUNTED = 500;
export const BURST = 10_000;
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 100);
const SEED_CONCURRENCY = 64;
const LEAD_MS = 5_000;
const SPREAD_MS = 60_000;
const DRAIN_ROUNDS = Math.max(1, Number(process.env['BENCH_DRAIN_PAIRS'] ?? 3));

export interface BurstMetrics {
  'reminders.burst.size': number;
  'reminders.burst.lost': number;
  'reminders.burst.duplicates': number;
  'reminders.burst.lateness_p50': number;
  'reminders.burst.lateness_p99': number;
  'reminders.burst.drain': number;
  'reminders.burst.drain_floor': number;
  'reminders.burst.drain_over_floor': number;
  /** Alternating (offboard, floor) pairs run; the three figures above are the median pair's. */
  'reminders.burst.drain_pairs': number;
  'reminders.burst.floor_lost': number;
  'reminders.burst.floor_duplicates': number;
  'reminders.redis_commands_per_delivery': number;
  'reminders.redis_commands_per_delivery_floor': number;
  'reminders.bytes_per_job': number;
}

type Progress = (msg: string) => void;

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Seeds one cooling-off case per user and adds its job in bulk; returns planned instants. */
async function seed(rt: Runtime, redis: Redis, tag: string, at: (i: number) => number, count: number): Promise<{ planned: Map<string, number>; jobBytes: number }> {
  const users: Array<{ user: UserRef; at: number }> = Array.from({ length: count }, (_, i) => ({ user: { platform: 'console', tenant: '', id: `${tag}${i}` }, at: at(i) }));
  const jobs: Array<{ name: string; data: ReminderJobData; opts: Record<string, unknown> }> = [];
  await pool(users, SEED_CONCURRENCY, async ({ user, at }) => {
    const s = await seedCoolingCase(rt.store, user, `c${user.id}`, new Date(at));
    const data: ReminderJobData = { user, caseId: s.caseId, reminderId: s.reminder.id, kind: s.reminder.kind, subject: s.reminder.subject, at: s.reminder.at };
    jobs.push({ name: REMINDER_JOB, data, opts: { ...REMINDER_JOB_OPTIONS, jobId: reminderJobId(user, s.caseId, s.reminder.id), delay: Math.max(0, at - Date.now()) } });
  });
  const before = usedMemory(await redis.info('memory'));
  for (let i = 0; i < jobs.length; i += 1_000) {
    // Delays are relative to the moment each chunk is added.
    const chunk = jobs.slice(i, i + 1_000).map((j) => ({ ...j, opts: { ...j.opts, delay: Math.max(0, Date.parse(j.data.at) - Date.now()) } }));
    await rt.queue.addBulk(chunk);
  }
  const after = usedMemory(await redis.info('memory'));
  const planned = new Map(jobs.map((j) => [`${j.data.caseId}.${j.data.reminderId}.${Date.parse(j.data.at)}`, Date.parse(j.data.at)]));
  return { planned, jobBytes: (after - before) / jobs.length };
}

function spawnWorker(script: string, env: Record<string, string>): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<dir>: each worker writes a V8 CPU profile there, to see where a job's time goes.
  const prof = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
}

// /proc/<pid>/stat counts in clock ticks: USER_HZ, 100 on Linux for x86 and arm.
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
function processCpu(pid: number | undefined): number {
  try {
    // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

function workersCpu(workers: ChildProcess[]): number {
  return workers.reduce((sum, w) => sum + processCpu(w.pid), 0);
}

function redisCpu(info: string): number {
  return Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? NaN) + Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? NaN);
}

function parseCommandStats(info: string): Array<{ name: string; calls: number; usecPerCall: number; usec: number }> {
  const rows = [...info.matchAll(/cmdstat_(\S+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/g)];
  return rows.map((m) => ({ name: m[1]!, calls: Number(m[2]), usec: Number(m[3]), usecPerCall: Number(m[4]) })).sort((a, b) => b.usec - a.usec);
}

/**
 * What a command was for, without its ids: its name and the kind of its first key
 * (`lock`, `user`, `case`, `msg`, BullMQ's `delayed`…), so the count per delivery can be split.
 */
function commandKind(args: string[]): string {
  const name = (args[0] ?? '?').toLowerCase();
  const scripted = name === 'evalsha' || name === 'eval';
  const key = scripted ? (Number(args[2]) > 0 ? args[3] : undefined) : args[1];
  if (key === undefined) return name;
  // `<prefix>:{tag}:kind:id` for ours, `bull:<prefix>:queue:kind` style for BullMQ's.
  const ours = /:\{[^}]*\}:([a-z-]+)/.exec(key)?.[1];
  const kind = ours ?? key.split(':').filter((p) => p && !/\d/.test(p)).slice(-1)[0] ?? '';
  return `${name} ${kind}`;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

interface BurstResult {
  lost: number;
  duplicates: number;
  lateness: number[];
  lastAt: number;
  /** Commands the workers sent Redis per job (script internals not counted), when counted. */
  commandsPerJob: number;
}

interface BurstOptions {
  /** The bare BullMQ worker (the floor) instead of the project's. */
  bare?: boolean;
  /** For the floor: the replies its every POST carries (one of the app's messages). */
  sampleReplies?: string;
  count?: number;
  /** Count the commands Redis receives with MONITOR from the end of seeding to the last send. */
  countCommands?: boolean;
}

async function runBurst(redisUrl: string, notify: NotifyServer, label: string, at: (i: number) => number, waitMs: number, progress: Progress, opts: BurstOptions = {}): Promise<BurstResult & { jobBytes: number }> {
  const count = opts.count ?? BURST;
  const prefix = `offboard-bench-${randomBytes(4).toString('hex')}`;
  const rt = openRuntime({ redisUrl, keyPrefix: prefix }, silentLog);
  const probe = new Redis(redisUrl);
  notify.posts.length = 0;
  const workers: ChildProcess[] = [];
  try {
    const env = { REDIS_URL: redisUrl, PREFIX: prefix, NOTIFY_URL: notify.url, CONCURRENCY: String(CONCURRENCY), LOCK_MS: '30000', SAMPLE_REPLIES: opts.sampleReplies ?? '[]' };
    notify.bodyBytes = 0;
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(opts.bare ? BARE_WORKER_SCRIPT : WORKER_SCRIPT, env)))));
    progress(`${label}: seeding ${count} cases and jobs…`);
    const { planned, jobBytes } = await seed(rt, probe, label, at, count);
    const cpuBefore = redisCpu(await probe.info('cpu'));
    const workersBefore = workersCpu(workers);
    await probe.config('RESETSTAT');
    let commands = 0;
    const byKind = new Map<string, number>();
    const monitor = opts.countCommands ? await probe.monitor() : null;
    // ioredis has once thrown "Command queue state error" on a MONITOR line under heavy load:
    // said, not fatal (the count of that run may then be a little short).
    monitor?.on('error', (e: Error) => progress(`${label}: MONITOR connection: ${e.message}`));
    // Commands run inside a Lua script arrive with the source "lua": one round trip ran them.
    monitor?.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === 'lua') return;
      commands++;
      const kind = commandKind(args);
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    });
    const done = await until(() => notify.posts.length >= count, waitMs);
    const workersUsed = workersCpu(workers) - workersBefore;
    await monitor?.disconnect();
    if (!done) progress(`${label}: not all delivered within ${waitMs} ms`);
    progress(`${label}: ${Math.round(notify.bodyBytes / Math.max(1, notify.posts.length))} bytes per POST body`);
    if (!opts.countCommands) {
      // Where Redis's own time went (its one thread is shared by every worker).
      const stats = parseCommandStats(await probe.info('commandstats')).slice(0, 6);
      const cpu = redisCpu(await probe.info('cpu')) - cpuBefore;
      // The drain is CPU-bound on two cores: CPU per delivery is steadier than its wall time.
      progress(`${label}: workers' CPU ${workersUsed.toFixed(2)} s (${((workersUsed * 1e6) / count).toFixed(0)} µs per delivery), redis-server CPU ${cpu.toFixed(2)} s over the burst; by command (calls, µs per call): ${stats.map((c) => `${c.name} ${c.calls} × ${c.usecPerCall.toFixed(1)}`).join(', ')}`);
    }
    if (opts.countCommands) {
      const rows = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${(n / count).toFixed(2)} ${k}`);
      progress(`${label}: Redis commands per delivery, by kind: ${rows.join(', ')}`);
    }
    // Anything sent twice would come within a moment of the first; wait that moment.
    await new Promise((r) => setTimeout(r, 2_000));
    const seen = new Map<string, number>();
    for (const p of notify.posts) seen.set(p.key, (seen.get(p.key) ?? 0) + 1);
    const lateness: number[] = [];
    for (const p of notify.posts) {
      const due = planned.get(p.key);
      if (due !== undefined) lateness.push(p.at - due);
    }
    return {
      lost: [...planned.keys()].filter((k) => !seen.has(k)).length,
      duplicates: [...seen.values()].reduce((n, c) => n + (c - 1), 0),
      lateness,
      lastAt: Math.max(...notify.posts.map((p) => p.at)),
      commandsPerJob: commands / count,
      jobBytes,
    };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode === null ? w.once('exit', r) : r(null)))));
    probe.disconnect();
    await rt.close();
  }
}

/** The replies of a message the app posted (the floor posts the same), as JSON. */
function sampleRepliesOf(body: string | undefined): string {
  const replies = body ? (JSON.parse(body) as { replies?: unknown }).replies : undefined;
  if (!Array.isArray(replies) || replies.length === 0) throw new Error('no message of the app was seen to give the floor');
  return JSON.stringify(replies);
}

export async function benchReminderBurst(redisUrl: string, progress: Progress): Promise<BurstMetrics> {
  const notify = await startNotifyServer();
  try {
    progress(`reminders: ${WORKERS} worker processes × concurrency ${CONCURRENCY}, HTTP notifier to 127.0.0.1`);
    // 1. Spread over a minute: how late does each one arrive? (BENCH_BURST=instant skips it.)
    const spreadStart = Date.now() + LEAD_MS + 20_000;
    const skipSpread = process.env['BENCH_BURST'] === 'instant';
    const spread = skipSpread ? { lost: 0, duplicates: 0, lateness: [NaN], lastAt: 0, commandsPerJob: NaN, jobBytes: NaN } : await runBurst(redisUrl, notify, 'spread', (i) => spreadStart + Math.floor((i * SPREAD_MS) / BURST), SPREAD_MS + 60_000, progress);
    const [p50, p99] = percentiles(spread.lateness, [50, 99]) as [number, number];
    // 2. All due at one instant: how long until the last one is out? 3. The floor, right after:
    // bare BullMQ, same jobs, workers, concurrency and HTTP call. In alternating pairs, and the
    // median pair reported: one pair on a shared machine can land on a quiet and a busy minute.
    let sample: string | undefined;
    const pairs: Array<{ drain: number; floor: number; jobBytes: number; lost: number; duplicates: number; floorLost: number; floorDuplicates: number }> = [];
    for (let round = 1; round <= DRAIN_ROUNDS; round++) {
      const instant = Date.now() + LEAD_MS + 20_000;
      const burst = await runBurst(redisUrl, notify, 'instant', () => instant, 120_000, progress);
      const floorAt = Date.now() + LEAD_MS + 20_000;
      sample ??= sampleRepliesOf(notify.lastBody);
      const floor = await runBurst(redisUrl, notify, 'floor', () => floorAt, 120_000, progress, { bare: true, sampleReplies: sample });
      const pair = { drain: burst.lastAt - instant, floor: floor.lastAt - floorAt, jobBytes: burst.jobBytes, lost: burst.lost, duplicates: burst.duplicates, floorLost: floor.lost, floorDuplicates: floor.duplicates };
      progress(`pair ${round}/${DRAIN_ROUNDS}: drain ${pair.drain} ms, floor ${pair.floor} ms, ratio ${(pair.drain / pair.floor).toFixed(2)}`);
      pairs.push(pair);
    }
    const mid = [...pairs].sort((a, b) => a.drain / a.floor - b.drain / b.floor)[Math.floor(pairs.length / 2)]!;
    const sum = (f: (p: (typeof pairs)[number]) => number) => pairs.reduce((n, p) => n + f(p), 0);
    // 4. Round trips: a small burst of each with every command Redis receives counted.
    const countAt = (): ((i: number) => number) => {
      const at = Date.now() + LEAD_MS;
      return () => at;
    };
    const counted = await runBurst(redisUrl, notify, 'counted', countAt(), 60_000, progress, { count: COUNTED, countCommands: true });
    const countedFloor = await runBurst(redisUrl, notify, 'counted-floor', countAt(), 60_000, progress, { count: COUNTED, countCommands: true, bare: true, ...(sample ? { sampleReplies: sample } : {}) });
    return {
      'reminders.burst.size': BURST,
      'reminders.burst.lost': spread.lost + sum((p) => p.lost) + counted.lost,
      'reminders.burst.duplicates': spread.duplicates + sum((p) => p.duplicates) + counted.duplicates,
      'reminders.burst.lateness_p50': p50,
      'reminders.burst.lateness_p99': p99,
      'reminders.burst.drain': mid.drain,
      'reminders.burst.drain_floor': mid.floor,
      'reminders.burst.drain_over_floor': mid.drain / mid.floor,
      'reminders.burst.drain_pairs': pairs.length,
      'reminders.burst.floor_lost': sum((p) => p.floorLost) + countedFloor.lost,
      'reminders.burst.floor_duplicates': sum((p) => p.floorDuplicates) + countedFloor.duplicates,
      'reminders.redis_commands_per_delivery': counted.commandsPerJob,
      'reminders.redis_commands_per_delivery_floor': countedFloor.commandsPerJob,
      'reminders.bytes_per_job': Math.round((spread.jobBytes + pairs[0]!.jobBytes) / 2),
    };
  } finally {
    await notify.close();
  }
}
