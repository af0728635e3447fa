/**
 * /readyz part by part (Redis, worker, platform) while Redis goes away and comes back, on the
 * real processes: a bot with Slack (faked on 127.0.0.1) and its inline worker, and a
 * stand-alone worker (`npm run worker`), on a throwaway redis-server the test stops and starts.
 * Before issue 13 the worker part stayed "ready" through the outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from './helpers/fake-slack-api.js';
import { freePort, httpGet as get, waitUntil } from './helpers/net.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { entryArgs } from './helpers/app-entry.js';

const BOT_MAIN = fileURLToPath(new URL('../adapters/main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../jobs/main.ts', import.meta.url));

interface Proc {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
}

let redis: TestRedis;
let api: FakeSlackApi;
const procs: Proc[] = [];

function launch(name: string, script: string, args: string[], env: Record<string, string>, port: number): Proc {
  const child = spawn(process.execPath, [...entryArgs(script), ...args], {
    env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const p = { name, port, child, output };
  procs.push(p);
  return p;
}

const readyz = async (p: Proc) => {
  const r = await get(p.port, '/readyz');
  return { status: r.status, body: r.body ? (JSON.parse(r.body) as { status: string; checks: Record<string, boolean> }) : null };
};
const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) =>
  waitUntil(what, check, timeoutMs, () => procs.map((p) => `--- ${p.name}\n${p.output.slice(-10).join('\n')}`).join('\n'));

let bot: Proc;
let worker: Proc;

beforeAll(async () => {
  redis = await startRedis({ aof: true, allowExternal: false });
  api = await new FakeSlackApi().start();
  const common = { REDIS_URL: redis.url, OFFBOARD_PREFIX: randomPrefix() };
  const botPort = await freePort();
  bot = launch(
    'bot',
    BOT_MAIN,
    ['--serve'],
    { ...common, SLACK_BOT_TOKEN: 'xoxb-readyz', SLACK_SIGNING_SECRET: 'readyz-signing-secret', SLACK_API_URL: api.apiUrl, PORT: String(botPort), OFFBOARD_WORKER: 'inline' },
    botPort,
  );
  const workerPort = await freePort();
  worker = launch('worker', WORKER_MAIN, [], { ...common, WORKER_PORT: String(workerPort) }, workerPort);
  await until('both processes to be ready', async () => (await readyz(bot)).status === 200 && (await readyz(worker)).status === 200, 45_000);
});

afterAll(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  await api?.stop();
  await redis?.stop();
});

describe('/readyz, part by part', () => {
  it('names Redis, the worker and the platform; Redis and the worker turn unready in an outage, and ready again after', async () => {
    expect((await readyz(bot)).body).toEqual({ status: 'ready', checks: { redis: true, worker: true, platforms: true, slack: true } });
    expect((await readyz(worker)).body).toEqual({ status: 'ready', checks: { redis: true, worker: true } });

    await redis.halt();
    await until('both to see the outage', async () => (await readyz(bot)).body?.checks['worker'] === false && (await readyz(worker)).body?.checks['worker'] === false);
    // Answered in time, part by part: Slack itself is still reachable, so it stays ready.
    const started = Date.now();
    const [b, w] = [await readyz(bot), await readyz(worker)];
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(b).toEqual({ status: 503, body: { status: 'unready', checks: { redis: false, worker: false, platforms: true, slack: true } } });
    expect(w).toEqual({ status: 503, body: { status: 'unready', checks: { redis: false, worker: false } } });

    await redis.resume();
    await until('both to be ready again', async () => (await readyz(bot)).status === 200 && (await readyz(worker)).status === 200);
    expect((await readyz(bot)).body?.checks).toEqual({ redis: true, worker: true, platforms: true, slack: true });
    expect((await readyz(worker)).body?.checks).toEqual({ redis: true, worker: true });
  });
});
