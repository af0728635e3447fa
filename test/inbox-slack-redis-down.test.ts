/**
 * With Redis down, the Slack adapter does not acknowledge what it cannot keep: the slash
 * command gets no 200 (Slack tells the user it failed), a DM event gets a 500 (Slack retries
 * it), each failure is logged; once Redis is back, the same commands work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/slack-harness.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';

let server: TestRedis;
let h: Harness;
const logs: string[] = [];

beforeAll(async () => {
  server = await startRedis({ allowExternal: false });
  h = await startHarness(server, logs);
});

afterAll(async () => {
  await h?.close().catch(() => undefined);
  await server?.stop();
});

describe('Slack with Redis down', () => {
  it('acknowledges nothing it could not keep, logs it, and works again once Redis is back', async () => {
    const user = h.user('UDOWN');
    await server.halt();
    let command: { status: number };
    let message: { status: number };
    try {
      command = await user.command('start Acme');
      message = await user.message('hello');
    } finally {
      await server.resume();
    }
    console.log(`[inbox redis-down slack] command status=${command.status} dm event status=${message.status}`);
    expect(command.status).not.toBe(200);
    expect(message.status).toBe(500);
    expect(logs.filter((l) => l.startsWith('error') && l.includes('event not acknowledged')).length).toBeGreaterThanOrEqual(2);
    // Nothing was kept, so nothing runs later.
    expect(user.messages()).toHaveLength(0);

    await h.act(() => user.command('start Acme'));
    expect(user.textSince(0)).not.toBe('');
  });

  it('stops in time while Redis hangs: no wait on a server that never answers (a SIGTERM ends well)', async () => {
    const other = await startHarness(server, logs);
    await other.act(() => other.user('USTOP').command('start Acme'));
    await server.halt();
    const started = performance.now();
    try {
      await other.slack.stop();
    } finally {
      await server.resume();
    }
    // ops/signals.ts ends a process still stopping after 15 s with exit code 1.
    expect(performance.now() - started).toBeLessThan(14_000);
    await other.api.stop();
    await other.store.close();
  });
});
