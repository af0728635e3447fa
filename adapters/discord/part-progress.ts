import type { Redis } from 'ioredis';

/**
 * How many parts of a message are already posted. A reminder can be several Discord messages;
 * when a later part fails and is retried after Discord has forgotten the nonces (minutes
 * later), the parts already posted must not be posted again.
 */
export interface PartProgress {
  done(key: string): Promise<number>;
  mark(key: string, parts: number): Promise<void>;
}

// As long as the worker's delivery ledger keeps a message.
const TTL_SECONDS = 30 * 24 * 3600;

export function redisPartProgress(redis: Redis, keyPrefix: string): PartProgress {
  const keyOf = (key: string) => `${keyPrefix}:discord:parts:${key}`;
  return {
    async done(key) {
      return Number((await redis.get(keyOf(key))) ?? 0);
    },
    async mark(key, parts) {
      await redis.set(keyOf(key), String(parts), 'EX', TTL_SECONDS);
    },
  };
}
