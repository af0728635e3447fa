import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { UserRef } from '../../src/model/user.js';
import type { Keys } from '../../src/store/keys.js';

// Same horizon as the console's inbox: a console left dead for longer has nothing to resume.
const MARK_TTL_SECONDS = 90 * 24 * 3600;

/** Deletes the mark only if it is still this session's (another console may have taken over). */
const CLEAR_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * "A console is open for this user": set at start, removed on a clean end. Finding it at start
 * means the last console died (killed, crashed, terminal closed hard) with maybe a question
 * open, which is then asked again at once. The key carries the user's hash tag, so `forget`'s
 * scan of the user's keys removes it too.
 */
export class CrashMark {
  private readonly id = randomUUID();
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: Keys,
    user: UserRef,
  ) {
    this.key = `${keys.prefix}:${keys.tag(user)}:console-open`;
  }

  /** Marks this session open; true when the previous one never said goodbye. */
  async open(): Promise<boolean> {
    const before = await this.redis.set(this.key, this.id, 'EX', MARK_TTL_SECONDS, 'GET');
    return before !== null;
  }

  async close(): Promise<void> {
    await this.redis.eval(CLEAR_LUA, 1, this.key, this.id);
  }
}
