import { ConsoleInbox } from '../adapters/console/inbox.js';
import { ConfigError, readConfig } from '../src/config.js';
import { jsonLines } from '../src/log.js';
import { redisAnswers } from '../src/runtime/local-redis.js';
import { openRuntime, startRuntimeWorker } from './runtime.js';

/** `npm run worker`: only the reminder worker. Run as many as you like against one Redis. */
async function main(): Promise<void> {
  const log = jsonLines((line) => process.stdout.write(line), { process: 'worker', pid: process.pid });
  let config;
  try {
    config = readConfig();
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
  const notifiers = { console: new ConsoleInbox(rt.jobsRedis, rt.keys) };
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
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
