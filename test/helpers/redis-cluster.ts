/**
 * A real Redis Cluster for a test: three primaries and three replicas from redis-server on
 * free ports, joined with `redis-cli --cluster create`, every node behind a password. No Docker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '../../src/config/redis-target.js';
import { freePort, waitUntil } from './net.js';
import type { TestCerts } from './tls-certs.js';
import { HOST, onNode, startNode, type RedisNode } from './redis-node.js';

export interface TestCluster {
  nodes: RedisNode[];
  target: RedisTarget & { mode: 'cluster' };
  stop(): Promise<void>;
}

const NODES = 6;
/** Every node asks for it, as a production Cluster should: the tests then cover REDIS_PASSWORD. */
export const CLUSTER_PASSWORD = 'cluster-pass-4Kd';
const FORM_MS = 60_000;

export interface ClusterOptions {
  /** Also a TLS port on every node; the Cluster's own links and clients then use TLS. */
  tls?: TestCerts;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const root = mkdtempSync(join(tmpdir(), 'offboard-cluster-'));
  const tlsPorts: number[] = [];
  const nodes: RedisNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < NODES; i++) {
      // The bus port is given, not port + 10000, which may be past 65535 or taken.
      const busPort = await freePort(HOST);
      const tls = options.tls;
      const tlsPort = tls ? await freePort(HOST) : 0;
      tlsPorts.push(tlsPort);
      const tlsConf = tls
        ? [`tls-port ${tlsPort}`, `tls-cert-file ${tls.cert}`, `tls-key-file ${tls.key}`, `tls-ca-cert-file ${tls.ca}`, 'tls-cluster yes', 'tls-replication yes', 'tls-auth-clients no']
        : [];
      nodes.push(
        await startNode(join(root, `n${i}`), ['cluster-enabled yes', 'cluster-config-file nodes.conf', `cluster-port ${busPort}`, 'cluster-node-timeout 3000', 'appendonly no', `requirepass ${CLUSTER_PASSWORD}`, `masterauth ${CLUSTER_PASSWORD}`, ...tlsConf]),
      );
    }
    const addresses = nodes.map((n, i) => `${HOST}:${options.tls ? tlsPorts[i] : n.port}`);
    const tlsArgs = options.tls ? ['--tls', '--cacert', options.tls.ca] : [];
    const made = spawnSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes', '--no-auth-warning', '-a', CLUSTER_PASSWORD, ...tlsArgs], { encoding: 'utf8', timeout: FORM_MS });
    if (made.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${made.stdout}\n${made.stderr}`);
    // Every node must agree: all slots served, state ok, and each primary with its replica.
    await waitUntil(
      'the cluster to settle',
      async () => {
        for (const n of nodes) {
          const info = await onNode(n.port, (r) => r.cluster('INFO'), CLUSTER_PASSWORD).catch(() => '');
          if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info) || !/cluster_known_nodes:6/.test(info)) return false;
        }
        const roles = await Promise.all(nodes.map((n) => onNode(n.port, (r) => r.info('replication'), CLUSTER_PASSWORD).catch(() => '')));
        return roles.filter((r) => /role:master/.test(r) && /connected_slaves:1/.test(r)).length === 3;
      },
      FORM_MS,
      () => nodes.map((n) => n.log()).join('\n---\n'),
    );
    const ports = options.tls ? tlsPorts : nodes.map((n) => n.port);
    return { nodes, target: { mode: 'cluster', nodes: ports.slice(0, 3).map((port) => ({ host: HOST, port })), auth: { tls: Boolean(options.tls), password: CLUSTER_PASSWORD } }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
