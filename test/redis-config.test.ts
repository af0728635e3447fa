/**
 * The three ways to name Redis (one server, Sentinel, Cluster): what each builds, what a mix
 * or half a mode says (one line), and that no password is ever quoted. Pure.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { hostPorts } from '../src/config/redis-target.js';
import { describeTarget } from '../src/runtime/redis-connection.js';
import { configProblems } from './helpers/config-problems.js';

const problems = (env: Record<string, string>): string[] => configProblems(readConfig, env);

describe('the Redis target', () => {
  it('nothing set: one server at the default URL, which the console may start itself', () => {
    const c = readConfig({});
    expect(c.redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379' });
    expect(c.redisUrlDefault).toBe(true);
  });

  it('REDIS_URL: one server, password and TLS in the URL', () => {
    const c = readConfig({ REDIS_URL: 'rediss://:pw-in-url@redis.example.com:6380/0' });
    expect(c.redis).toEqual({ mode: 'single', url: 'rediss://:pw-in-url@redis.example.com:6380/0' });
    expect(c.redisUrlDefault).toBe(false);
    expect(describeTarget(c.redis)).toBe('rediss://***@redis.example.com:6380/0');
  });

  it('REDIS_SENTINELS + REDIS_SENTINEL_NAME: Sentinel, with the nodes\' and the Sentinels\' passwords and TLS', () => {
    const c = readConfig({
      REDIS_SENTINELS: 's1:26379, s2:26379,[::1]:26380',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_PASSWORD: 'node-password-1',
      REDIS_USERNAME: 'offboard',
      REDIS_SENTINEL_PASSWORD: 'sentinel-password-1',
      REDIS_TLS: 'on',
    });
    expect(c.redis).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }, { host: '::1', port: 26380 }],
      name: 'mymaster',
      auth: { tls: true, username: 'offboard', password: 'node-password-1' },
      sentinelPassword: 'sentinel-password-1',
    });
    expect(c.redisUrlDefault).toBe(false);
    expect(describeTarget(c.redis)).toBe('Sentinels s1:26379,s2:26379,::1:26380 (primary "mymaster")');
  });

  it('REDIS_CLUSTER_NODES: Cluster, TLS off unless asked', () => {
    const c = readConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001', REDIS_PASSWORD: 'cluster-password' });
    expect(c.redis).toEqual({ mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], auth: { tls: false, password: 'cluster-password' } });
    expect(describeTarget(c.redis)).toBe('Cluster 10.0.0.1:7000,10.0.0.2:7001');
  });

  it('host:port lists: every entry must be one', () => {
    expect(hostPorts('a:1,b:65535')).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 65535 }]);
    for (const bad of ['a', 'a:0', 'a:70000', 'a:1,,b:2', 'redis://a:1', 'a:1:2', '']) expect(hostPorts(bad), bad).toBeNull();
  });
});

describe('a wrong Redis configuration: one line each', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['URL and Sentinels', { REDIS_URL: 'redis://h:6379', REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'm' }, /^REDIS_SENTINELS: set together with REDIS_URL: use one of REDIS_URL \(one server\), REDIS_SENTINELS \(Sentinel\) or REDIS_CLUSTER_NODES \(Cluster\), not REDIS_URL and REDIS_SENTINELS$/],
    ['URL and Cluster', { REDIS_URL: 'redis://h:6379', REDIS_CLUSTER_NODES: 'a:7000' }, /^REDIS_CLUSTER_NODES: set together with REDIS_URL: .*not REDIS_URL and REDIS_CLUSTER_NODES$/],
    ['Sentinels and Cluster', { REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'a:7000' }, /^REDIS_CLUSTER_NODES: set together with REDIS_SENTINELS/],
    ['Sentinels without a name', { REDIS_SENTINELS: 'a:26379' }, /^REDIS_SENTINEL_NAME: missing while REDIS_SENTINELS is set \(example: mymaster/],
    ['a name without Sentinels', { REDIS_SENTINEL_NAME: 'mymaster' }, /^REDIS_SENTINELS: missing while REDIS_SENTINEL_NAME is set \(example: 10\.0\.0\.1:26379/],
    ['a bad list', { REDIS_CLUSTER_NODES: 'a:7000;b:7001' }, /^REDIS_CLUSTER_NODES: "a:7000;b:7001" must be host:port pairs separated by commas \(example: 10\.0\.0\.1:6379/],
    ['an address twice', { REDIS_SENTINELS: 'a:26379,a:26379', REDIS_SENTINEL_NAME: 'm' }, /^REDIS_SENTINELS: "a:26379,a:26379" names one address twice/],
    ['a bad name', { REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'my master' }, /^REDIS_SENTINEL_NAME: "my master" must be the name the Sentinels watch/],
    ['TLS neither on nor off', { REDIS_CLUSTER_NODES: 'a:7000', REDIS_TLS: 'yes' }, /^REDIS_TLS: "yes" must be on or off/],
    ['a password beside REDIS_URL', { REDIS_URL: 'redis://h:6379', REDIS_PASSWORD: 'second-place-pw' }, /^REDIS_PASSWORD: only for REDIS_SENTINELS or REDIS_CLUSTER_NODES; with one server put it in REDIS_URL/],
    ['a Sentinel password without Sentinels', { REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINEL_PASSWORD: 'lonely-sentinel-pw' }, /^REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS/],
  ];
  it.each(cases)('%s', (_name, env, wording) => {
    const lines = problems(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(wording);
  });

  it('a password is never quoted, even a malformed one', () => {
    const lines = problems({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_PASSWORD: 'has a space-Secret9', REDIS_SENTINEL_PASSWORD: 'Sentinel-Secret8' });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain('Secret9');
      expect(line).not.toContain('Secret8');
    }
  });
});
