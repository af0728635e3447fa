/** One fake Discord, one throwaway Redis and the real bot between them, for a test file. */
import { Redis } from 'ioredis';
import { RedisFormMemory } from '../../adapters/discord/form-memory.js';
import { startDiscord, type DiscordBot } from '../../adapters/discord/start.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { recordOnly } from '../../src/engine/effects.js';
import { Engine } from '../../src/engine/engine.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { FakeDiscord } from './fake-discord.js';
import { randomPrefix, startRedis, type TestRedis } from './redis-server.js';
import '../../ops/packet-fonts.js';

export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GfAkE0.fake-token-never-logged-0123456789';
export const APPLICATION_ID = '100000000000000001';

export interface DiscordWorld {
  fake: FakeDiscord;
  bot: DiscordBot;
  store: RedisStore;
  /** The store's key prefix and connection (to look at the keys a test left behind). */
  prefix: string;
  connection: Redis;
  engine: Engine;
  config: DiscordConfig;
  logs: string[];
  /** A new bot process in place of the old one: same Redis, same Discord, nothing in memory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(now: Date, opts: { redis?: TestRedis; heartbeatIntervalMs?: number } = {}): Promise<DiscordWorld & { redis: TestRedis }> {
  const { redis } = opts;
  const server = redis ?? (await startRedis());
  const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APPLICATION_ID, ...(opts.heartbeatIntervalMs ? { heartbeatIntervalMs: opts.heartbeatIntervalMs } : {}) });
  const connection = new Redis(server.url);
  const prefix = randomPrefix();
  const store = new RedisStore(connection, prefix);
  const engine = new Engine({ store, effects: recordOnly, clock: () => now });
  const config: DiscordConfig = { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl };
  const logs: string[] = [];
  const line = (level: string) => (fields: Record<string, unknown>, message: string) => void logs.push(`${level} ${message} ${JSON.stringify(fields)}`);
  // A new memory object per start: all a restarted process shares with the old one is Redis,
  // and every event is kept in the durable inbox first, as in production.
  const start = () => startDiscord({ engine, config, forms: new RedisFormMemory(connection, prefix), redis: connection, keyPrefix: prefix, log: { info: line('info'), warn: line('warn'), error: line('error') } });
  const world: DiscordWorld & { redis: TestRedis } = {
    fake,
    bot: await start(),
    store,
    prefix,
    connection,
    engine,
    config,
    logs,
    redis: server,
    async restart() {
      await this.bot.stop();
      this.bot = await start();
    },
    async stop() {
      await this.bot.stop();
      await fake.stop();
      await connection.quit().catch(() => undefined);
      if (!redis) await server.stop();
    },
  };
  return world;
}
