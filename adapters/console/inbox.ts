import type { Redis } from 'ioredis';
import type { DeliveryCheck, Notifier, OutboundMessage } from '../../src/delivery/notifier.js';
import type { UserRef } from '../../src/model/user.js';
import type { Keys } from '../../src/store/keys.js';

/**
 * Appends the message unless its key is already in the inbox: the check and the append are
 * one step, so a re-sent reminder can never appear twice.
 * KEYS = stream, key set. ARGV = message key, body, TTL seconds.
 */
const APPEND_LUA = `
if redis.call('HSETNX', KEYS[2], ARGV[1], '1') == 0 then return 0 end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', '500', '*', 'body', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

// A console user may not open the terminal for weeks; after that, old reminders are moot anyway.
const INBOX_TTL_SECONDS = 90 * 24 * 3600;

export interface InboxEntry {
  id: string;
  message: OutboundMessage;
}

/**
 * The console's reminder delivery. A terminal is not always open, so reminders wait in a Redis
 * stream per user: a running session shows them as they come, and the next session shows
 * whatever arrived while none was open.
 */
export class ConsoleInbox implements Notifier {
  readonly platform = 'console' as const;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async send(message: OutboundMessage): Promise<void> {
    const u = message.user;
    await this.redis.eval(APPEND_LUA, 2, this.keys.inbox(u), this.keys.inboxKeys(u), message.key, JSON.stringify(message), INBOX_TTL_SECONDS);
  }

  async check(message: OutboundMessage): Promise<DeliveryCheck> {
    const seen = await this.redis.hexists(this.keys.inboxKeys(message.user), message.key);
    return seen ? 'delivered' : 'notDelivered';
  }

  /** What arrived since the session last showed something, oldest first. */
  async unread(user: UserRef): Promise<InboxEntry[]> {
    const cursor = (await this.redis.get(this.keys.inboxCursor(user))) ?? '0';
    const rows = await this.redis.xrange(this.keys.inbox(user), `(${cursor}`, '+', 'COUNT', 50);
    const out: InboxEntry[] = [];
    for (const [id, fields] of rows) {
      const at = fields.indexOf('body');
      const body = at >= 0 ? fields[at + 1] : undefined;
      if (body) out.push({ id, message: JSON.parse(body) as OutboundMessage });
    }
    return out;
  }

  async markRead(user: UserRef, id: string): Promise<void> {
    await this.redis.set(this.keys.inboxCursor(user), id, 'EX', INBOX_TTL_SECONDS);
  }
}
