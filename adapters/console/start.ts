import { openRuntime, startRuntimeWorker, type Runtime } from '../../jobs/runtime.js';
import type { RunningWorker } from '../../jobs/worker.js';
import { within } from '../../ops/deadline.js';
import { withoutCredentials, type Config } from '../../src/config.js';
import { t } from '../../src/i18n/translate.js';
import { silentLog } from '../../src/log.js';
import { createLogger } from '../../src/logger.js';
import type { UserRef } from '../../src/model/user.js';
import { leaveLocalRedis, localRedisMark, redisAnswers, redisServerOnPath, startLocalRedis } from '../../src/runtime/local-redis.js';
import { describeTarget, targetAnswers } from '../../src/runtime/redis-connection.js';
import { EMBEDDED_DATA_DIR, embeddedDataExists, embeddedDataMoved, MOVED_NOTE } from '../../src/store/embedded-paths.js';
import { ConsoleClock } from './clock.js';
import { TimeTravel } from './time-travel.js';
import { waitCommand } from './wait-command.js';
import { CrashMark } from './crash-mark.js';
import { ConsoleInbox } from './inbox.js';
import { openQuestion } from './open-question.js';
import { runConsole } from './run-console.js';
import { StorageWatch } from './storage-watch.js';
import { fail } from '../../ops/fail.js';
import { systemZone } from '../../src/time/zone-names.js';


// Ending with Redis answering: reminder jobs in hand get this long, and everything (connections
// closed politely, a local Redis stopped) at most STOP_BUDGET_MS, well inside the 2 s a person
// waits after Ctrl-C / Ctrl-D.
const WORKER_GRACE_MS = 500;
const STOP_BUDGET_MS = 1_000;

/**
 * Reaches Redis, or starts a local one for a newcomer; with neither, 'embedded' (the console
 * then runs on a file of its own). True when the Redis is the consoles' own.
 */
async function reachRedis(config: Config, say: (line: string) => void): Promise<boolean | 'embedded'> {
  if (config.redis.mode !== 'single') {
    // Sentinel or Cluster: someone runs it; never start a local server in its place.
    if (!(await targetAnswers(config.redis))) fail(`offboard needs Redis and nothing answers at ${describeTarget(config.redis)}.`);
    say(`using Redis at ${describeTarget(config.redis)}, prefix ${config.keyPrefix}`);
    return false;
  }
  if (await redisAnswers(config.redisUrl)) {
    // Someone's Redis, perhaps with other data: say which one, and under which prefix.
    say(`using Redis at ${withoutCredentials(config.redisUrl)}, prefix ${config.keyPrefix}`);
    return false;
  }
  // Cases kept in the embedded file are moved into a Redis started here (see embedded-move.ts).
  const local = redisServerOnPath() ? await startLocalRedis(config.redisUrl, config.keyPrefix).catch(() => null) : null;
  if (!local) {
    // An empty file in their place would look as if the cases were gone.
    if (embeddedDataMoved()) {
      fail(`Your cases were moved into Redis (see ./${EMBEDDED_DATA_DIR}/${MOVED_NOTE}) and nothing answers at ${withoutCredentials(config.redisUrl)}: start that Redis, or set REDIS_URL to it.`);
    }
    return 'embedded';
  }
  say(`No Redis answered at ${withoutCredentials(config.redisUrl)}, so I started one for you (data in ${local.dataDir}).`);
  return true;
}

