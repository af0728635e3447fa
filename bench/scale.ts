/**
 * `npm run bench -- --scale [users]` (default 100,000; or BENCH_SCALE_USERS): the store grown
 * to many users, each with one open case and one pending reminder job, on a throwaway
 * redis-server. Measured at 1,000 users (the "empty" store), at 10,000 and at the full size,
 * all in one run, the seeding growing the same store between them:
 *   - Redis memory per case (with its user record) and per job: INFO used_memory delta / users;
 *   - the bot's and a worker's RSS: the real entry points in child processes, once ready and
 *     settled (the worker's start-up reconciliation included);
 *   - `status` and `list` p99 through the real Engine (the runtime's, with its scheduler), the
 *     same turns taking turns with the same on an empty store (a second redis-server holding
 *     only the timed users), so that whatever else loads the machine loads both;
 *   - one full reconciler pass (the faster of two): ms and the commands Redis executed
 *     (INFO commandstats; commands a Lua script runs count one each);
 *   - `forget` p99: the confirming turn, which deletes the user's keys and jobs; and, on a few
 *     other users, its two parts alone: the store's (RedisStore.forgetUser) and the jobs'
 *     (UserJobs.removeAll), each a SCAN of the whole keyspace today.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { decidedButUnsent } from '../jobs/decided-unsent.js';
import { DeliveryLedger } from '../jobs/delivery-ledger.js';
import { Reconciler, type ReconcileReport } from '../jobs/reconciler.js';
import { reminderJobId } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { ReminderScheduler } from '../jobs/scheduler.js';
import { UserJobs } from '../jobs/user-jobs.js';
import { parseTyped } from '../src/engine/parse-command.js';
import { t } from '../src/i18n/translate.js';
import { silentLog } from '../src/log.js';
import { FakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { botRss, workerRss } from './scale-processes.js';
import { CLIENT, makeTemplate, scaleUser, seedCases, seedJobs, type Template } from './scale-seed.js';
import { nsToMs, percentiles } from './stats.js';

const EMPTY = 1_000;
const MID = 10_000;
/** Users whose `status` and `list` are timed (the first ones seeded, so the same at every size). */
const SAMPLE = 500;
// The first size is measured right after start: its JIT is still warming up.
const WARMUP = 1_000;
const TURNS = 4_000;
/** Forgotten at each size: the last ones seeded so far. */
const FORGETS = 50;
const HINTS = { locale: 'en', timeZone: 'Europe/Berlin' } as const;

const progress = (msg: string): void => void process.stderr.write(`[bench --scale] ${msg}\n`);

/** Users whose forget is taken apart (store, jobs). */
const FORGET_PARTS = 10;

interface Row {
  users: number;
  bytesPerCase: number;
  bytesPerJob: number;
  botRssMb: number;
  workerRssMb: number;
  workerPeakRssMb: number;
  workerPeakSampledMb: number;
  workerReadyMs: number;
  statusP99: number;
  statusEmptyP99: number;
  statusP50: number;
  statusEmptyP50: number;
  listP99: number;
  listEmptyP99: number;
  listP50: number;
  listEmptyP50: number;
  reconcileMs: number;
  reconcileOtherMs: number;
  reconcileCommands: number;
  reconcileFixed: number;
  forgetP99: number;
  forgetStoreMs: number;
  forgetJobsMs: number;
}

async function usedMemory(admin: Redis): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Every command Redis executed since the last CONFIG RESETSTAT, but the bench's own INFO. */
async function commandsSinceReset(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info' && m[1] !== 'config|resetstat' && m[1] !== 'config') calls += Number(m[2]);
  return calls;
}

/** The same turns on the full and on the empty store, one each in turn (the order swapped every time). */
interface Percentiles {
  p50: number;
  p99: number;
}

