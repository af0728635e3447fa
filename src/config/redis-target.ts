/**
 * Which Redis the processes use, in one of three modes: one server (REDIS_URL), a primary
 * watched by Sentinels (REDIS_SENTINELS + REDIS_SENTINEL_NAME), or a Cluster
 * (REDIS_CLUSTER_NODES). With one server the URL carries password and TLS (rediss://); in the
 * other two modes REDIS_PASSWORD, REDIS_USERNAME and REDIS_TLS do, for every node.
 */
import { oneOf, secret, shown, type Problem } from './value.js';

export interface HostPort {
  host: string;
  port: number;
}

/** Credentials and TLS shared by every node of a Sentinel or Cluster deployment. */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; auth: RedisAuth; sentinelPassword?: string }
  | { mode: 'cluster'; nodes: HostPort[]; auth: RedisAuth };

const LIST_EXAMPLE = (port: number) => `(example: 10.0.0.1:${port},10.0.0.2:${port},10.0.0.3:${port})`;

/** Parses `host:port,host:port`; null when any entry is not one. */
export function hostPorts(value: string): HostPort[] | null {
  const found: HostPort[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    // An IPv6 literal is bracketed: [::1]:26379.
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match?.[1] || !(port >= 1 && port <= 65535)) return null;
    found.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return found.length > 0 ? found : null;
}

function listCheck(port: number) {
  return (value: string): string | null => {
    const list = hostPorts(value);
    if (!list) return `${shown(value)} must be host:port pairs separated by commas ${LIST_EXAMPLE(port)}`;
    const seen = new Set(list.map((h) => `${h.host}:${h.port}`));
    return seen.size === list.length ? null : `${shown(value)} names one address twice ${LIST_EXAMPLE(port)}`;
  };
}

export const sentinelsCheck = listCheck(26379);
export const clusterNodesCheck = listCheck(6379);
export const sentinelNameCheck = (v: string): string | null =>
  /^[A-Za-z0-9._-]{1,64}$/.test(v) ? null : `${shown(v)} must be the name the Sentinels watch the primary under, letters, digits, dots, dashes or underscores (example: mymaster)`;
export const redisTlsCheck = oneOf(['on', 'off'], 'on, to speak TLS to every node');
export const redisPasswordCheck = secret((v) => !/[\s]/.test(v), 'contains a space or a line break; paste the password alone (example: the requirepass of your Redis nodes)');

interface RedisValues {
  REDIS_URL?: string | undefined;
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_TLS?: string | undefined;
}

/** One mode at a time, each complete; a mix is refused in one line naming what to keep. */
export function redisRule(e: RedisValues): Problem[] {
  const modes = [e.REDIS_URL && 'REDIS_URL', e.REDIS_SENTINELS && 'REDIS_SENTINELS', e.REDIS_CLUSTER_NODES && 'REDIS_CLUSTER_NODES'].filter((m): m is string => Boolean(m));
  if (modes.length > 1) {
    return [{ variable: modes[1] ?? 'REDIS_URL', message: `set together with ${modes[0]}: use one of REDIS_URL (one server), REDIS_SENTINELS (Sentinel) or REDIS_CLUSTER_NODES (Cluster), not ${modes.join(' and ')}` }];
  }
  const problems: Problem[] = [];
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) problems.push({ variable: 'REDIS_SENTINEL_NAME', message: 'missing while REDIS_SENTINELS is set (example: mymaster, the name in sentinel monitor)' });
  if (e.REDIS_SENTINEL_NAME && !e.REDIS_SENTINELS) problems.push({ variable: 'REDIS_SENTINELS', message: `missing while REDIS_SENTINEL_NAME is set ${LIST_EXAMPLE(26379)}` });
  if (e.REDIS_SENTINEL_PASSWORD && !e.REDIS_SENTINELS) problems.push({ variable: 'REDIS_SENTINEL_PASSWORD', message: 'set without REDIS_SENTINELS; it is the Sentinels\' own password, set it with them or not at all' });
  if (!e.REDIS_SENTINELS && !e.REDIS_CLUSTER_NODES) {
    // With one server the URL says it all; a second place for the password would be a trap.
    for (const name of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS'] as const) {
      if (e[name]) problems.push({ variable: name, message: 'only for REDIS_SENTINELS or REDIS_CLUSTER_NODES; with one server put it in REDIS_URL (example: rediss://user:password@host:6380/0)' });
    }
  }
  return problems;
}

/** Only called once the checks and `redisRule` passed. */
export function redisTargetFrom(e: RedisValues, defaultUrl: string): RedisTarget {
  const auth: RedisAuth = {
    tls: e.REDIS_TLS?.toLowerCase() === 'on',
    ...(e.REDIS_USERNAME ? { username: e.REDIS_USERNAME } : {}),
    ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}),
  };
  const sentinels = e.REDIS_SENTINELS ? hostPorts(e.REDIS_SENTINELS) : null;
  if (sentinels && e.REDIS_SENTINEL_NAME) {
    return { mode: 'sentinel', sentinels, name: e.REDIS_SENTINEL_NAME, auth, ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}) };
  }
  const nodes = e.REDIS_CLUSTER_NODES ? hostPorts(e.REDIS_CLUSTER_NODES) : null;
  if (nodes) return { mode: 'cluster', nodes, auth };
  return { mode: 'single', url: e.REDIS_URL ?? defaultUrl };
}
