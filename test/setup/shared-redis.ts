/**
 * vitest globalSetup: one throwaway redis-server per vitest worker, handed to the test files
 * through SHARED_REDIS_ENV (workers inherit the environment). A file that only needs a Redis
 * borrows its worker's (startRedis()); a file that stops, restarts or reconfigures Redis still
 * starts its own (startRedis({ allowExternal: false }) or { aof: true }).
 */
import { SHARED_REDIS_ENV, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { TEST_WORKERS } from './workers.js';

export default async function sharedRedis(): Promise<() => Promise<void>> {
  // TEST_REDIS_URL names a server for every file already.
  if (process.env['TEST_REDIS_URL']) return async () => {};
  const servers: TestRedis[] = await Promise.all(Array.from({ length: TEST_WORKERS }, () => startRedis({ allowExternal: false })));
  process.env[SHARED_REDIS_ENV] = servers.map((s) => s.url).join(',');
  return async () => {
    delete process.env[SHARED_REDIS_ENV];
    await Promise.all(servers.map((s) => s.stop()));
  };
}
