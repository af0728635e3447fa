import { Redis } from 'ioredis';
import { openRuntime } from '../../jobs/runtime.js';
import { startWorker } from '../../jobs/worker.js';
import { silentLog } from '../../src/log.js';
import { Metrics } from '../../ops/metrics.js';
import { HttpNotifier } from './http-notifier.js';

/**
 * A real worker in its own OS process, delivering over HTTP to a fake platform, so a test can
 * SIGKILL it mid-burst and count what arrived from outside. Env: REDIS_URL, PREFIX,
 * NOTIFY_URL, CONCURRENCY, LOCK_MS. Prints "ready" once it takes jobs.
 */
const env = process.env;
const prefix = env['PREFIX'] ?? 'offboard';
// Counting as `npm run worker` does, so the bench measures the production path.
const metrics = new Metrics('worker');
const rt = openRuntime({ redisUrl: env['REDIS_URL'] ?? '', keyPrefix: prefix }, silentLog, undefined, { onTurn: metrics.onTurn, onSchedulerChange: metrics.onScheduler });
const lockMs = Number(env['LOCK_MS'] ?? 30_000);
const connection = new Redis(env['REDIS_URL'] ?? '', { maxRetriesPerRequest: null, enableAutoPipelining: true });
const worker = await startWorker({
  connection,
  keyPrefix: prefix,
  engine: rt.engine,
  store: rt.store,
  notifiers: { console: new HttpNotifier(env['NOTIFY_URL'] ?? '') },
  concurrency: Number(env['CONCURRENCY'] ?? 50),
  lockDurationMs: lockMs,
  stalledIntervalMs: Math.max(500, Math.round(lockMs / 2)),
  observe: metrics.onDelivery,
  onSchedulerChange: metrics.onScheduler,
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
