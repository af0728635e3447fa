import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { targetAnswers } from './redis-connection.js';

const PROBE_TIMEOUT_MS = 1500;
const START_TIMEOUT_MS = 10_000;

/** True when a Redis server answers PING at `url`. */
export function redisAnswers(url: string): Promise<boolean> {
  return targetAnswers({ mode: 'single', url }, PROBE_TIMEOUT_MS);
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface LocalRedis {
  dataDir: string;
  /** The redis-server this process started; see `leaveLocalRedis` for when it is stopped. */
  child: ChildProcess;
}

/** How consoles' names start in CLIENT LIST (each one's storage watch connects with one). */
export const CONSOLE_CLIENT_NAME = 'offboard-console';

/** Says "a console started this Redis for itself": only such a Redis is ever stopped by us. */
export function localRedisMark(keyPrefix: string): string {
  return `${keyPrefix}:console:local-redis`;
}

/**
 * Starts redis-server as a child on the URL's port, its data (AOF on) in `dataDir`, so a
 * newcomer can try the bot with no set-up. It runs in a process group of its own: Ctrl-C in
 * the terminal goes to the console, which decides whether the server stops (another console
 * may be using it), instead of reaching the server directly.
 */
export async function startLocalRedis(url: string, keyPrefix: string, dataDir = '.offboard'): Promise<LocalRedis> {
  const { hostname, port } = new URL(url);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', port || '6379', '--bind', hostname || '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--logfile', 'redis.log'],
    { stdio: 'ignore', detached: true },
  );
  // The console's exit must not wait for the server (it may outlive us, see leaveLocalRedis).
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(url)) {
      await withClient(url, (r) => r.set(localRedisMark(keyPrefix), dir));
      return { dataDir: dir, child };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`redis-server did not start on ${hostname}:${port}`);
}

export type Leaving = 'stopped' | 'kept for another console' | 'not ours' | 'gone';

/**
 * Called as a console ends, after its own connections are closed: stops the Redis that a
 * console started (this one or an earlier one), unless another console still uses it; the
 * last console to leave stops it. A Redis someone else runs (no mark) is never touched.
 */
export async function leaveLocalRedis(url: string, keyPrefix: string, ownName = ''): Promise<Leaving> {
  const verdict = await withClient(url, async (r): Promise<Leaving> => {
    if ((await r.get(localRedisMark(keyPrefix))) === null) return 'not ours';
    const clients = String(await r.call('CLIENT', 'LIST'));
    const names = [...clients.matchAll(/ name=(\S+)/g)].map((m) => m[1] ?? '');
    if (names.some((n) => n.startsWith(`${CONSOLE_CLIENT_NAME}.`) && n !== ownName)) return 'kept for another console';
    // Not SHUTDOWN NOSAVE: the AOF keeps everything, and a plain SHUTDOWN flushes it first.
    await r.call('SHUTDOWN').catch(() => undefined);
    return 'stopped';
  }).catch(() => 'gone' as const);
  if (verdict !== 'stopped') return verdict;
  const deadline = Date.now() + PROBE_TIMEOUT_MS;
  while (Date.now() < deadline && (await redisAnswers(url))) await new Promise((r) => setTimeout(r, 50));
  return 'stopped';
}

async function withClient<T>(url: string, work: (r: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, commandTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}
