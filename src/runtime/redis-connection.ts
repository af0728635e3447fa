/**
 * Every Redis connection the processes open is built here, from the configured target: one
 * server, a primary behind Sentinels, or a Cluster. The rest of the code is typed against
 * ioredis's `Redis`; a `Cluster` answers the same keyed commands (each user's keys share one
 * hash tag, the queue's share `{<prefix>-jobs}`), and the few commands that name no key are
 * routed here: `primaries` for SCAN, `confirmReplicated` for WAIT.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisAuth, RedisTarget } from '../config/redis-target.js';
import { withoutCredentials } from '../config/value.js';

/** What a caller may tune per connection; addresses, credentials and TLS come from the target. */
export type ConnectionOptions = Pick<
  RedisOptions,
  'maxRetriesPerRequest' | 'enableAutoPipelining' | 'enableOfflineQueue' | 'connectionName' | 'retryStrategy' | 'lazyConnect' | 'connectTimeout' | 'commandTimeout'
>;

/**
 * How long a durable write waits for a replica to have it (WAIT) before the caller goes on.
 * Short: a replica on the same network answers in a millisecond; a missing one must not stall
 * every turn (min-replicas-to-write on the primary is the hard floor, see docs/deployment.md).
 */
export const REPLICA_WAIT_MS = 1_000;
const ALONE_RETRY_MS = 10_000;
const alone = new WeakMap<Redis, number>();
const waitRunning = new WeakMap<Redis, Promise<number>>();
const waitQueued = new WeakMap<Redis, Promise<number>>();

function authOptions(auth: RedisAuth): RedisOptions {
  return {
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
    ...(auth.tls ? { tls: {} } : {}),
  };
}

/** A demoted primary answers writes with READONLY: reconnect, and the Sentinels name the new one. */
const reconnectOnReadonly: RedisOptions['reconnectOnError'] = (err) => (/^READONLY/.test(err.message) ? 2 : false);

/** Opens (or, with `lazyConnect`, prepares) one connection to the configured Redis. */
export function connectRedis(target: RedisTarget, options: ConnectionOptions = {}): Redis {
  if (target.mode === 'single') return new Redis(target.url, options);
  if (target.mode === 'sentinel') {
    return new Redis({
      ...options,
      ...authOptions(target.auth),
      sentinels: target.sentinels,
      name: target.name,
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
      ...(target.auth.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      // Not ioredis's failoverDetector: its +switch-master handler can cut a reconnection that
      // is asking the Sentinels, and the connection then ends for good ("Connection is closed",
      // seen in test/redis-sentinel.test.ts). A dead primary closes the socket anyway.
      failoverDetector: false,
      reconnectOnError: reconnectOnReadonly,
      // Keep asking the Sentinels while a failover is under way (a few seconds), never give up.
      sentinelRetryStrategy: options.retryStrategy ?? ((times) => Math.min(100 * times, 1_000)),
      retryStrategy: options.retryStrategy ?? ((times) => Math.min(50 * times, 500)),
    });
  }
  const { enableAutoPipelining: _batching, enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...perNode, ...authOptions(target.auth) },
    // Only the primaries: a replica may lag, and a turn must read what it just wrote.
    scaleReads: 'master',
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    // No auto-pipelining: ioredis then batches a script call with commands of other slots and
    // the turn fails ("All keys in the pipeline should belong to the same slots allocation group").
    enableAutoPipelining: false,
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    // Keeps configured host names unresolved, so TLS checks the certificate against the name.
    ...(target.auth.tls ? { dnsLookup: (address: string, done: (err: Error | null, family: string) => void) => done(null, address) } : {}),
  };
  // The modules take `Redis`; a Cluster speaks the same keyed commands (see the header).
  return new Cluster(target.nodes, clusterOptions) as unknown as Redis;
}

/** Read from the connection itself, so that its duplicates (BullMQ's, the inbox's) say the same. */
export function isCluster(redis: Redis): boolean {
  return (redis as unknown as { isCluster?: boolean }).isCluster === true;
}

function viaSentinels(redis: Redis): boolean {
  return !isCluster(redis) && (redis.options.sentinels?.length ?? 0) > 0;
}

/** The servers that hold keys: a Cluster's primaries, or the one connection itself. */
export function primaries(redis: Redis): Redis[] {
  return isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
}

/**
 * Every key matching `pattern`, on every primary, a page at a time (SCAN on a Cluster
 * connection would ask one node chosen at random). Keys may come twice; callers are idempotent.
 */
export async function scanEach(redis: Redis, pattern: string, count: number, page: (keys: string[]) => Promise<void>): Promise<void> {
  for (const node of primaries(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (found.length > 0) await page(found);
    } while (cursor !== '0');
  }
}

/**
 * After a write that must survive a failover (a turn's commit, a message about to be sent):
 * with Sentinel, waits until a replica has everything this connection wrote, so the replica
 * the Sentinels promote has it too. Returns how many replicas confirmed (null: not asked, one
 * server or a Cluster, where WAIT cannot be routed to the node that took the write).
 */
export function confirmReplicated(redis: Redis, timeoutMs = REPLICA_WAIT_MS): Promise<number | null> {
  if (!viaSentinels(redis)) return Promise.resolve(null);
  // Just after a failover the promoted primary has no replica yet: waiting a second on every
  // write would stall the bot, so a connection that found none stops asking for a while.
  if ((alone.get(redis) ?? 0) > Date.now()) return Promise.resolve(0);
  // WAIT holds up the whole connection, so concurrent callers share: one WAIT in flight, and
  // at most one queued behind it for the writes sent since (fifty at once would be fifty seconds).
  const queued = waitQueued.get(redis);
  if (queued) return queued;
  const running = waitRunning.get(redis);
  if (!running) return startWait(redis, timeoutMs);
  const next = running
    .catch(() => 0)
    .then(() => {
      waitQueued.delete(redis);
      return (alone.get(redis) ?? 0) > Date.now() ? 0 : startWait(redis, timeoutMs);
    });
  waitQueued.set(redis, next);
  return next;
}

function startWait(redis: Redis, timeoutMs: number): Promise<number> {
  const run = redis.wait(1, timeoutMs).then((confirmed) => {
    if (confirmed < 1) alone.set(redis, Date.now() + ALONE_RETRY_MS);
    return confirmed;
  });
  const settled = run.finally(() => {
    if (waitRunning.get(redis) === settled) waitRunning.delete(redis);
  });
  waitRunning.set(redis, settled);
  return settled;
}

/** The configured target; callers that only know a URL (tests, the bench) mean one server. */
export function targetOf(config: { redisUrl: string; redis?: RedisTarget | undefined }): RedisTarget {
  return config.redis ?? { mode: 'single', url: config.redisUrl };
}

/** The target in a log line or an error: addresses only, never a password. */
export function describeTarget(target: RedisTarget): string {
  if (target.mode === 'single') return withoutCredentials(target.url);
  const list = (target.mode === 'sentinel' ? target.sentinels : target.nodes).map((n) => `${n.host}:${n.port}`).join(',');
  return target.mode === 'sentinel' ? `Sentinels ${list} (primary "${target.name}")` : `Cluster ${list}`;
}

/** True when the configured Redis answers PING (a Cluster: once its slots are known). */
export async function targetAnswers(target: RedisTarget, timeoutMs = 1_500): Promise<boolean> {
  const probe = connectRedis(target, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
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
