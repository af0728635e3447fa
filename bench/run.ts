/**
 * `npm run bench` — latency, throughput and size of the engine against a throwaway Redis.
 * Human table by default; `--json` prints one {"name","value","unit"} object per line on
 * stdout and nothing else (progress goes to stderr). Goals are quoted, never asserted.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { decide } from '../src/engine/decide.js';
import { recordOnly } from '../src/engine/effects.js';
import { Engine } from '../src/engine/engine.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { Case } from '../src/model/case.js';
import type { Inbound } from '../src/model/inbound.js';
import type { UserRef } from '../src/model/user.js';
import { keys } from '../src/store/keys.js';
import { RedisStore } from '../src/store/redis-store.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { benchReminderBurst } from './reminders-burst.js';
import { benchSlackAck } from './slack-ack.js';
import { nsToMs, percentiles, pool } from './stats.js';
import { Walker } from './walk.js';

const JSON_OUT = process.argv.includes('--json');
/** `--skip reminders,slack` leaves out the slower parts. */
const SKIP = new Set((process.argv[process.argv.indexOf('--skip') + 1] ?? '').split(',').filter((x) => process.argv.includes('--skip') && x));

const PINGS = 5_000;
const STEP_WARMUP = 5_000;
const STEP_CALLS = 20_000;
const USERS = 200;
const SETUP_CONCURRENCY = 32;
const TURN_WARMUP = 1_000;
const TURNS = 5_000;
const IN_FLIGHT = 48;
const THROUGHPUT_MIN_MS = 5_000;
const THROUGHPUT_MIN_TURNS = 10_000;
const THROUGHPUT_MAX_MS = 15_000;

interface Metric {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  met?: boolean;
}

const metrics: Metric[] = [];
const progress = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

function record(m: Metric): void {
  metrics.push(m);
  progress(`${m.name} = ${fmt(m.value)} ${m.unit}`);
}

function fmt(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(4);
}

function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

const ALTERNATE: readonly Inbound[] = [parseTyped('done 3'), parseTyped('undo 3')];

async function redisVersion(conn: Redis): Promise<string> {
  const info = await conn.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

const collect = (): void => {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

async function keptBytesPerUser(store: RedisStore, refs: readonly UserRef[], now: Date): Promise<number> {
  const heapAfterTurns = async (recentUsers: number): Promise<{ heap: number; engine: Engine }> => {
    const engine = new Engine({ store, effects: recordOnly, clock: () => now, recentUsers });
    for (const user of refs) await engine.handle({ user, inbound: parseTyped('status') });
    collect();
    return { heap: process.memoryUsage().heapUsed, engine };
  };
  collect();
  const none = await heapAfterTurns(0);
  const kept = await heapAfterTurns(refs.length);
  // Both engines stay reachable until both heaps are read.
  if (!none.engine || !kept.engine) throw new Error('unreachable');
  return Math.round((kept.heap - none.heap) / refs.length);
}

async function benchPing(conn: Redis): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 500; i++) await conn.ping();
  const samples = new Float64Array(PINGS);
  for (let i = 0; i < PINGS; i++) {
    const t0 = process.hrtime.bigint();
    await conn.ping();
    samples[i] = nsToMs(process.hrtime.bigint() - t0);
  }
  const [p50, p99] = percentiles(samples, [50, 99]);
  return { p50: p50!, p99: p99! };
}

function benchStep(start: Case, walker: { now: Date }, ctx: Parameters<typeof decide>[3]): { p50: number; p99: number } {
  const now = walker.now;
  let c = start;
  let sink = 0;
  for (let i = 0; i < STEP_WARMUP; i++) {
    const d = decide(c, ALTERNATE[i & 1]!, now, ctx);
    c = d.case;
    sink += d.replies.length;
  }
  const samples = new Float64Array(STEP_CALLS);
  for (let i = 0; i < STEP_CALLS; i++) {
    const t0 = process.hrtime.bigint();
    const d = decide(c, ALTERNATE[i & 1]!, now, ctx);
    samples[i] = nsToMs(process.hrtime.bigint() - t0);
    c = d.case;
    sink += d.replies.length;
  }
  if (sink === 0 || c.tasks[2]?.done !== false) throw new Error('decide() did not answer the task toggles as expected');
  const [p50, p99] = percentiles(samples, [50, 99]);
  return { p50: p50!, p99: p99! };
}

