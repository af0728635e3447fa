/**
 * REDIS_TLS=on against a real Cluster that speaks TLS only to its clients' port (its own links
 * and replication too), with a certificate from a throwaway CA: `npm run worker` trusts it
 * through NODE_EXTRA_CA_CERTS, reaches every primary (its start-up reconciliation scans them)
 * and says ready; the same nodes without TLS, or without trusting the CA, answer nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetAnswers } from '../src/runtime/redis-connection.js';
import { freePort, httpGet, waitUntil } from './helpers/net.js';
import { CLUSTER_PASSWORD, startCluster, type TestCluster } from './helpers/redis-cluster.js';
import { randomPrefix } from './helpers/redis-server.js';
import { makeCerts, type TestCerts } from './helpers/tls-certs.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let dir: string;
let certs: TestCerts;
let cluster: TestCluster;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offboard-tls-'));
  certs = makeCerts(dir);
  cluster = await startCluster({ tls: certs });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS to a Redis Cluster', () => {
  it('npm run worker with REDIS_TLS=on is ready; without TLS, or without trusting the CA, nothing answers', async () => {
    expect(await targetAnswers({ ...cluster.target, auth: { ...cluster.target.auth, tls: false } }), 'plain text to a TLS port').toBe(false);
    expect(await targetAnswers(cluster.target), 'a certificate this process does not trust').toBe(false);
    const port = await freePort();
    const child = spawn(process.execPath, entryArgs(join(ROOT, 'jobs', 'main.ts')), {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        LOG_FORMAT: 'json',
        NODE_EXTRA_CA_CERTS: certs.ca,
        REDIS_CLUSTER_NODES: cluster.target.nodes.map((n) => `${n.host}:${n.port}`).join(','),
        REDIS_PASSWORD: CLUSTER_PASSWORD,
        REDIS_TLS: 'on',
        OFFBOARD_PREFIX: randomPrefix(),
        WORKER_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((done) => child.once('close', done));
    try {
      await waitUntil('the worker to start over TLS', () => out.includes('worker started'), 60_000, () => out);
      await waitUntil('/readyz to say ready', async () => (await httpGet(port, '/readyz')).status === 200, 30_000, () => out);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, out).toBe(0);
    // Its start-up reconciliation scanned every primary, over the TLS ports the Cluster names.
    expect(out).toMatch(/reminder queue matches the cases/);
    expect(out).not.toMatch(/reconciler failed/);
  }, 120_000);
});
