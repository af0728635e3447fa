import { openRuntime, startRuntimeWorker } from '../jobs/runtime.js';
import type { RunningWorker } from '../jobs/worker.js';
import { ConfigError, readConfig, type Config } from '../src/config.js';
import { t } from '../src/i18n/translate.js';
import { jsonLines, silentLog } from '../src/log.js';
import { redisAnswers, redisServerOnPath, startLocalRedis, type LocalRedis } from '../src/runtime/local-redis.js';
import { Redis } from 'ioredis';
import { ConsoleInbox } from './console/inbox.js';
import { runConsole } from './console/run-console.js';
import { notifiersFor, readPlatforms, startPlatforms, type Platforms } from './platforms.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Reaches Redis, or starts a local one for a newcomer, or says plainly how to get one. */
async function reachRedis(config: Config, say: (line: string) => void): Promise<LocalRedis | null> {
  if (await redisAnswers(config.redisUrl)) return null;
  if (!redisServerOnPath()) {
    fail(
      `offboard needs Redis and nothing answers at ${config.redisUrl}: install it ` +
        '(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running server.',
    );
  }
  const local = await startLocalRedis(config.redisUrl).catch((err: unknown) =>
    fail(`offboard could not start redis-server at ${config.redisUrl}: ${err instanceof Error ? err.message : String(err)}`),
  );
  say(`No Redis answered at ${config.redisUrl}, so I started one for you (data in ${local.dataDir}).`);
  return local;
}

/** Slack and/or Discord configured: serve them until SIGTERM / SIGINT. */
async function serveChat(config: Config, platforms: Platforms): Promise<void> {
  const log = jsonLines((line) => process.stdout.write(line), { process: 'bot', pid: process.pid });
  if (!(await redisAnswers(config.redisUrl))) fail(`offboard: nothing answers at ${config.redisUrl}; start Redis or set REDIS_URL.`);
  const rt = openRuntime(config, log);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  const worker = config.worker === 'inline' ? await startRuntimeWorker(rt, config, notifiersFor(platforms, rt, config.keyPrefix, redis, log), log) : null;
  const running = await startPlatforms(platforms, rt, config.keyPrefix, redis, log);
  log.info({ platforms: running.names, worker: config.worker, ...(running.slackPort ? { port: running.slackPort } : {}) }, 'offboard started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info({}, 'offboard stopping');
  await running.stop();
  await worker?.close();
  await rt.close();
  await redis.quit().catch(() => redis.disconnect());
}

async function main(): Promise<void> {
  let config: Config;
  let platforms: Platforms;
  try {
    config = readConfig();
    platforms = readPlatforms();
  } catch (err) {
    if (err instanceof ConfigError) fail(`offboard cannot start:\n${err.problems.map((p) => `  - ${p}`).join('\n')}`);
    throw err;
  }
  if (platforms.slack || platforms.discord) return serveChat(config, platforms);
  const tty = Boolean(process.stdout.isTTY);
  const local = await reachRedis(config, (line) => process.stderr.write(`${line}\n`));
  // The console owns the terminal: worker logs go to stderr only when asked for.
  const log = process.env['OFFBOARD_LOG'] === 'json' ? jsonLines((line) => process.stderr.write(line), { process: 'bot' }) : silentLog;
  const fixedNow = config.console.now;
  const rt = openRuntime(config, log, fixedNow ? () => fixedNow : undefined);
  const inbox = new ConsoleInbox(rt.jobsRedis, rt.keys);
  let worker: RunningWorker | null = null;
  if (config.worker === 'inline') worker = await startRuntimeWorker(rt, config, { console: inbox }, log);
  const systemZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const banner = tty ? `offboard — ${t(config.console.locale, 'console.banner')}` : undefined;
  try {
    await runConsole({
      engine: rt.engine,
      user: config.console.user,
      hints: { locale: config.console.locale, timeZone: systemZone },
      inbox,
      ...(banner ? { banner } : {}),
    });
  } finally {
    await worker?.close();
    await rt.close();
    await local?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(`offboard stopped: ${err instanceof Error ? err.message : String(err)}`),
);