async function memoryUsage(conn: Redis, key: string): Promise<number> {
  const bytes = (await conn.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
  if (bytes === null) throw new Error(`MEMORY USAGE: no key ${key}`);
  return bytes;
}

async function main(redis: TestRedis): Promise<void> {
  const prefix = `offboard-bench-${randomBytes(4).toString('hex')}`;
  const pingConn = new Redis(redis.url, { maxRetriesPerRequest: 3 });
  const storeConn = new Redis(redis.url, { maxRetriesPerRequest: 3 });
  const store = new RedisStore(storeConn, prefix);
  try {
    const version = await redisVersion(pingConn);
    const cpus = os.cpus();
    const machine = [
      `cpus: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
      `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
      `node: ${process.version}`,
      `load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the numbers)`,
      `redis-server: ${version} (own child, ${redis.url}, no persistence)`,
    ];
    for (const line of machine) progress(line);

    // 1. Round trip floor.
    progress(`${PINGS} sequential PINGs…`);
    const ping = await benchPing(pingConn);
    record({ name: 'redis.ping.p50', value: ping.p50, unit: 'ms' });
    record({ name: 'redis.ping.p99', value: ping.p99, unit: 'ms' });

    // 2. Size of one finished case.
    progress('walking one case to closed…');
    const sizeWalker = new Walker(store, { platform: 'slack', tenant: 'T1', id: 'USIZE' });
    await sizeWalker.toTasks();
    const closed = await sizeWalker.toClosed();
    const k = keys(prefix);
    const caseBytes = await memoryUsage(pingConn, k.case(sizeWalker.ref, closed.id));
    const userBytes = await memoryUsage(pingConn, k.user(sizeWalker.ref));
    record({ name: 'store.bytes_per_case', value: caseBytes, unit: 'bytes', goal: '< 4096', met: caseBytes < 4096 });
    record({ name: 'store.bytes_per_user', value: userBytes, unit: 'bytes' });

    // 3. Many users, each with a case at the handover checklist.
    progress(`walking ${USERS} users to the tasks step (${Walker.turnsToTasks} turns each)…`);
    const refs: UserRef[] = Array.from({ length: USERS }, (_, i) => ({ platform: 'slack', tenant: 'T1', id: `U${String(i).padStart(4, '0')}` }));
    const walkers = refs.map((ref) => new Walker(store, ref));
    const t0 = Date.now();
    await pool(walkers, SETUP_CONCURRENCY, async (w) => void (await w.toTasks()));
    progress(`  set up in ${Date.now() - t0} ms`);
    const first = walkers[0]!;
    const midCase = await first.theCase();
    const midUser = await first.user();
    progress(`  mid-flow case: ${midCase.tasks.length} tasks, ${midCase.contract.invoices.length} invoices, ${midCase.reminders.length} reminders`);
    // Not one of the goals' numbers, but the case is at its largest here (reminders planned).
    const midBytes = await memoryUsage(pingConn, k.case(first.ref, midCase.id));
    record({ name: 'store.bytes_per_case_midflow', value: midBytes, unit: 'bytes', goal: '(< 4096)', met: midBytes < 4096 });

    // 4. The pure core.
    progress(`decide(): ${STEP_WARMUP} warm-up + ${STEP_CALLS} timed calls…`);
    const step = benchStep(midCase, first, { settings: midUser.settings, history: midUser.history });
    record({ name: 'engine.step.p50', value: step.p50, unit: 'ms' });
    record({ name: 'engine.step.p99', value: step.p99, unit: 'ms', goal: '< 0.1', met: step.p99 < 0.1 });

    // 5. Whole turns, one at a time. All walkers ended at the same instant. A conversation's
    // turn starts from what the user's last turn committed here ("warm", half the users); a
    // cold turn (the other half, an engine that keeps nothing) reads first. Each turn is timed
    // beside a PING, so the ratio sees the same machine.
    const now = first.now;
    const engine = new Engine({ store, effects: recordOnly, clock: () => now });
    const coldEngine = new Engine({ store, effects: recordOnly, clock: () => now, recentUsers: 0 });
    const toggles = new Uint8Array(USERS);
    const half = USERS / 2;
    const turn = async (u: number, on = engine): Promise<void> => {
      const inbound = ALTERNATE[toggles[u]!]!;
      toggles[u] = toggles[u]! ^ 1;
      await on.handle({ user: refs[u]!, inbound });
    };
    progress(`Engine.handle(): ${TURN_WARMUP} warm-up + ${TURNS} sequential turns each, warm and cold, over ${USERS} users…`);
    for (let i = 0; i < TURN_WARMUP; i++) {
      await turn(i % half);
      await turn(half + (i % half), coldEngine);
    }
    const turnSamples = new Float64Array(TURNS);
    const coldSamples = new Float64Array(TURNS);
    const pingSamples = new Float64Array(TURNS);
    const timed = async (run: () => Promise<unknown>): Promise<number> => {
      const s = process.hrtime.bigint();
      await run();
      return nsToMs(process.hrtime.bigint() - s);
    };
    for (let i = 0; i < TURNS; i++) {
      pingSamples[i] = await timed(() => pingConn.ping());
      turnSamples[i] = await timed(() => turn(i % half));
      coldSamples[i] = await timed(() => turn(half + (i % half), coldEngine));
    }
    const [turnP50, turnP99] = percentiles(turnSamples, [50, 99]) as [number, number];
    const [coldP50, coldP99] = percentiles(coldSamples, [50, 99]) as [number, number];
    const [besideP99] = percentiles(pingSamples, [99]) as [number];
    record({ name: 'turn.p50', value: turnP50, unit: 'ms' });
    record({ name: 'turn.p99', value: turnP99, unit: 'ms', goal: '< 3', met: turnP99 < 3 });
    record({ name: 'turn.cold.p50', value: coldP50, unit: 'ms' });
    record({ name: 'turn.cold.p99', value: coldP99, unit: 'ms' });
    record({ name: 'turn.ping_beside.p99', value: besideP99, unit: 'ms' });
    // Issue 17's goal: a turn is one commit (two round trips when cold) plus the pure step.
    const ratio = turnP99 / besideP99;
    record({ name: 'turn.p99_over_ping', value: ratio, unit: 'x', goal: '<= 4', met: ratio <= 4 });
    record({ name: 'turn.cold.p99_over_ping', value: coldP99 / besideP99, unit: 'x' });

    // Round trips per turn: every command Redis receives during sequential turns (MONITOR;
    // commands inside a Lua script count as the one call that ran them).
    const COUNTED_TURNS = 1_000;
    const perTurn = async (run: (i: number) => Promise<void>): Promise<number> => {
      const monitorBase = new Redis(redis.url);
      const monitor = await monitorBase.monitor();
      monitor.on('error', (e: Error) => progress(`MONITOR connection: ${e.message}`));
      let commands = 0;
      monitor.on('monitor', (_time: string, _args: string[], source: string) => {
        if (source !== 'lua') commands++;
      });
      for (let i = 0; i < COUNTED_TURNS; i++) await run(i);
      // MONITOR's stream may trail the last reply a little: wait until the count stops moving.
      for (let last = -1; last !== commands; ) {
        last = commands;
        await new Promise((r) => setTimeout(r, 100));
      }
      await monitor.disconnect();
      monitorBase.disconnect();
      return commands / COUNTED_TURNS;
    };
    record({ name: 'turn.redis_commands', value: await perTurn((i) => turn(i % half)), unit: 'commands' });
    record({ name: 'turn.cold.redis_commands', value: await perTurn((i) => turn(half + (i % half), coldEngine)), unit: 'commands' });

    // What keeping the last turn's records costs the bot: heap with every user's records kept
    // against an engine that keeps none, after the same turn for every user.
    record({ name: 'turn.kept_bytes_per_user', value: await keptBytesPerUser(store, refs, now), unit: 'bytes' });

    // 6. Concurrent turns: IN_FLIGHT workers, each owning its own users (no write races).
    progress(`throughput: ${IN_FLIGHT} in flight over ${USERS} users, ≥ ${THROUGHPUT_MIN_MS / 1000} s and ≥ ${THROUGHPUT_MIN_TURNS} turns…`);
    let done = 0;
    let stop = false;
    const started = process.hrtime.bigint();
    const elapsedMs = (): number => nsToMs(process.hrtime.bigint() - started);
    const worker = async (w: number): Promise<void> => {
      for (let u = w; !stop; u = u + IN_FLIGHT >= USERS ? w : u + IN_FLIGHT) {
        await turn(u);
        done++;
        const ms = elapsedMs();
        if ((ms >= THROUGHPUT_MIN_MS && done >= THROUGHPUT_MIN_TURNS) || ms >= THROUGHPUT_MAX_MS) stop = true;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
    const seconds = elapsedMs() / 1000;
    const tps = done / seconds;
    progress(`  ${done} turns in ${seconds.toFixed(2)} s`);
    record({ name: 'turn.throughput', value: tps, unit: 'turns/s', goal: '>= 2000', met: tps >= 2000 });

    // The state must have survived all that: the toggled task is in a known state.
    const after = await first.theCase();
    const expectDone = toggles[0] === 1;
    if (after.tasks[2]?.done !== expectDone) throw new Error('turns did not toggle task 3 as expected');

    // 7. Reminders: 10,000 through BullMQ, worker processes and a notifier making real HTTP calls.
    if (!SKIP.has('reminders')) {
      const r = await benchReminderBurst(redis.url, progress);
      const goals: Record<string, [string, (v: number) => boolean]> = {
        'reminders.burst.lost': ['0', (v) => v === 0],
        'reminders.burst.duplicates': ['0', (v) => v === 0],
        'reminders.burst.lateness_p99': ['< 1000', (v) => v < 1000],
        'reminders.burst.drain': ['< 5000', (v) => v < 5000],
        'reminders.burst.drain_over_floor': ['<= 1.3', (v) => v <= 1.3],
        'reminders.bytes_per_job': ['< 1536', (v) => v < 1536],
      };
      for (const [name, value] of Object.entries(r)) {
        const unit = name.endsWith('pairs') ? 'pairs' : name.endsWith('size') || name.endsWith('lost') || name.endsWith('duplicates') ? 'reminders' : name.endsWith('per_job') ? 'bytes' : name.endsWith('over_floor') ? 'x' : name.includes('commands') ? 'commands' : 'ms';
        const g = goals[name];
        record(g ? { name, value, unit, goal: g[0], met: g[1](value) } : { name, value, unit });
      }
    }

    // 8. Slack: 200 concurrent signed slash commands to the real Bolt HTTP receiver.
    if (!SKIP.has('slack')) {
      const s = await benchSlackAck();
      for (const [name, value] of Object.entries(s)) {
        const ms = !name.endsWith('turns') && !name.endsWith('turns_completed') && !name.endsWith('ratio') && !name.endsWith('over_floor');
        if (name === 'slack.ack.p99') record({ name, value, unit: 'ms', goal: '< 100', met: value < 100 });
        // Issue 17: the app's ack at most 30% over a bare Bolt app's under the same load.
        else if (name === 'slack.ack.p99_over_floor') record({ name, value, unit: 'x', goal: '<= 1.3', met: value <= 1.3 });
        else if (name.endsWith('over_floor')) record({ name, value, unit: 'x' });
        // Issue 13: the durable inbox may cost the ack at most 10% over the in-memory path.
        else if (name.endsWith('p99_ratio')) record({ name, value, unit: 'x', goal: '<= 1.10', met: value <= 1.1 });
        else record({ name, value, unit: ms ? 'ms' : 'turns' });
      }
    }

    output(machine);
  } finally {
    pingConn.disconnect();
    await store.close();
  }
}

function output(machine: string[]): void {
  if (JSON_OUT) {
    for (const m of metrics) process.stdout.write(`${JSON.stringify({ name: m.name, value: round(m.value), unit: m.unit })}\n`);
    return;
  }
  const rows = metrics.map((m) => [m.name, fmt(m.value), m.unit, m.goal ?? '', m.met === undefined ? '' : m.met ? 'ok' : 'MISSED']);
  const head = ['metric', 'value', 'unit', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    ...machine,
    '',
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** `--scale [users]`: its own mode (bench/scale.ts), with its own throwaway Redis. */
function scaleUsers(): number | null {
  const at = process.argv.indexOf('--scale');
  if (at < 0) return null;
  for (const given of [process.argv[at + 1], process.env['BENCH_SCALE_USERS']]) {
    const n = Number(given);
    if (given && Number.isSafeInteger(n) && n > 0) return n;
  }
  return 100_000;
}

async function run(): Promise<number> {
  const scale = scaleUsers();
  if (scale !== null) return (await import('./scale.js')).benchScale(scale, JSON_OUT);
  progress('starting a throwaway redis-server…');
  // Always our own child server: the bench never measures, or writes to, anyone else's Redis.
  const redis = await startRedis({ allowExternal: false });
  const onSignal = (sig: NodeJS.Signals): void => {
    void redis.stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await main(redis);
    return 0;
  } catch (err) {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    await redis.stop();
    progress('redis-server stopped');
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench] ${String(err)}\n`);
    process.exit(1);
  },
);
