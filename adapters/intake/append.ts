import type { Redis } from 'ioredis';
import { confirmReplicated } from '../../src/runtime/redis-connection.js';
import { FIELD } from './entry.js';
import type { InboxKeys } from './keys.js';

/**
 * The backlog an inbox may hold. Past it, appends are refused and so not acknowledged: the
 * platform retries (Slack) or the user is told, instead of Redis filling up while no consumer
 * runs. Processed entries are deleted, so the backlog is only what is still to be done.
 */
export const MAX_BACKLOG = 100_000;

// The platforms retry for minutes at most; a day is what the engine keeps its event claims.
const SEEN_TTL_SECONDS = 24 * 3600;

export const INBOX_FULL = 'OFFBOARD_INBOX_FULL';

/**
 * In one script, so a retry of the same event cannot slip between the check and the append:
 * an event id already appended is not appended again (the caller still acknowledges it, as it
 * is safe in the stream); a full backlog is refused before anything is marked. The id also
 * joins the user's lane (keys.ts), which keeps a day at most should its entries ever vanish.
 */
const APPEND_LUA = `
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  return redis.error_reply('${INBOX_FULL} inbox backlog at its limit')
end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) == false then
  return false
end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('RPUSH', KEYS[3], id)
redis.call('EXPIRE', KEYS[3], ARGV[2])
return id
`;

const COMMAND = 'offboardInboxAppend';
type AppendCommand = (numKeys: number, ...args: string[]) => Promise<string | null>;

export interface AppendResult {
  /** The stream id; null when the event was appended before (a platform retry). */
  id: string | null;
}

/** Registers the script on the connection once; returns the append function. */
export function appender(redis: Redis, keys: InboxKeys): (user: string, eventId: string, payload: string) => Promise<AppendResult> {
  const commands = redis as unknown as Record<string, AppendCommand | undefined>;
  if (!commands[COMMAND]) redis.defineCommand(COMMAND, { lua: APPEND_LUA });
  const command = commands[COMMAND];
  if (!command) throw new Error('ioredis defineCommand did not register the inbox append script');
  const run = command.bind(redis);
  return async (user, eventId, payload) => {
    const id = await run(3, keys.stream, keys.seen(eventId), keys.lane(user), String(MAX_BACKLOG), String(SEEN_TTL_SECONDS), FIELD.user, user, FIELD.eventId, eventId, FIELD.payload, payload);
    // The platform is told "received" after this: with Sentinel, a replica holds it first.
    if (id !== null) await confirmReplicated(redis);
    return { id };
  };
}
