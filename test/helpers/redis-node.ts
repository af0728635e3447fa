/**
 * One redis-server (or Sentinel) process of a test deployment: a free port, its own folder,
 * ready once it answers PING. The Cluster and Sentinel helpers are made of these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, pingReply, waitUntil } from './net.js';

export const HOST = '127.0.0.1';
const READY_MS = 15_000;

export interface RedisNode {
  port: number;
  /** SIGKILL: no goodbye to replicas or Sentinels, as when a machine dies. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  alive(): boolean;
  log(): string;
}

class PortTaken extends Error {}

/**
 * `conf` lines go into a config file (Sentinel rewrites its own); `port`/`dir` are added. A
 * free port can be taken between choosing and binding it, and a Cluster node also binds its
 * port + 10000, which nobody checked: without a fixed `port`, another one is tried then.
 */
export async function startNode(dir: string, conf: string[], sentinel = false, port?: number): Promise<RedisNode> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNodeOnce(dir, conf, sentinel, port);
    } catch (err) {
      if (!(err instanceof PortTaken) || port !== undefined || attempt >= 5) throw err;
      // A Cluster node may have written its identity for the port it could not have.
      rmSync(join(dir, 'nodes.conf'), { force: true });
    }
  }
}

async function startNodeOnce(dir: string, conf: string[], sentinel: boolean, port?: number): Promise<RedisNode> {
  mkdirSync(dir, { recursive: true });
  const chosen = port ?? (await freePort(HOST));
  const file = join(dir, sentinel ? 'sentinel.conf' : 'redis.conf');
  writeFileSync(file, [`port ${chosen}`, `bind ${HOST}`, `dir ${dir}`, 'save ""', 'daemonize no', ...conf].join('\n') + '\n');
  const child: ChildProcess = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', [file, ...(sentinel ? ['--sentinel'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    process.off('exit', killOnExit);
    if (!alive()) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(force);
  };
  await waitUntil(`redis-server on ${chosen}`, async () => {
    if (!alive()) throw new (/Address already in use/.test(log) ? PortTaken : Error)(`redis-server on ${chosen} exited:\n${log}`);
    return pingable(chosen);
  }, READY_MS, () => log);
  return { port: chosen, kill: () => end('SIGKILL'), stop: () => end('SIGTERM'), alive, log: () => log };
}

/** PONG, or NOAUTH from a server with requirepass (up, just not open to strangers). */
async function pingable(port: number): Promise<boolean> {
  return /^(\+PONG|-NOAUTH)/.test(await pingReply(port, HOST));
}

/** A short-lived plain connection to one node (admin commands: CLUSTER, INFO, SENTINEL). */
export async function onNode<T>(port: number, work: (r: Redis) => Promise<T>, password?: string): Promise<T> {
  const r = new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, ...(password ? { password } : {}) });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await work(r);
  } finally {
    r.disconnect();
  }
}