/** `npm start` with no chat platform configured: the console, its inline worker, and its Redis. */
export async function startConsole(config: Config): Promise<void> {
  const tty = Boolean(process.stdout.isTTY);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const startedRedis = await reachRedis(config, say);
  if (startedRedis === 'embedded') {
    // better-sqlite3 is optional (its native build may fail where no compiler is installed).
    const embedded = await import('./embedded-console.js').catch(() => null);
    if (!embedded) {
      fail(
        `offboard needs Redis and nothing answers at ${withoutCredentials(config.redisUrl)}: install it ` +
          '(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running server.',
      );
    }
    return embedded.startEmbeddedConsole(config, say, fail);
  }
  // The terminal belongs to the conversation: the inline worker's log goes to stderr only
  // when someone debugging asks for it (the image's LOG_FORMAT=json must not spill into it).
  const debugging = config.log.level === 'debug' || config.log.level === 'trace';
  const log = debugging ? createLogger({ name: 'console', level: config.log.level, format: config.log.format, fd: 2 }) : silentLog;
  // One clock for the engine, the scheduler and the inline worker, so `wait` moves them together.
  const clock = new ConsoleClock(config.console.now);
  const watch = new StorageWatch(config.redis);
  const rt = openRuntime(config, log, clock.now);
  const me: UserRef = { platform: 'console', tenant: '', id: config.console.user };
  const inbox = new ConsoleInbox(rt.jobsRedis, rt.keys);
  const mark = new CrashMark(rt.jobsRedis, rt.keys, me);
  const movedCrashed = embeddedDataExists() ? await moveFromFile(config, rt, inbox, me, say) : false;
  const crashed = (await mark.open()) || movedCrashed;
  let worker: RunningWorker | null = null;
  if (config.worker === 'inline') worker = await startRuntimeWorker(rt, config, { console: inbox }, log, { clock: clock.now });
  const banner = tty ? `offboard — ${t(config.console.locale, 'console.banner')}` : undefined;
  const hints = { locale: config.console.locale, timeZone: systemZone(), timeZoneGuessed: true };
  // Moving the clock is safe only where no other worker delivers by the real one: the consoles'
  // own Redis (started by one, marked so), or where the person running it says so.
  const ownRedis = startedRedis || (await rt.jobsRedis.exists(localRedisMark(config.keyPrefix)).catch(() => 0)) === 1;
  const travel =
    config.worker !== 'inline'
      ? { off: 'noWorker' as const, url: describeTarget(config.redis) }
      : ownRedis || config.console.timeTravel
        ? (show: () => Promise<void>) => new TimeTravel({ store: rt.store, queue: rt.queue, redis: rt.jobsRedis, clock, user: me, show })
        : { off: 'sharedRedis' as const, url: describeTarget(config.redis) };
  try {
    await runConsole({
      engine: rt.engine,
      user: config.console.user,
      hints,
      wait: waitCommand({ store: rt.store, clock, user: me, hints, travel }),
      inbox,
      storage: watch,
      filesDir: config.console.filesDir,
      ...(crashed ? { resume: () => openQuestion(rt.store, me, clock.now()) } : {}),
      ...(banner ? { banner } : {}),
    });
  } finally {
    await stop(config, watch, rt, worker, mark);
  }
}

/**
 * Moves the cases a console kept in the embedded file while no Redis was around into this Redis,
 * and says so in one line. True when the file's last console died with a question open.
 */
async function moveFromFile(config: Config, rt: Runtime, inbox: ConsoleInbox, me: UserRef, say: (line: string) => void): Promise<boolean> {
  // better-sqlite3 is optional: without it the file cannot be read, and stays as it is.
  const move = await import('./embedded-move.js').catch(() => null);
  if (!move) {
    say(`cases kept in ./${EMBEDDED_DATA_DIR} need the optional better-sqlite3 to be read: they stay there (npm install better-sqlite3, then start again)`);
    return false;
  }
  const describe = describeTarget(config.redis);
  const result = await move.moveEmbeddedCases({ store: rt.store, schedule: (u, caseId, r) => rt.scheduler.schedule(u, caseId, r), inbox, user: me, keyPrefix: config.keyPrefix, describe });
  if ('busy' in result) say(`another console is using ./${EMBEDDED_DATA_DIR}; its cases move into Redis when you start after closing it`);
  else if ('conflict' in result) say(`your cases in ./${EMBEDDED_DATA_DIR} were not moved (Redis changed meanwhile); they move at the next start`);
  else if (result.moved > 0) say(`moved ${result.moved === 1 ? '1 case' : `${result.moved} cases`} from ./${EMBEDDED_DATA_DIR} into Redis at ${describe}`);
  return 'crashed' in result && result.crashed;
}

/**
 * Lets go of everything, never taking long: with Redis away nothing is closed politely (that
 * would wait for Redis); the process exit drops the sockets, and a reminder job in hand is
 * taken up again by a worker once its lock lapses.
 */
async function stop(config: Config, watch: StorageWatch, rt: Runtime, worker: RunningWorker | null, mark: CrashMark): Promise<void> {
  const answering = watch.up;
  watch.close();
  if (!answering) return;
  await within(STOP_BUDGET_MS, undefined, async () => {
    await mark.close().catch(() => undefined);
    await worker?.close(WORKER_GRACE_MS);
    await rt.close();
    // After our own connections are gone, so that only other consoles count.
    if (config.redis.mode === 'single') await leaveLocalRedis(config.redisUrl, config.keyPrefix, watch.name);
  });
}
