/**
 * The Slack adapter as it runs in production (real Bolt, HTTP receiver, real RedisStore on a
 * throwaway redis-server) pointed at the fake Web API. Reminders go out the way the worker
 * sends them: the engine's reminder turn, then the Slack notifier.
 */
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { recordOnly } from '../../src/engine/effects.js';
import { Engine } from '../../src/engine/engine.js';
import type { DeliveryError, Notifier } from '../../src/delivery/notifier.js';
import type { ReminderKind } from '../../src/model/case.js';
import type { UserRef } from '../../src/model/user.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { createSlackNotifier, startSlack, type RunningSlack, type SlackConfig } from '../../adapters/slack/index.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { randomPrefix, type TestRedis } from './redis-server.js';
import { SlackUser } from './slack-user.js';
import '../../ops/packet-fonts.js';

export const SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-0000-secret-token';

export interface Harness {
  api: FakeSlackApi;
  engine: Engine;
  store: RedisStore;
  notifier: Notifier;
  slack: RunningSlack;
  url: string;
  prefix: string;
  clock: { now: Date };
  user(id: string): SlackUser;
  /** Runs a user action and waits until its turn is answered (the App Home refresh ends each turn). */
  act(fn: () => Promise<{ status: number }>): Promise<void>;
  /** Delivers the case's planned reminder of this kind, as the worker would; returns the send error, if any. */
  remind(user: UserRef, kind: ReminderKind, key?: string): Promise<DeliveryError | undefined>;
  close(): Promise<void>;
}

/**
 * `act` for a running app: sends what the user did, checks Slack got its ack in time, and
 * waits until the turn is answered (the App Home refresh ends each turn).
 */
export function actor(api: FakeSlackApi, slack: RunningSlack, timeoutMs = 5_000): (fn: () => Promise<{ status: number }>) => Promise<void> {
  return async (fn) => {
    const before = api.callsOf('views.publish').length;
    const started = performance.now();
    const res = await fn();
    // Slack's own deadline is 3 s; the ack comes before any work.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    await api.waitFor(() => api.callsOf('views.publish').length > before, 'the turn to be answered', timeoutMs);
    await slack.idle();
  };
}

export async function startHarness(redisServer: TestRedis, logLines: string[] = []): Promise<Harness> {
  const api = await new FakeSlackApi().start();
  const prefix = randomPrefix();
  const redis = new Redis(redisServer.url);
  // A test may take Redis away; the refused connections are expected, kept with the logs
  // rather than printed by ioredis as unhandled.
  redis.on('error', (err: Error) => void logLines.push(`redis ${err.message}`));
  const store = new RedisStore(redis, prefix);
  const clock = { now: new Date('2026-11-23T09:30:00Z') };
  const engine = new Engine({ store, effects: recordOnly, clock: () => clock.now });
  const config: SlackConfig = { signingSecret: SECRET, install: { kind: 'single', botToken: BOT_TOKEN }, transport: { kind: 'http', port: 0 }, apiUrl: api.apiUrl };
  const capture = (level: string) => (fields: Record<string, unknown>, message: string) => void logLines.push(`${level} ${JSON.stringify(fields)} ${message}`);
  const log = { info: capture('info'), warn: capture('warn'), error: capture('error') };
  const slack = await startSlack({ engine, redis, config, keyPrefix: prefix, log });
  const notifier = createSlackNotifier({ config, redis, keyPrefix: prefix });
  const url = `http://127.0.0.1:${slack.port}/slack/events`;
  let n = 0;
  return {
    api,
    engine,
    store,
    notifier,
    slack,
    url,
    prefix,
    clock,
    user: (id) => new SlackUser({ url, secret: SECRET }, api, id),
    act: actor(api, slack),
    async remind(user, kind, key = `reminder-${++n}`) {
      const state = await store.loadUser(user);
      const cases = await store.loadCases(user, state?.openCases ?? []);
      const c = cases.find((k) => k.reminders.some((r) => r.kind === kind));
      const r = c?.reminders.find((x) => x.kind === kind);
      if (!c || !r) throw new Error(`no ${kind} reminder planned`);
      clock.now = new Date(r.at);
      const turn = await engine.handle({ user, inbound: { kind: 'reminder', caseId: c.id, reminderId: r.id, reminderKind: r.kind, subject: r.subject, at: r.at, late: false } });
      try {
        await notifier.send({ key, user, locale: turn.locale, replies: turn.replies });
        return undefined;
      } catch (err) {
        const e = err as DeliveryError;
        if (e.kind === 'permanent') await engine.noteProblems(user, [{ caseId: c.id, reminderId: r.id, code: e.code }]);
        return e;
      }
    },
    async close() {
      await slack.stop();
      await api.stop();
      await redis.quit().catch(() => undefined);
    },
  };
}
