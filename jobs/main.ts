import { Redis } from 'ioredis';
import { notifiersFor, readPlatforms } from '../adapters/platforms.js';
import { ConfigError, readConfig } from '../src/config.js';
import { jsonLines } from '../src/log.js';
import { redisAnswers } from '../src/runtime/local-redis.js';
import { openRuntime, startRuntimeWorker } from './runtime.js';

/** `npm run worker`: only the reminder worker. Run as many as you like against one Redis. */
async function main(): Promise<void> {
  const log = jsonLines((line) => process.stdout.write(line), { process: 'worker', pid: process.pid });
  let config;
  let platforms;
  try {
    config = readConfig();
    platforms = readPlatforms();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`offboard worker cannot start:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!(await redisAnswers(config.redisUrl))) {
    process.stderr.write(`offboard worker: nothing answers at ${config.redisUrl}; start Redis or set REDIS_URL.\n`);
    process.exit(1);
  }
  const rt = openRuntime(config, log);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  const notifiers = notifiersFor(platforms, rt, config.keyPrefix, redis, log);
  const worker = await startRuntimeWorker(rt, config, notifiers, log);
  log.info({ platforms: Object.keys(notifiers), concurrency: config.workerConcurrency }, 'worker started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping');
    void worker
      .close()
      .then(() => rt.close())
      .then(() => redis.quit())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
