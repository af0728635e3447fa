import { notifiersFor } from '../adapters/platforms.js';
import { adminBoard } from '../ops/admin-board.js';
import { opsRoutes, redisReady, serveOps } from '../ops/http.js';
import { Metrics } from '../ops/metrics.js';
import { untilSignal } from '../ops/signals.js';
import type { Environment } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, describeTarget, targetAnswers } from '../src/runtime/redis-connection.js';
import { QUEUE_STATES } from './queue.js';
import { openRuntime, startRuntimeWorker } from './runtime.js';
import type { RunningWorker } from './worker.js';
import { fail } from '../ops/fail.js';


/** The worker process once its configuration is read: Redis, the ops endpoints, the worker. */
export async function runWorker(config: Environment['config'], platforms: Omit<Environment, 'config'>): Promise<void> {
  const log = createLogger({ name: 'worker', level: config.log.level, format: config.log.format });
  if (!(await targetAnswers(config.redis))) fail(`offboard worker: nothing answers at ${describeTarget(config.redis)}; start Redis or set REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES).`);
  const metrics = new Metrics('worker');
  const rt = openRuntime(config, log, undefined, { onTurn: metrics.onTurn, onSchedulerChange: metrics.onScheduler });
  metrics.watchQueue(() => rt.queue.getJobCounts(...QUEUE_STATES), () => rt.jobsRedis.status === 'ready');
  let worker: RunningWorker | null = null;
  // Up before the worker: its start-up reconciliation may take a while, and /healthz must answer.
  const ops = await serveOps(
    config.workerPort,
    opsRoutes({
      metrics,
      checks: [redisReady(rt.jobsRedis), { name: 'worker', ready: () => worker?.running() ?? false }],
      board: await adminBoard(config, rt.queue),
    }),
    log,
  );
  const redis = connectRedis(config.redis, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  const notifiers = await notifiersFor(platforms, rt, config.keyPrefix, redis, log);
  worker = await startRuntimeWorker(rt, config, notifiers, log, {
    observe: metrics.onDelivery,
    onSchedulerChange: metrics.onScheduler,
    lockDurationMs: config.workerLockSeconds * 1000,
    stalledIntervalMs: config.workerLockSeconds * 1000,
  });
  log.info({ platforms: Object.keys(notifiers), concurrency: config.workerConcurrency, port: ops.port }, 'worker started');
  const signal = await untilSignal();
  log.info({ signal }, 'worker stopping');
  await worker.close();
  await ops.close();
  await rt.close();
  await redis.quit().catch(() => redis.disconnect());
}
