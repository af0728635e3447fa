/**
 * The container runs compiled JavaScript with plain `node`, not tsx (Dockerfile). This builds
 * the project with tsconfig.build.json, as the image's build stage does, and runs the entry
 * points the image's commands name: the bot with no tokens yet, a worker, Bull Board, the
 * console, and a bad configuration. No Docker here: this is as close to the image as it gets.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, httpGet as get, waitUntil } from './helpers/net.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Inside the project, so that `node` finds node_modules the way it does in /app.
const OUT = join(ROOT, '.offboard', `dist-test-${process.pid}`);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let redis: TestRedis;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await promisify(execFile)(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', OUT], { cwd: ROOT });
  redis = await startRedis();
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await redis?.stop();
  rmSync(OUT, { recursive: true, force: true });
});


interface Run {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

function run(entry: string, args: string[], env: Record<string, string>, stdin?: string): Run {
  const child = spawn(process.execPath, [join(OUT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', NODE_ENV: 'production', LOG_FORMAT: 'json', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (out += s));
  if (stdin !== undefined) {
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin);
  }
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))));
  return { child, out: () => out, exit };
}



/** Waits up to 20 s; a timeout shows what the process printed. */
const until = (what: string, check: () => boolean | Promise<boolean>, r: Run, timeoutMs = 20_000) => waitUntil(what, check, timeoutMs, () => `output:\n${r.out().slice(-2000)}`);

const base = () => ({ REDIS_URL: redis.url, OFFBOARD_PREFIX: randomPrefix() });

describe('the compiled entry points the image runs', () => {
  it('the bot with no tokens yet says which variables to set, stays up for /healthz, is not ready, and stops on SIGTERM', async () => {
    const port = await freePort();
    const bot = run('adapters/main.js', ['--serve'], { ...base(), PORT: String(port) });
    await until('/healthz', async () => (await get(port, '/healthz')).status === 200, bot);
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'unready', checks: { redis: true, platforms: false } });
    const line = bot.out().split('\n').find((l) => l.includes('SLACK_BOT_TOKEN'));
    expect(line).toBeDefined();
    const logged = JSON.parse(line ?? '{}') as { level: string; msg: string };
    expect(logged.level).toBe('warn');
    for (const name of ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', '.env']) expect(logged.msg).toContain(name);
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
  });

  it('a worker serves its own port and is ready once it takes jobs', async () => {
    const port = await freePort();
    const worker = run('jobs/main.js', [], { ...base(), WORKER_PORT: String(port) });
    await until('/readyz', async () => (await get(port, '/readyz')).status === 200, worker);
    expect(JSON.parse((await get(port, '/readyz')).body)).toEqual({ status: 'ready', checks: { redis: true, worker: true } });
    expect((await get(port, '/metrics')).body).toContain('offboard_reminder_queue_jobs{state="delayed",process="worker"}');
    // The image's HEALTHCHECK probe finds it on its port, whichever process this container runs.
    const [unused1, unused2] = [String(await freePort()), String(await freePort())];
    const probeEnv = { PORT: unused1, BOARD_PORT: unused2, WORKER_PORT: String(port) };
    expect(await run('ops/healthcheck.js', [], probeEnv).exit).toBe(0);
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    expect(await run('ops/healthcheck.js', [], probeEnv).exit).toBe(1);
    expect(worker.out()).toMatch(/"msg":"worker started"/);
  });

  it('Bull Board refuses to start without admin credentials, and asks for them in the browser', async () => {
    const refused = run('ops/board-main.js', [], { ...base(), BOARD_PORT: '0' });
    expect(await refused.exit).toBe(1);
    expect(refused.out()).toContain('set ADMIN_USER and ADMIN_PASSWORD');

    const port = await freePort();
    const board = run('ops/board-main.js', [], { ...base(), BOARD_PORT: String(port), ADMIN_USER: 'admin', ADMIN_PASSWORD: 'a long enough password' });
    await until('/healthz', async () => (await get(port, '/healthz')).status === 200, board);
    expect((await get(port, '/admin/queues')).status).toBe(401);
    const auth = `Basic ${Buffer.from('admin:a long enough password').toString('base64')}`;
    expect((await get(port, '/admin/queues', { authorization: auth })).status).toBe(200);
    board.child.kill('SIGTERM');
    expect(await board.exit).toBe(0);
  });

  it('`npm start` in the container is the console', async () => {
    const consoleRun = run('adapters/main.js', [], { ...base(), OFFBOARD_USER: 'ana', OFFBOARD_LANG: 'en' }, 'help\n');
    expect(await consoleRun.exit).toBe(0);
    expect(consoleRun.out()).toContain('start');
    expect(consoleRun.out()).not.toMatch(/"level"/);
  });

  it('a worker asked to stop while Redis is down still exits, and a Redis password never shows', async () => {
    const own = await startRedis({ allowExternal: false });
    try {
      const port = await freePort();
      const worker = run('jobs/main.js', [], { ...base(), REDIS_URL: own.url, WORKER_PORT: String(port) });
      await until('/readyz', async () => (await get(port, '/readyz')).status === 200, worker);
      await own.halt();
      await until('unready', async () => (await get(port, '/readyz')).status === 503, worker);
      const asked = Date.now();
      worker.child.kill('SIGTERM');
      await worker.exit;
      // The jobs' 10 s grace, then whatever still waits on the lost Redis is abandoned.
      expect(Date.now() - asked).toBeLessThan(17_000);
    } finally {
      await own.stop();
    }
    const unreachable = run('jobs/main.js', [], { REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:1/0' });
    expect(await unreachable.exit).toBe(1);
    expect(unreachable.out()).toContain('nothing answers at redis://***@127.0.0.1:1/0');
    expect(unreachable.out()).not.toContain('s3cret');
  });

  it('imports nothing at run time that the image leaves out (dev dependencies)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
    // npm ci --omit=dev installs optional dependencies too (better-sqlite3: the console without Redis).
    const shipped = { ...pkg.dependencies, ...pkg.optionalDependencies };
    const outside: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js')) {
          const code = readFileSync(path, 'utf8');
          for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
            const spec = m[1] ?? m[2] ?? m[3] ?? '';
            if (spec.startsWith('.') || spec.startsWith('node:')) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
            seen.add(name);
            if (!(name in shipped) && !isBuiltin(name)) outside.push(`${path.slice(OUT.length + 1)}: ${spec}`);
          }
        }
      }
    };
    walk(OUT);
    // The scan does see the imports (else the check below would pass on nothing).
    for (const name of ['bullmq', 'ioredis', '@slack/bolt', 'discord.js', 'pino', 'prom-client', 'zod', '@bull-board/express']) expect(seen).toContain(name);
    expect(outside).toEqual([]);
  });

  it('a bad configuration stops start-up with one line per problem and no stack trace', async () => {
    const bad = run('jobs/main.js', [], { REDIS_URL: 'localhost:6379', OFFBOARD_WORKER_CONCURRENCY: 'lots', ADMIN_USER: 'admin' });
    expect(await bad.exit).toBe(1);
    const lines = bad.out().trim().split('\n');
    expect(lines[0]).toBe('offboard worker cannot start:');
    expect(lines.slice(1).map((l) => l.split(':')[0]?.trim())).toEqual(['- REDIS_URL', '- OFFBOARD_WORKER_CONCURRENCY', '- ADMIN_PASSWORD']);
    expect(bad.out()).not.toMatch(/\n\s+at /);
  });
});
