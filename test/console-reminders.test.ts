/**
 * Reminders in the console, through the real entry point (`adapters/main.ts` spawned with
 * piped stdin) and its inline worker, against a throwaway redis-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleInbox } from '../adapters/console/inbox.js';
import { openRuntime } from '../jobs/runtime.js';
import { startWorker } from '../jobs/worker.js';
import { silentLog } from '../src/log.js';
import type { UserRef } from '../src/model/user.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { seedCoolingCase } from './helpers/reminder-fixtures.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'adapters', 'main.ts');

let server: TestRedis;
const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await server.stop();
});

/** A console session whose stdin stays open until `end()`, like a person sitting at it. */
function openConsole(env: Record<string, string>) {
  const child = spawn(process.execPath, entryArgs(MAIN), {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    output: () => out,
    type: (line: string) => child.stdin.write(`${line}\n`),
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > until) throw new Error(`console never printed ${pattern}; it printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async end(): Promise<number | null> {
      child.stdin.end();
      return exited;
    },
  };
}

describe('console reminders', () => {
  it('a reminder due while the console is open appears on its own, and answering it moves the case on', async () => {
    const prefix = randomPrefix();
    const rt = openRuntime({ redisUrl: server.url, keyPrefix: prefix }, silentLog);
    cleanups.push(() => rt.close());
    const me: UserRef = { platform: 'console', tenant: '', id: 'ana' };
    const session = openConsole({ REDIS_URL: server.url, OFFBOARD_PREFIX: prefix, OFFBOARD_USER: 'ana', OFFBOARD_LANG: 'en' });
    session.type('help');
    await session.waitFor(/start <client>/);
    const seeded = await seedCoolingCase(rt.store, me, 'c1', new Date(Date.now() + 1_000));
    await rt.scheduler.schedule(me, 'c1', seeded.reminder);
    await session.waitFor(/cooling-off period is over[\s\S]*are you still sure about ending with Acme Ltd\?[\s\S]*1\) Yes, continue/);
    session.type('1');
    await session.waitFor(/written contract with Acme Ltd/);
    expect(await session.end()).toBe(0);
    expect(session.output().match(/cooling-off period is over/g)).toHaveLength(1);
    expect((await rt.store.loadCase(me, 'c1'))?.stage).toBe('contract');
  });

  it('a reminder that came while no console was open is shown at the next start, once', async () => {
    const prefix = randomPrefix();
    const rt = openRuntime({ redisUrl: server.url, keyPrefix: prefix }, silentLog);
    cleanups.push(() => rt.close());
    const bo: UserRef = { platform: 'console', tenant: '', id: 'bo' };
    // A separate worker (as `npm run worker` would be) delivers it to the inbox meanwhile.
    const connection = new Redis(server.url, { maxRetriesPerRequest: null });
    const inbox = new ConsoleInbox(rt.jobsRedis, rt.keys);
    const worker = await startWorker({ connection, keyPrefix: prefix, engine: rt.engine, store: rt.store, notifiers: { console: inbox } });
    const seeded = await seedCoolingCase(rt.store, bo, 'c1', new Date(Date.now() + 200), undefined, 'Globex');
    await rt.scheduler.schedule(bo, 'c1', seeded.reminder);
    const until = Date.now() + 10_000;
    while ((await inbox.unread(bo)).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    connection.disconnect();

    const env = { REDIS_URL: server.url, OFFBOARD_PREFIX: prefix, OFFBOARD_USER: 'bo', OFFBOARD_LANG: 'en', OFFBOARD_WORKER: 'off' };
    const first = openConsole(env);
    await first.waitFor(/are you still sure about ending with Globex\?/);
    expect(await first.end()).toBe(0);
    // Shown once: the next session starts without it.
    const second = openConsole(env);
    second.type('list');
    await second.waitFor(/Globex/);
    expect(await second.end()).toBe(0);
    expect(second.output()).not.toMatch(/are you still sure/);
  });
});
