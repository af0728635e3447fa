import type { Redis } from 'ioredis';
import { compareIds, readEntry, type InboxEntry } from './entry.js';
import { INBOX_GROUP, type InboxKeys } from './keys.js';

/**
 * The periodic chores of a consumer: keep its own entries from looking abandoned, take over
 * the entries of a process that died, trim what is done, forget long-gone consumers.
 */

const CLAIM_BATCH = 100;
// A consumer with nothing pending, silent this long, was a process that is gone.
const GONE_CONSUMER_MS = 24 * 3600 * 1000;

/**
 * Resets the idle time of the entries this process holds (queued or running), so a long turn
 * or a long queue is not mistaken for a dead process's leftovers. JUSTID: no delivery counted.
 */
export async function heartbeat(redis: Redis, keys: InboxKeys, consumer: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CLAIM_BATCH) {
    await redis.xclaim(keys.stream, INBOX_GROUP, consumer, 0, ...ids.slice(i, i + CLAIM_BATCH), 'JUSTID');
  }
}

type AutoClaimReply = [string, Array<[string, string[] | null]>, string[]?];

/** Claims entries idle longer than `minIdleMs` (their process stopped heartbeating), up to `room`. */
export async function claimIdle<T>(redis: Redis, keys: InboxKeys, consumer: string, minIdleMs: number, room: number, parse: (json: string) => T | null): Promise<InboxEntry<T>[]> {
  const found: InboxEntry<T>[] = [];
  let cursor = '0-0';
  while (room - found.length > 0) {
    const count = Math.min(CLAIM_BATCH, room - found.length);
    const [next, entries, deleted = []] = (await redis.xautoclaim(keys.stream, INBOX_GROUP, consumer, minIdleMs, cursor, 'COUNT', count)) as AutoClaimReply;
    for (const [id, fields] of entries) {
      const entry = readEntry(id, fields, parse);
      if (entry) found.push(entry);
      // Unreadable (a version this one does not know): acknowledged, not retried forever.
      else await redis.multi().xack(keys.stream, INBOX_GROUP, id).xdel(keys.stream, id).exec();
    }
    // Deleted meanwhile (forget): XAUTOCLAIM has already dropped them from the pending list.
    void deleted;
    cursor = next;
    if (cursor === '0-0') break;
  }
  return found;
}

function flatRecord(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}

function nextId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${(BigInt(seq) + 1n).toString()}`;
}

/**
 * Done entries are deleted one by one (XDEL); this trims anything older than the oldest entry
 * still owed a turn, should a delete ever have been missed. Never further: MINID is the older
 * of the oldest pending entry and the first entry not yet delivered to the group.
 */
export async function trimDone(redis: Redis, keys: InboxKeys): Promise<void> {
  const groups = (await redis.xinfo('GROUPS', keys.stream)) as unknown[];
  const ours = groups.map(flatRecord).find((g) => g['name'] === INBOX_GROUP);
  const lastDelivered = ours?.['last-delivered-id'];
  if (typeof lastDelivered !== 'string') return;
  let keep = nextId(lastDelivered);
  const summary = (await redis.xpending(keys.stream, INBOX_GROUP)) as [number, string | null, string | null, unknown];
  const oldestPending = summary[1];
  if (summary[0] > 0 && oldestPending && compareIds(oldestPending, keep) < 0) keep = oldestPending;
  await redis.xtrim(keys.stream, 'MINID', keep);
}

/** Consumers of processes long gone (a new name per process start) are removed from the group. */
export async function pruneConsumers(redis: Redis, keys: InboxKeys): Promise<void> {
  const consumers = ((await redis.xinfo('CONSUMERS', keys.stream, INBOX_GROUP)) as unknown[]).map(flatRecord);
  for (const c of consumers) {
    if (Number(c['pending']) === 0 && Number(c['idle']) > GONE_CONSUMER_MS && typeof c['name'] === 'string') {
      await redis.xgroup('DELCONSUMER', keys.stream, INBOX_GROUP, c['name']);
    }
  }
}
