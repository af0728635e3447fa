/**
 * The Slack adapter together with the real reminder worker, wired the way the bot process
 * wires them (adapters/main.ts, adapters/platforms.ts): one runtime (store, engine, BullMQ
 * queue, and the ReminderScheduler as the engine's effect sink) shared by the Bolt app and a
 * worker whose Slack notifier talks to the fake Web API. A cooling-off chosen in Slack is a
 * real delayed BullMQ job here, delivered by the worker, not by a stand-in call.
 */
import { Redis } from 'ioredis';
import { openRuntime, type Runtime } from '../../jobs/runtime.js';
import { startWorker, type RunningWorker } from '../../jobs/worker.js';
import type { Log } from '../../src/log.js';
import type { Case, ReminderKind } from '../../src/model/case.js';
import type { UserRef } from '../../src/model/user.js';
import { createSlackNotifier, startSlack, type RunningSlack, type SlackConfig } from '../../adapters/slack/index.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { randomPrefix, type TestRedis } from './redis-server.js';
import { actor, BOT_TOKEN, SECRET } from './slack-harness.js';
import { SlackUser } from './slack-user.js';
import { bringForward, type BroughtForward } from './reminder-fixtures.js';
import { closeWorker } from './close-worker.js';

// Generous: the suite shares a loaded 2-core machine with other test runs.
const TURN_TIMEOUT_MS = 15_000;

export type { BroughtForward };

export interface WorkerHarness {
  api: FakeSlackApi;
  rt: Runtime;
  slack: RunningSlack;
  worker: RunningWorker;
  /** Everything the app and the worker logged, one line each. */
  logLines: string[];
  user(id: string): SlackUser;
  /** Sends what the user did and waits until the app has answered it. */
  act(fn: () => Promise<{ status: number }>): Promise<void>;
  /** The user's one open case, as stored. */
  onlyCase(user: UserRef): Promise<Case>;
  /**
   * Moves the case's planned reminder of this kind (and, for the cooling-off, the end of the
   * wait it reminds of) to `inMs` from now, through the store's conditional commit, and
   * re-schedules its job, which replaces the one the engine scheduled days ahead.
   */
  bringForward(user: UserRef, kind: ReminderKind, inMs: number): Promise<BroughtForward>;
  /** The BullMQ state of a job ('delayed', 'active', 'failed' …), or 'gone' once removed. */
  jobState(jobId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWorkerHarness(redisServer: TestRedis): Promise<WorkerHarness> {
  const logLines: string[] = [];
  const capture = (level: string) => (fields: Record<string, unknown>, message: string) => void logLines.push(`${level} ${JSON.stringify(fields)} ${message}`);
  const log: Log = { info: capture('info'), warn: capture('warn'), error: capture('error') };

  const api = await new FakeSlackApi().start();
  const prefix = randomPrefix();
  // The real clock: BullMQ's delays are real time, and the worker compares them with the plan.
  const rt = openRuntime({ redisUrl: redisServer.url, keyPrefix: prefix }, log);
  // The adapter's own connection (forms, profiles), as adapters/main.ts passes it.
  const redis = new Redis(redisServer.url);
  const config: SlackConfig = { signingSecret: SECRET, install: { kind: 'single', botToken: BOT_TOKEN }, transport: { kind: 'http', port: 0 }, apiUrl: api.apiUrl };
  const slack = await startSlack({ engine: rt.engine, redis, config, keyPrefix: prefix, log });

  // The worker's blocking connection needs maxRetriesPerRequest: null (BullMQ insists).
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const worker = await startWorker({
    connection,
    keyPrefix: prefix,
    engine: rt.engine,
    store: rt.store,
    notifiers: { slack: createSlackNotifier({ config, redis, keyPrefix: prefix, engine: rt.engine, log }) },
    log,
    concurrency: 5,
    // Short, as in test/reminders-worker.test.ts, so that closing never waits long.
    lockDurationMs: 2_000,
    stalledIntervalMs: 1_000,
  });

  const url = `http://127.0.0.1:${slack.port}/slack/events`;

  async function onlyCase(user: UserRef): Promise<Case> {
    const state = await rt.store.loadUser(user);
    const [c] = await rt.store.loadCases(user, state?.openCases ?? []);
    if (!c) throw new Error(`${user.id} has no open case`);
    return c;
  }

  return {
    api,
    rt,
    slack,
    worker,
    logLines,
    user: (id) => new SlackUser({ url, secret: SECRET }, api, id),
    act: actor(api, slack, TURN_TIMEOUT_MS),
    onlyCase,
    bringForward: (user, kind, inMs) => bringForward(rt, user, kind, inMs),
    async jobState(jobId) {
      const job = await rt.queue.getJob(jobId);
      return job ? await job.getState() : 'gone';
    },
    async close() {
      // The worker first: a send in flight still finds the fake API and the runtime.
      await closeWorker(worker, 2_000);
      await connection.quit().catch(() => connection.disconnect());
      await slack.stop().catch(() => undefined);
      await rt.close();
      await redis.quit().catch(() => redis.disconnect());
      await api.stop();
    },
  };
}
