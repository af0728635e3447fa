import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { UserRef } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * One delivery per user at a time, across every worker process: collecting late reminders
 * into one message, and deciding whether a half-finished send happened, both need it. The
 * lease outlives any single send (notifier calls time out sooner), and frees itself if the
 * holder dies.
 */
type ReleaseCommand = (key: string, token: string) => Promise<number>;
type ExtendCommand = (key: string, token: string, leaseMs: number) => Promise<number>;

export class UserLocks {
  private readonly releaseCommand: ReleaseCommand;
  private readonly extendCommand: ExtendCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly leaseMs = 30_000,
  ) {
    // defineCommand sends EVALSHA (the script is not re-sent with every release).
    redis.defineCommand('offboardUnlock', { numberOfKeys: 1, lua: RELEASE_LUA });
    const command = (redis as unknown as Record<string, ReleaseCommand | undefined>)['offboardUnlock'];
    if (!command) throw new Error('ioredis defineCommand did not register the unlock script');
    this.releaseCommand = command.bind(redis);
    redis.defineCommand('offboardExtendLock', { numberOfKeys: 1, lua: EXTEND_LUA });
    const extend = (redis as unknown as Record<string, ExtendCommand | undefined>)['offboardExtendLock'];
    if (!extend) throw new Error('ioredis defineCommand did not register the extend script');
    this.extendCommand = extend.bind(redis);
  }

  /** A release function, or null when another worker holds this user. */
  async acquire(user: UserRef): Promise<(() => Promise<void>) | null> {
    const key = this.keys.deliveryLock(user);
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.leaseMs, 'NX');
    if (ok !== 'OK') return null;
    // Renewed while held, as BullMQ renews a job's lock: a slow batch or send must not let a
    // second worker in; a dead holder stops renewing and the lease lapses.
    const renew = setInterval(() => {
      this.extendCommand(key, token, this.leaseMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    renew.unref();
    return async () => {
      clearInterval(renew);
      await this.releaseCommand(key, token);
    };
  }
}
