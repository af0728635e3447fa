/**
 * A real Sentinel deployment for a test: a primary, one replica and three Sentinels, from
 * redis-server on free ports. No Docker. `killPrimary` SIGKILLs whichever node is primary now.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '../../src/config/redis-target.js';
import { waitUntil } from './net.js';
import { HOST, onNode, startNode, type RedisNode } from './redis-node.js';

export const PRIMARY_NAME = 'offboard-primary';
const SETTLE_MS = 60_000;

export interface TestSentinel {
  primary: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  target: RedisTarget & { mode: 'sentinel' };
  /** The port the Sentinels name as primary now. */
  primaryPort(): Promise<number>;
  stop(): Promise<void>;
}

export interface SentinelOptions {
  /** Milliseconds without an answer before the Sentinels call the primary down. */
  downAfterMs?: number;
  /** requirepass of the primary and the replica (and what the Sentinels log in with). */
  password?: string;
  /** requirepass of the Sentinels themselves. */
  sentinelPassword?: string;
}

export async function startSentinel(options: SentinelOptions = {}): Promise<TestSentinel> {
  const root = mkdtempSync(join(tmpdir(), 'offboard-sentinel-'));
  const started: RedisNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((n) => n.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // The primary refuses writes once its replica has been silent 10 s: a primary cut off
    // from the rest stops taking writes that the failover would throw away.
    const auth = options.password ? [`requirepass ${options.password}`, `masterauth ${options.password}`] : [];
    const primary = await startNode(join(root, 'primary'), ['appendonly no', 'min-replicas-to-write 1', 'min-replicas-max-lag 10', ...auth]);
    started.push(primary);
    const replica = await startNode(join(root, 'replica'), ['appendonly no', `replicaof ${HOST} ${primary.port}`, ...auth]);
    started.push(replica);
    await waitUntil('the replica to sync', async () => /master_link_status:up/.test(await onNode(replica.port, (r) => r.info('replication'), options.password).catch(() => '')), SETTLE_MS);
    const sentinels: RedisNode[] = [];
    for (let i = 0; i < 3; i++) {
      const node = await startNode(
        join(root, `sentinel${i}`),
        [
          `sentinel monitor ${PRIMARY_NAME} ${HOST} ${primary.port} 2`,
          `sentinel down-after-milliseconds ${PRIMARY_NAME} ${options.downAfterMs ?? 1_000}`,
          `sentinel failover-timeout ${PRIMARY_NAME} 10000`,
          `sentinel parallel-syncs ${PRIMARY_NAME} 1`,
          ...(options.password ? [`sentinel auth-pass ${PRIMARY_NAME} ${options.password}`] : []),
          // The Sentinels talk to each other with the same password they ask of clients.
          ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`, `sentinel sentinel-pass ${options.sentinelPassword}`] : []),
        ],
        true,
      );
      sentinels.push(node);
      started.push(node);
    }
    const primaryPort = async (): Promise<number> => {
      for (const s of sentinels) {
        if (!s.alive()) continue;
        const addr = await onNode(s.port, (r) => r.call('SENTINEL', 'get-master-addr-by-name', PRIMARY_NAME), options.sentinelPassword).catch(() => null);
        if (Array.isArray(addr)) return Number(addr[1]);
      }
      return 0;
    };
    // Every Sentinel sees the replica and the other two Sentinels before anything is killed.
    await waitUntil(
      'the Sentinels to know each other and the replica',
      async () => {
        for (const s of sentinels) {
          const info = await onNode(s.port, (r) => r.call('SENTINEL', 'master', PRIMARY_NAME), options.sentinelPassword).catch(() => null);
          const fields = Array.isArray(info) ? (info as string[]) : [];
          const get = (name: string) => fields[fields.indexOf(name) + 1];
          if (get('num-slaves') !== '1' || get('num-other-sentinels') !== '2') return false;
        }
        return true;
      },
      SETTLE_MS,
      () => sentinels.map((s) => s.log()).join('\n---\n'),
    );
    return {
      primary,
      replica,
      sentinels,
      target: {
        mode: 'sentinel',
        sentinels: sentinels.map((s) => ({ host: HOST, port: s.port })),
        name: PRIMARY_NAME,
        auth: { tls: false, ...(options.password ? { password: options.password } : {}) },
        ...(options.sentinelPassword ? { sentinelPassword: options.sentinelPassword } : {}),
      },
      primaryPort,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
