import type { Redis } from 'ioredis';
import type { EffectSink } from '../../src/engine/effects.js';
import { userKey, type UserRef } from '../../src/model/user.js';
import { FIELD, fieldOf } from './entry.js';
import { INBOX_GROUP, inboxKeys, type InboxPlatform } from './keys.js';

const PAGE = 500;

const isInboxPlatform = (p: UserRef['platform']): p is InboxPlatform => p === 'slack' || p === 'discord';

/**
 * `forget` leaves no inbox entry: every entry of this user still in the platform's stream
 * (waiting, or held by a process) is acknowledged and deleted. The stream is shared by all
 * users, so it is scanned (it holds only what is not yet done: small). A turn already read
 * into a process still runs, as any event after the forget would: the user is then new.
 */
export async function forgetInboxEntries(redis: Redis, keyPrefix: string, user: UserRef): Promise<number> {
  if (!isInboxPlatform(user.platform)) return 0;
  const keys = inboxKeys(keyPrefix, user.platform);
  const { stream } = keys;
  const who = userKey(user);
  await redis.del(keys.lane(who));
  let removed = 0;
  let from = '-';
  for (;;) {
    const page = await redis.xrange(stream, from, '+', 'COUNT', PAGE);
    const mine = page.filter(([, fields]) => fieldOf(fields, FIELD.user) === who).map(([id]) => id);
    if (mine.length) {
      await redis.multi().xack(stream, INBOX_GROUP, ...mine).xdel(stream, ...mine).exec();
      removed += mine.length;
    }
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return removed;
    from = `(${last[0]}`;
  }
}

/** Wraps the effect sink: the `forgetUser` effect also clears the user's inbox entries. */
export function forgettingInboxEntries(sink: EffectSink, redis: Redis, keyPrefix: string): EffectSink {
  return {
    async apply(user, effects, cases) {
      await sink.apply(user, effects, cases);
      if (effects.some((e) => e.kind === 'forgetUser')) await forgetInboxEntries(redis, keyPrefix, user);
    },
  };
}
