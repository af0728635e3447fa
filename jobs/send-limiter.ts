import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SendBudget } from '../src/delivery/notifier.js';

/**
 * Platform send limits shared by every worker process (BullMQ's own limiter is queue-wide,
 * while Slack limits per channel and Discord per bot). Returns 0 when the send may go now,
 * else how many milliseconds to wait.
 */
export class SendLimiter {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async wait(budget: SendBudget): Promise<number> {
    const limiter = this.limiterFor(budget);
    try {
      await limiter.consume(budget.key, 1);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      throw res;
    }
  }

  private limiterFor(b: SendBudget): RateLimiterRedis {
    const id = `${b.points}/${b.perSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.keyPrefix}:rl:${id}`, points: b.points, duration: b.perSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
