import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

const PROBE_TIMEOUT_MS = 1500;
const START_TIMEOUT_MS = 10_000;

/** True when a Redis server answers PING at `url`. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface LocalRedis {
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts redis-server as a child on the URL's port, its data (AOF on) in `dataDir`, so a
 * newcomer can try the bot with no set-up. Stopped with the process.
 */
export async function startLocalRedis(url: string, dataDir = '.offboard'): Promise<LocalRedis> {
  const { hostname, port } = new URL(url);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', port || '6379', '--bind', hostname || '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--logfile', 'redis.log'],
    { stdio: 'ignore' },
  );
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  process.once('exit', () => child.kill('SIGTERM'));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(url)) return { dataDir: dir, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`redis-server did not start on ${hostname}:${port}`);
}