async function timedTurns(full: Runtime, empty: Runtime, line: string): Promise<{ full: Percentiles; empty: Percentiles }> {
  const inbound = parseTyped(line);
  const samples = { full: [] as number[], empty: [] as number[] };
  const one = async (rt: Runtime, into: number[], i: number): Promise<void> => {
    const user = scaleUser(i % SAMPLE);
    const t0 = process.hrtime.bigint();
    const r = await rt.engine.handle({ user, inbound, hints: HINTS });
    if (i >= WARMUP) into.push(nsToMs(process.hrtime.bigint() - t0));
    // A turn that found no case would be a fast wrong answer.
    if (i === 0 && !JSON.stringify(r.replies).includes(CLIENT)) throw new Error(`"${line}" did not answer about ${CLIENT}: ${JSON.stringify(r.replies).slice(0, 300)}`);
  };
  for (let i = 0; i < WARMUP + TURNS; i++) {
    if (i % 2 === 0) {
      await one(full, samples.full, i);
      await one(empty, samples.empty, i);
    } else {
      await one(empty, samples.empty, i);
      await one(full, samples.full, i);
    }
  }
  const of = (xs: number[]): Percentiles => {
    const [p50, p99] = percentiles(xs, [50, 99]) as [number, number];
    return { p50, p99 };
  };
  return { full: of(samples.full), empty: of(samples.empty) };
}

/** One pass, built as the worker builds its own (jobs/worker.ts). */
export async function reconcileOnce(rt: Runtime, admin: Redis): Promise<{ ms: number; commands: number; report: ReconcileReport }> {
  const ledger = new DeliveryLedger(rt.jobsRedis, rt.keys);
  const userJobs = new UserJobs(rt.queue, rt.jobsRedis);
  const scheduler = new ReminderScheduler(rt.queue, silentLog, Date.now, decidedButUnsent(rt.store, ledger), userJobs);
  const reconciler = new Reconciler(rt.jobsRedis, rt.keys, rt.store, rt.queue, scheduler, ledger, silentLog, userJobs);
  await admin.config('RESETSTAT');
  const t0 = process.hrtime.bigint();
  const report = await reconciler.run();
  const ms = nsToMs(process.hrtime.bigint() - t0);
  return { ms, commands: await commandsSinceReset(admin), report };
}

async function forgetP99(rt: Runtime, tpl: Template, upTo: number): Promise<number> {
  const ask = parseTyped('forget');
  const confirm = parseTyped(t('en', 'forget.yes'));
  const samples: number[] = [];
  for (let i = upTo - FORGETS; i < upTo; i++) {
    const user = scaleUser(i);
    await rt.engine.handle({ user, inbound: ask, hints: HINTS });
    const t0 = process.hrtime.bigint();
    await rt.engine.handle({ user, inbound: confirm, hints: HINTS });
    samples.push(nsToMs(process.hrtime.bigint() - t0));
    if ((await rt.store.loadUser(user)) !== null || (await rt.queue.getJob(reminderJobId(user, tpl.caseId, tpl.reminder.id)))) throw new Error(`forget left ${user.id}'s data or job behind`);
  }
  return percentiles(samples, [99])[0]!;
}

/** Forget's two parts alone, timed apart, on other users (the ones seeded just before the forgotten). */
async function forgetParts(rt: Runtime, upTo: number): Promise<{ store: number; jobs: number }> {
  const userJobs = new UserJobs(rt.queue, rt.jobsRedis);
  const store: number[] = [];
  const jobs: number[] = [];
  for (let i = upTo - FORGETS - FORGET_PARTS; i < upTo - FORGETS; i++) {
    const user = scaleUser(i);
    const t0 = process.hrtime.bigint();
    await rt.store.forgetUser(user);
    const t1 = process.hrtime.bigint();
    if ((await userJobs.removeAll(user)).removed !== 1) throw new Error(`no job removed for ${user.id}`);
    store.push(nsToMs(t1 - t0));
    jobs.push(nsToMs(process.hrtime.bigint() - t1));
  }
  return { store: percentiles(store, [50])[0]!, jobs: percentiles(jobs, [50])[0]! };
}

