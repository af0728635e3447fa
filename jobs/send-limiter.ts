import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SendBudget } from '../src/delivery/notifier.js';
import { keys, type Keys } from '../src/store/keys.js';

/**
 * Platform send limits shared by every worker process (BullMQ's own limiter is queue-wide,
 * while Slack limits per channel and Discord per bot). Returns 0 when the send may go now,
 * else how many milliseconds to wait.
 */
export class SendLimiter {
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.keys = keys(keyPrefix);
  }

  async wait(budget: SendBudget): Promise<number> {
    const limiter = this.limiterFor(budget);
    // A person's budget lives under their hash tag (`<prefix>:{user}:rl:…`), a shared one under `<prefix>:rl:…`.
    const key = budget.user ? `${this.keys.tag(budget.user)}:rl:${budget.points}/${budget.perSeconds}:${budget.key}` : budget.key;
    try {
      await limiter.consume(key, 1);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      throw res;
    }
  }

  private limiterFor(b: SendBudget): RateLimiterRedis {
    const id = `${b.user ? 'user:' : ''}${b.points}/${b.perSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = b.user ? this.keyPrefix : `${this.keyPrefix}:rl:${b.points}/${b.perSeconds}`;
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points: b.points, duration: b.perSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
