import { openReminderQueue, QUEUE_STATES } from '../jobs/queue.js';
import { readConfig, ConfigError, formatConfigProblems } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/runtime/redis-connection.js';
import { boardHandler } from './board.js';
import { opsRoutes, redisReady, serveOps } from './http.js';
import { Metrics } from './metrics.js';
import { untilSignal } from './signals.js';

/** `npm run board`: Bull Board for the reminder queue, on BOARD_PORT, behind Basic auth. */
async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${formatConfigProblems(err.problems, 'offboard board')}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.admin) {
    process.stderr.write('offboard board cannot start: set ADMIN_USER and ADMIN_PASSWORD (at least 12 characters) in .env; the board is only served behind them.\n');
    process.exit(1);
  }
  const log = createLogger({ name: 'board', level: config.log.level, format: config.log.format });
  const redis = connectRedis(config.redis, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const queue = openReminderQueue(redis, config.keyPrefix);
  const metrics = new Metrics('board');
  metrics.watchQueue(() => queue.getJobCounts(...QUEUE_STATES), () => redis.status === 'ready');
  const ops = await serveOps(config.boardPort, opsRoutes({ metrics, checks: [redisReady(redis)], board: boardHandler([queue], config.admin) }), log);
  log.info({ port: ops.port, path: '/admin/queues' }, 'Bull Board started');
  const signal = await untilSignal();
  log.info({ signal }, 'board stopping');
  await ops.close();
  await queue.close().catch(() => undefined);
  await redis.quit().catch(() => redis.disconnect());
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`offboard board stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
