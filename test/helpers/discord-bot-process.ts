import { Redis } from 'ioredis';
import { RedisFormMemory } from '../../adapters/discord/form-memory.js';
import { startDiscord } from '../../adapters/discord/start.js';
import { openRuntime } from '../../jobs/runtime.js';
import { jsonLines } from '../../src/log.js';

/**
 * The Discord bot in its own OS process, as `npm run serve` runs it (real discord.js, the
 * runtime's engine and store, the durable inbox), so a test can SIGKILL it and start another.
 * Env: REDIS_URL, PREFIX, API_URL, TOKEN, APPLICATION_ID, CLAIM_IDLE_MS. Prints "ready" once
 * connected; its log goes to stderr, one JSON line each.
 */
const env = process.env;
const redisUrl = env['REDIS_URL'] ?? '';
const prefix = env['PREFIX'] ?? 'offboard';
const log = jsonLines((line) => void process.stderr.write(line), { component: 'discord-bot' });
const rt = openRuntime({ redisUrl, keyPrefix: prefix }, log);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
redis.on('error', () => undefined);
const bot = await startDiscord({
  engine: rt.engine,
  forms: new RedisFormMemory(redis, prefix),
  redis,
  keyPrefix: prefix,
  log,
  claimIdleMs: Number(env['CLAIM_IDLE_MS'] ?? 15_000),
  config: { token: env['TOKEN'] ?? '', applicationId: env['APPLICATION_ID'] ?? '', apiUrl: env['API_URL'] ?? '' },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void bot.stop().then(async () => {
    await rt.close();
    await redis.quit();
    process.exit(0);
  });
});
