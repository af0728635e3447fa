import type { DeliveryCheck, Notifier, OutboundMessage } from '../delivery/notifier.js';
import type { UserRef } from '../model/user.js';
import type { EmbeddedDb } from './embedded-db.js';
import type { Keys } from './keys.js';

// As the Redis inbox: a console user may stay away for weeks; older reminders are moot anyway.
const INBOX_TTL_SECONDS = 90 * 24 * 3600;
// Entry ids sort as text in the file, so they are zero-padded.
const ID_DIGITS = 12;

export interface EmbeddedInboxEntry {
  id: string;
  message: OutboundMessage;
}

/**
 * The console's inbox on the embedded file, for when there is no Redis: the same contract as
 * adapters/console/inbox.ts (a message key appears once, unread ones survive a restart). Every
 * key sits under the user's tag, so `forget` removes the inbox with the rest.
 */
export class EmbeddedInbox implements Notifier {
  readonly platform = 'console' as const;

  constructor(
    private readonly db: EmbeddedDb,
    private readonly keys: Keys,
  ) {}

  async send(message: OutboundMessage): Promise<void> {
    const u = message.user;
    this.db.atomically(() => {
      const seenKey = `${this.keys.inboxKeys(u)}:${message.key}`;
      if (this.db.get(seenKey) !== null) return;
      const seqKey = `${this.keys.inbox(u)}-seq`;
      const seq = Number(this.db.get(seqKey) ?? '0') + 1;
      this.db.set(seqKey, String(seq), INBOX_TTL_SECONDS);
      this.db.set(seenKey, '1', INBOX_TTL_SECONDS);
      this.db.set(`${this.keys.inbox(u)}:${String(seq).padStart(ID_DIGITS, '0')}`, JSON.stringify(message), INBOX_TTL_SECONDS);
    });
  }

  async check(message: OutboundMessage): Promise<DeliveryCheck> {
    return this.db.get(`${this.keys.inboxKeys(message.user)}:${message.key}`) === null ? 'notDelivered' : 'delivered';
  }

  /** What arrived since the session last showed something, oldest first. */
  async unread(user: UserRef): Promise<EmbeddedInboxEntry[]> {
    const cursor = this.db.get(this.keys.inboxCursor(user)) ?? '';
    const start = `${this.keys.inbox(user)}:`;
    const out: EmbeddedInboxEntry[] = [];
    for (const key of this.db.keysWithPrefix(start)) {
      const id = key.slice(start.length);
      if (id <= cursor) continue;
      const body = this.db.get(key);
      if (body !== null) out.push({ id, message: JSON.parse(body) as OutboundMessage });
    }
    return out;
  }

  async markRead(user: UserRef, id: string): Promise<void> {
    this.db.set(this.keys.inboxCursor(user), id, INBOX_TTL_SECONDS);
  }
}
