import type { Redis } from 'ioredis';
import type { OutboundMessage } from '../src/delivery/notifier.js';
import type { UserRef } from '../src/model/user.js';
import { confirmReplicated } from '../src/runtime/redis-connection.js';
import type { Keys } from '../src/store/keys.js';
import type { CreatedRecord } from '../src/store/store.js';

/** A reminder occurrence that went out in a message (for noting problems on its case). */
export interface OccurrenceRef {
  caseId: string;
  reminderId: string;
}

/**
 * ready: decided, not sent. sending: a send was started; if we find it in this state the
 * process died mid-send and only the platform knows whether it arrived. sent / failed: final.
 */
export type SendState = 'ready' | 'sending' | 'sent' | 'failed';

export interface RecordedMessage {
  id: string;
  body: OutboundMessage;
  state: SendState;
  occurrences: OccurrenceRef[];
  /** The earliest planned instant among its reminders, and whether they came late. */
  due: string;
  late: boolean;
  /** Recorded just now by this run (so a 'sending' state is ours, not a crashed run's). */
  fresh?: true;
}

// Longer than any retry schedule or downtime we plan for; then the keys clean themselves up.
const LEDGER_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The message and its occurrence pointers in one step (one round trip, all or nothing).
 * KEYS = message hash, then one key per occurrence. ARGV = ttl, id, body, state, occurrences,
 * due, late. Returns 1 when recorded now, 0 when an earlier run had recorded it.
 */
const RECORD_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'body', ARGV[3], 'state', ARGV[4], 'occurrences', ARGV[5], 'due', ARGV[6], 'late', ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[1])
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[2], 'EX', ARGV[1], 'NX') end
return 1
`;

type RecordCommand = (numKeys: number, ...keysAndArgs: Array<string | number>) => Promise<number>;

/**
 * A state change to a message that is still recorded. After `forget` deleted it, a run that
 * was sending must not bring it back as a hash with no body and no TTL.
 */
const SET_STATE_LUA = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'state', ARGV[1]) end return -1`;
type SetStateCommand = (numKeys: number, key: string, state: string) => Promise<number>;

/**
 * Records every message before it is sent and its state after, so that a re-run job (BullMQ
 * is at-least-once) neither sends it twice nor loses it. All keys carry the user's hash tag.
 */
export class DeliveryLedger {
  private readonly recordCommand: RecordCommand;
  private readonly setStateCommand: SetStateCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {
    redis.defineCommand('offboardRecordMessage', { lua: RECORD_LUA });
    const command = (redis as unknown as Record<string, RecordCommand | undefined>)['offboardRecordMessage'];
    if (!command) throw new Error('ioredis defineCommand did not register the ledger script');
    this.recordCommand = command.bind(redis);
    redis.defineCommand('offboardSetMessageState', { lua: SET_STATE_LUA });
    const setState = (redis as unknown as Record<string, SetStateCommand | undefined>)['offboardSetMessageState'];
    if (!setState) throw new Error('ioredis defineCommand did not register the ledger state script');
    this.setStateCommand = setState.bind(redis);
  }

  /** The message an occurrence went out (or is going out) in, if any. */
  messageOf(user: UserRef, occurrence: string): Promise<string | null> {
    return this.redis.get(this.pointerKey(user, occurrence));
  }

  /** The key `messageOf` reads, for a script that reads it with other keys. */
  pointerKey(user: UserRef, occurrence: string): string {
    return this.keys.occurrence(user, occurrence);
  }

  /**
   * A message to write with the turn that decides it (the engine's `record`): the same hash
   * and pointers as `record`, created in the turn's commit, which fails if the hash exists.
   */
  planned(
    user: UserRef,
    id: string,
    body: OutboundMessage,
    occurrences: Array<OccurrenceRef & { occurrence: string }>,
    meta: { due: string; late: boolean },
    state: 'ready' | 'sending',
  ): { message: RecordedMessage; record: CreatedRecord } {
    const message = this.fresh(id, body, occurrences, meta, state);
    const record: CreatedRecord = {
      hash: { key: this.keys.message(user, id), fields: { body: JSON.stringify(body), state, occurrences: JSON.stringify(message.occurrences), due: meta.due, late: meta.late ? '1' : '0' } },
      pointers: occurrences.map((o) => ({ key: this.keys.occurrence(user, o.occurrence), value: id })),
      ttlSeconds: LEDGER_TTL_SECONDS,
    };
    return { message, record };
  }

  /** Writes the message and points each occurrence at it, all at once; earlier pointers stay. */
  async record(
    user: UserRef,
    id: string,
    body: OutboundMessage,
    occurrences: Array<OccurrenceRef & { occurrence: string }>,
    meta: { due: string; late: boolean },
    /** 'sending' when the send follows at once: one write fewer per message. */
    state: 'ready' | 'sending' = 'ready',
  ): Promise<RecordedMessage> {
    const refs = JSON.stringify(occurrences.map(({ caseId, reminderId }) => ({ caseId, reminderId })));
    const keyList = [this.keys.message(user, id), ...occurrences.map((o) => this.keys.occurrence(user, o.occurrence))];
    const created = await this.recordCommand(keyList.length, ...keyList, LEDGER_TTL_SECONDS, id, JSON.stringify(body), state, refs, meta.due, meta.late ? '1' : '0');
    // A send follows: after a failover the promoted replica must know it was started.
    if (created === 1 && state === 'sending') await confirmReplicated(this.redis);
    // 0: an earlier run recorded this message first; its copy is the one to send.
    if (created === 0) {
      const earlier = await this.load(user, id);
      if (earlier) return earlier;
    }
    return this.fresh(id, body, occurrences, meta, state);
  }


  private fresh(id: string, body: OutboundMessage, occurrences: OccurrenceRef[], meta: { due: string; late: boolean }, state: SendState): RecordedMessage {
    return { id, body, state, occurrences: occurrences.map(({ caseId, reminderId }) => ({ caseId, reminderId })), ...meta, fresh: true };
  }

  async load(user: UserRef, id: string): Promise<RecordedMessage | null> {
    const h = await this.redis.hgetall(this.keys.message(user, id));
    if (!h['body'] || !h['state']) return null;
    return {
      id,
      body: JSON.parse(h['body']) as OutboundMessage,
      state: h['state'] as SendState,
      occurrences: JSON.parse(h['occurrences'] ?? '[]') as OccurrenceRef[],
      due: h['due'] ?? '',
      late: h['late'] === '1',
    };
  }

  async setState(user: UserRef, id: string, state: SendState): Promise<void> {
    await this.setStateCommand(1, this.keys.message(user, id), state);
    if (state === 'sending') await confirmReplicated(this.redis);
  }
}