export async function benchScale(users: number, json: boolean): Promise<number> {
  // The timed, forgotten and taken-apart users must all fit in the first size.
  if (users < EMPTY) throw new Error(`--scale needs at least ${EMPTY} users, got ${users}`);
  const sizes = [...new Set([EMPTY, ...(users > MID ? [MID] : []), users])].sort((a, b) => a - b);
  const redis = await startRedis({ allowExternal: false });
  const emptyRedis = await startRedis({ allowExternal: false });
  const api = await new FakeSlackApi().start();
  const prefix = `scale-${randomBytes(4).toString('hex')}`;
  const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog);
  const empty = openRuntime({ redisUrl: emptyRedis.url, keyPrefix: prefix }, silentLog);
  const admin = new Redis(redis.url);
  const emptyAdmin = new Redis(emptyRedis.url);
  const rows: Row[] = [];
  try {
    const cpus = os.cpus();
    const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, node ${process.version}, ${(await admin.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?'} redis, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
    progress(machine);
    const template = await makeTemplate(rt.store, admin, rt.keys);
    // The empty store: only the users whose turns are timed.
    await seedCases(emptyAdmin, empty.keys, template, 0, SAMPLE);
    await seedJobs(empty.queue, template, 0, SAMPLE);
    let seeded = 0;
    let caseBytes = 0;
    let jobBytes = 0;
    for (const size of sizes) {
      progress(`seeding users ${seeded}..${size - 1}…`);
      const t0 = Date.now();
      const m0 = await usedMemory(admin);
      await seedCases(admin, rt.keys, template, seeded, size);
      const m1 = await usedMemory(admin);
      await seedJobs(rt.queue, template, seeded, size);
      const m2 = await usedMemory(admin);
      caseBytes += m1 - m0;
      jobBytes += m2 - m1;
      progress(`  seeded in ${Date.now() - t0} ms`);
      seeded = size;

      progress(`${size}: status and list, ${TURNS} turns each…`);
      const status = await timedTurns(rt, empty, `status ${CLIENT}`);
      const list = await timedTurns(rt, empty, 'list');
      progress(`${size}: two reconciler passes…`);
      // The faster of two: on a shared machine one pass can lose seconds to whatever else runs.
      const passes = [await reconcileOnce(rt, admin), await reconcileOnce(rt, admin)].sort((a, b) => a.ms - b.ms);
      const pass = passes[0]!;
      const fixed = pass.report.created + pass.report.retimed + pass.report.removed + pass.report.revived + pass.report.forgotten;
      progress(`  ${passes.map((p) => p.ms.toFixed(0)).join(' and ')} ms, ${pass.commands} commands, ${JSON.stringify(pass.report)}`);
      progress(`${size}: forget, ${FORGETS} users…`);
      const forget = await forgetP99(rt, template, size);
      const parts = await forgetParts(rt, size);
      progress(`${size}: the bot's and a worker's RSS (side by side, a minute or more)…`);
      const [bot, worker] = await Promise.all([botRss(redis.url, prefix, api.apiUrl), workerRss(redis.url, prefix)]);
      const row: Row = {
        users: size,
        bytesPerCase: caseBytes / size,
        bytesPerJob: jobBytes / size,
        botRssMb: bot.rssBytes / 2 ** 20,
        workerRssMb: worker.rssBytes / 2 ** 20,
        workerPeakRssMb: worker.peakRssBytes / 2 ** 20,
        workerPeakSampledMb: worker.peakSampledBytes / 2 ** 20,
        workerReadyMs: worker.readyMs,
        statusP99: status.full.p99,
        statusEmptyP99: status.empty.p99,
        statusP50: status.full.p50,
        statusEmptyP50: status.empty.p50,
        listP99: list.full.p99,
        listEmptyP99: list.empty.p99,
        listP50: list.full.p50,
        listEmptyP50: list.empty.p50,
        reconcileMs: pass.ms,
        reconcileOtherMs: passes[1]!.ms,
        reconcileCommands: pass.commands,
        reconcileFixed: fixed,
        forgetP99: forget,
        forgetStoreMs: parts.store,
        forgetJobsMs: parts.jobs,
      };
      rows.push(row);
      progress(JSON.stringify(row));
    }
    print(rows, json, machine);
    return 0;
  } finally {
    admin.disconnect();
    emptyAdmin.disconnect();
    await rt.close();
    await empty.close();
    await api.stop();
    await redis.stop();
    await emptyRedis.stop();
  }
}

const COLUMNS: Array<[keyof Row, string, string, number]> = [
  ['bytesPerCase', 'Redis memory per case (with its user record)', 'bytes', 0],
  ['bytesPerJob', 'Redis memory per pending reminder job', 'bytes', 0],
  ['botRssMb', 'bot RSS (npm run serve, Slack HTTP)', 'MiB', 1],
  ['workerRssMb', 'worker RSS (npm run worker), settled', 'MiB', 1],
  ['workerPeakRssMb', 'worker RSS at its peak (start-up reconciliation; VmHWM)', 'MiB', 1],
  ['workerPeakSampledMb', 'worker RSS, highest reading (every 100 ms to ready, then 1 s)', 'MiB', 1],
  ['workerReadyMs', 'worker start to ready', 'ms', 0],
  ['statusP99', '`status` p99', 'ms', 2],
  ['statusEmptyP99', '`status` p99, empty store, same moments', 'ms', 2],
  ['statusP50', '`status` p50', 'ms', 2],
  ['statusEmptyP50', '`status` p50, empty store', 'ms', 2],
  ['listP99', '`list` p99', 'ms', 2],
  ['listEmptyP99', '`list` p99, empty store, same moments', 'ms', 2],
  ['listP50', '`list` p50', 'ms', 2],
  ['listEmptyP50', '`list` p50, empty store', 'ms', 2],
  ['reconcileMs', 'one reconciler pass (the faster of two)', 'ms', 0],
  ['reconcileOtherMs', 'the other pass', 'ms', 0],
  ['reconcileCommands', 'Redis commands in that pass', 'commands', 0],
  ['reconcileFixed', 'jobs the pass fixed (0: the seed matches the plans)', 'jobs', 0],
  ['forgetP99', '`forget` p99 (the confirming turn)', 'ms', 1],
  ['forgetStoreMs', 'of which the store (RedisStore.forgetUser), median', 'ms', 1],
  ['forgetJobsMs', 'of which the jobs (UserJobs.removeAll), median', 'ms', 1],
];

function print(rows: Row[], json: boolean, machine: string): void {
  const first = rows[0]!;
  const last = rows.at(-1)!;
  // The slope from the size before the last (10,000 when there are three sizes).
  const mid = rows.length > 1 ? rows[rows.length - 2]! : first;
  // The slope between the two largest sizes, and how far the largest is from a straight line.
  const perThousand = (last.reconcileMs - mid.reconcileMs) / ((last.users - mid.users) / 1_000);
  const derived: Array<[string, number, string]> = [
    ['status_p99_over_empty', last.statusP99 / last.statusEmptyP99, 'x'],
    ['list_p99_over_empty', last.listP99 / last.listEmptyP99, 'x'],
    ['reconcile_ms_per_1000_users', perThousand, 'ms'],
    ['reconcile_commands_per_user', last.reconcileCommands / last.users, 'commands'],
    ['reconcile_ms_per_user_ratio', last.reconcileMs / last.users / (mid.reconcileMs / mid.users), 'x'],
  ].filter(([name]) => rows.length > 1 || !String(name).startsWith('reconcile_ms')) as Array<[string, number, string]>;
  if (json) {
    for (const r of rows) for (const [key, , unit] of COLUMNS) process.stdout.write(`${JSON.stringify({ name: `scale.${r.users}.${key}`, value: Number(r[key].toPrecision(6)), unit })}\n`);
    for (const [name, value, unit] of derived) process.stdout.write(`${JSON.stringify({ name: `scale.${name}`, value: Number(value.toPrecision(6)), unit })}\n`);
    return;
  }
  const head = `| | ${rows.map((r) => `${r.users.toLocaleString('en')} users`).join(' | ')} |`;
  const lines = [machine, '', head, `|---|${rows.map(() => '---').join('|')}|`];
  for (const [key, label, unit, digits] of COLUMNS) lines.push(`| ${label} | ${rows.map((r) => `${r[key].toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit ? ` ${unit}` : ''}`).join(' | ')} |`);
  lines.push('');
  lines.push(`status p99 at ${last.users.toLocaleString('en')} / on the empty store: ${derived[0]![1].toFixed(2)}× (goal ≤ 2×); list: ${derived[1]![1].toFixed(2)}×`);
  if (rows.length > 1) lines.push(`reconciler: ${perThousand.toFixed(1)} ms per 1,000 users between ${mid.users.toLocaleString('en')} and ${last.users.toLocaleString('en')}; ms per user at ${last.users.toLocaleString('en')} / at ${mid.users.toLocaleString('en')}: ${derived[4]![1].toFixed(2)} (1 = linear); ${derived[3]![1].toFixed(1)} commands per user (goal: pass < 10 s at 100,000)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
