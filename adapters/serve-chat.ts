import { QUEUE_STATES } from '../jobs/queue.js';
import { openRuntime, startRuntimeWorker, type Runtime } from '../jobs/runtime.js';
import { boltRoutes, opsRoutes, redisReady, serveOps, type ReadinessCheck } from '../ops/http.js';
import { Metrics } from '../ops/metrics.js';
import { untilSignal } from '../ops/signals.js';
import type { Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, describeTarget, targetAnswers } from '../src/runtime/redis-connection.js';
import { notifiersFor, slackServesHttp, startPlatforms, type Platforms } from './platforms.js';
import { fail } from '../ops/fail.js';
import { adminBoard } from '../ops/admin-board.js';


/** What to tell an admin whose bot has no chat platform configured. */
const NO_PLATFORM =
  'No chat platform is configured, so the bot is waiting. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack, HTTP mode), ' +
  'or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack, Socket Mode), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET ' +
  '(Slack, many workspaces), or DISCORD_TOKEN and DISCORD_APPLICATION_ID (Discord) in .env, then restart. ' +
  'For the console instead: docker compose run --rm -e OFFBOARD_WORKER=inline bot npm start';

/** The bot's operator side: metrics on every turn, /healthz, /readyz, /metrics, Bull Board. */
async function botOps(config: Config, rt: Runtime, metrics: Metrics, checks: ReadinessCheck[]) {
  metrics.watchQueue(() => rt.queue.getJobCounts(...QUEUE_STATES), () => rt.jobsRedis.status === 'ready');
  return opsRoutes({ metrics, checks, board: await adminBoard(config, rt.queue) });
}

/** Slack and/or Discord configured (or `--serve`): serve them until SIGTERM / SIGINT. */
export async function serveChat(config: Config, platforms: Platforms): Promise<void> {
  const log = createLogger({ name: 'bot', level: config.log.level, format: config.log.format });
  if (!(await targetAnswers(config.redis))) fail(`offboard: nothing answers at ${describeTarget(config.redis)}; start Redis or set REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES).`);
  const metrics = new Metrics('bot');
  const rt = openRuntime(config, log, undefined, { onTurn: metrics.onTurn, onSchedulerChange: metrics.onScheduler });
  const checks: ReadinessCheck[] = [redisReady(rt.jobsRedis)];
  const routes = await botOps(config, rt, metrics, checks);
  const configured = Boolean(platforms.slack || platforms.discord);
  const slackHttp = slackServesHttp(platforms);
  // Without a Slack HTTP server, the operator endpoints get the port to themselves, and
  // come up before the platforms connect so /healthz answers meanwhile.
  const ops = slackHttp ? null : await serveOps(config.port, routes, log);
  if (!configured) {
    checks.push({ name: 'platforms', ready: () => false });
    log.warn({ port: ops?.port }, NO_PLATFORM);
    await untilSignal();
    await ops?.close();
    await rt.close();
    return;
  }
  const redis = connectRedis(config.redis, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  const worker =
    config.worker === 'inline'
      ? await startRuntimeWorker(rt, config, await notifiersFor(platforms, rt, config.keyPrefix, redis, log), log, {
          observe: metrics.onDelivery,
          onSchedulerChange: metrics.onScheduler,
          lockDurationMs: config.workerLockSeconds * 1000,
          stalledIntervalMs: config.workerLockSeconds * 1000,
        })
      : null;
  if (worker) checks.push({ name: 'worker', ready: () => worker.running() });
  // Unready until every platform has connected; then each platform's own check takes over.
  let started = false;
  checks.push({ name: 'platforms', ready: () => started });
  const running = await startPlatforms(platforms, rt, config.keyPrefix, redis, log, slackHttp ? boltRoutes(routes, log) : []);
  checks.push(...running.checks);
  started = true;
  log.info({ platforms: running.names, worker: config.worker, port: running.slackPort ?? ops?.port }, 'offboard started');
  const signal = await untilSignal();
  log.info({ signal }, 'offboard stopping');
  await running.stop();
  await worker?.close();
  await ops?.close();
  await rt.close();
  await redis.quit().catch(() => redis.disconnect());
}

