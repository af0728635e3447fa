import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pingReply } from './net.js';

export interface TestRedis {
  url: string;
  port: number;
  /**
   * False for a server the test shares (TEST_REDIS_URL, or the suite's server for this vitest
   * worker): stop() leaves it running, restart/halt/resume refuse.
   */
  owned: boolean;
  stop(): Promise<void>;
  /** Same port and data dir; with `aof` on, the data survives. */
  restart(): Promise<void>;
  /** Stops the server but keeps its port and data dir, for `resume()`: an outage. */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

export interface StartOptions {
  /** Persistence on: the test's own server (never the suite's shared one). */
  aof?: boolean;
  /**
   * False: always start our own server, even when TEST_REDIS_URL is set or the suite shares one
   * per worker: for tests that halt, restart or reconfigure Redis, and for the bench.
   */
  allowExternal?: boolean;
}

/**
 * Set by test/setup/shared-redis.ts (vitest globalSetup): one throwaway redis-server per vitest
 * worker, comma-separated, the n-th for VITEST_POOL_ID n. Files on one worker run one after
 * another, so a server mostly serves one file at a time; randomPrefix() keeps keys apart anyway.
 */
export const SHARED_REDIS_ENV = 'OFFBOARD_TEST_REDIS_URLS';

/** The suite's server for this vitest worker, if the suite started them. */
function sharedUrl(): string | undefined {
  const urls = (process.env[SHARED_REDIS_ENV] ?? '').split(',').filter(Boolean);
  if (urls.length === 0) return undefined;
  const pool = Math.max(1, Number(process.env['VITEST_POOL_ID']) || 1);
  return urls[(pool - 1) % urls.length];
}

function borrowed(url: string, why: string): TestRedis {
  const refuse = async (): Promise<never> => {
    throw new Error(`restart/halt/resume need a redis-server of the test's own (startRedis({ allowExternal: false })); ${why}`);
  };
  return { url, port: Number(new URL(url).port || 6379), owned: false, stop: async () => {}, restart: refuse, halt: refuse, resume: refuse };
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 10_000;

/**
 * Fresh key prefix per test. Tests must always use one: the worker's server holds the keys of
 * the files that ran on it before, TEST_REDIS_URL's holds other people's data, and nothing here
 * ever flushes a database.
 */
export function randomPrefix(): string {
  return `offboard-test-${randomBytes(6).toString('hex')}`;
}

export async function startRedis(options: StartOptions = {}): Promise<TestRedis> {
  const external = options.allowExternal === false ? undefined : process.env.TEST_REDIS_URL;
  if (external) return borrowed(external, 'TEST_REDIS_URL is set');
  // Starting a server costs a process and its start-up per file; the worker's one is free.
  const shared = options.allowExternal === false || options.aof ? undefined : sharedUrl();
  if (shared) return borrowed(shared, 'this one is the vitest worker\'s shared server');

  const dir = mkdtempSync(join(tmpdir(), 'offboard-redis-'));
  let child: ChildProcess | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL'); // 'exit' handlers must be synchronous; no graceful shutdown here
  };
  process.on('exit', killOnExit);

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort(HOST);
    try {
      child = await launch(port, dir, options);
      break;
    } catch (err) {
      // Another process may grab the port between our probe and redis-server's bind.
      if (!(err instanceof PortInUse) || attempt >= PORT_ATTEMPTS) {
        process.off('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const stopChild = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running) await terminate(running);
  };
  return {
    url: `redis://${HOST}:${port}`,
    port,
    owned: true,
    stop: async () => {
      await stopChild();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stopChild();
      child = await launch(port, dir, options);
    },
    halt: stopChild,
    resume: async () => {
      child ??= await launch(port, dir, options);
    },
  };
}

class PortInUse extends Error {}


async function launch(port: number, dir: string, options: StartOptions): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', HOST,
    '--save', '',
    '--dir', dir,
    '--daemonize', 'no',
    ...(options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const child = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited = false;
  let spawnError: Error | undefined;
  child.once('exit', () => (exited = true));
  child.once('error', (err) => {
    spawnError = err;
    exited = true;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      if (spawnError) throw new Error(`cannot start redis-server: ${spawnError.message}`);
      if (/address already in use/i.test(log)) throw new PortInUse(`port ${port} taken`);
      throw new Error(`redis-server exited early:\n${log}`);
    }
    if (await pingAnswers(port)) return child;
    await sleep(25);
  }
  await terminate(child);
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${log}`);
}

/** True on +PONG; a server still loading its AOF answers -LOADING, which is not ready. */
async function pingAnswers(port: number): Promise<boolean> {
  return (await pingReply(port, HOST)).startsWith('+PONG');
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
