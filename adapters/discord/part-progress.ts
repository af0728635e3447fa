import type { Redis } from 'ioredis';
import type { UserRef } from '../../src/model/user.js';
import { discordKeys } from './keys.js';

/**
 * How many parts of a message are already posted. A reminder can be several Discord messages;
 * when a later part fails and is retried after Discord has forgotten the nonces (minutes
 * later), the parts already posted must not be posted again.
 */
export interface PartProgress {
  done(user: UserRef, key: string): Promise<number>;
  mark(user: UserRef, key: string, parts: number): Promise<void>;
}

// As long as the worker's delivery ledger keeps a message.
const TTL_SECONDS = 30 * 24 * 3600;

/** Under the user's hash tag, so `forget` takes it with the rest of the user's keys. */
export function redisPartProgress(redis: Redis, keyPrefix: string): PartProgress {
  const keys = discordKeys(keyPrefix);
  return {
    async done(user, key) {
      return Number((await redis.get(keys.parts(user, key))) ?? 0);
    },
    async mark(user, key, parts) {
      await redis.set(keys.parts(user, key), String(parts), 'EX', TTL_SECONDS);
    },
  };
}
