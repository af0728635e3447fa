import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Case } from '../src/model/case.js';
import type { UserRef } from '../src/model/user.js';
import type { Keys } from '../src/store/keys.js';
import { decodeCase, decodeTurn, turnKeys } from '../src/store/redis-store.js';
import type { TurnSnapshot } from '../src/store/store.js';
import type { SendState } from './delivery-ledger.js';

/**
 * Takes the lock and, only when it was free, reads what the delivery starts from (the turn's
 * keys: user, outbox, cases), so the usual delivery starts with one round trip, not two.
 * KEYS = lock, then the turn's keys. ARGV = token, lease ms. Returns nil when the lock is held.
 */
const ACQUIRE_LUA = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
return redis.call('MGET', unpack(KEYS, 2))
`;
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/**
 * The end of a delivery in one round trip: the message's final state (only while it is still
 * recorded: after `forget` a late state must not bring back a hash with no body and no TTL, as
 * in the ledger's own state script), the release, whether the user is still there, and the
 * case as it is now: 0 when gone, 1 when still at the version the delivery knows (the usual
 * case: no 3 kB sent back to be parsed again), else the stored value.
 * KEYS = lock, user, case[, message]. ARGV = token, known case version ('' = none)[, state].
 */
const END_LUA = `
if KEYS[4] and redis.call('EXISTS', KEYS[4]) == 1 then redis.call('HSET', KEYS[4], 'state', ARGV[3]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local user = redis.call('EXISTS', KEYS[2])
local head = redis.call('GETRANGE', KEYS[3], 0, 23)
if head == '' then return {user, 0} end
local sep = string.find(head, '|', 1, true)
if ARGV[2] ~= '' and sep and string.sub(head, 1, sep - 1) == ARGV[2] then return {user, 1} end
return {user, redis.call('GET', KEYS[3])}
`;

type AcquireCommand = (numKeys: number, ...keysAndArgs: Array<string | number>) => Promise<Array<string | null> | null>;
type ReleaseCommand = (key: string, token: string) => Promise<number>;
type ExtendCommand = (key: string, token: string, leaseMs: number) => Promise<number>;
type EndCommand = (numKeys: number, ...keysAndArgs: string[]) => Promise<[number, number | string]>;

/** What the delivery reads together with the lock. */
export interface LockedRead {
  caseIds: readonly string[];
  outbox: string;
  /** A key whose value is read too (the delivery ledger's pointer for the occurrence). */
  also: string;
}

/** How a delivery ends: the case to read back, and a message state to write on the way out. */
export interface LockEnd {
  /** The case to read back; when it is still at `known`'s version, `known` is the answer. */
  caseId: string;
  known?: Case;
  message?: { id: string; state: SendState };
}

export interface AfterLock {
  /** The case as it is at the release (a date may have moved meanwhile); null when gone. */
  case: Case | null;
  /** False once the user was forgotten (meanwhile, or before this run). */
  userThere: boolean;
}

export interface HeldLock {
  /** Read in the same script that took the lock. */
  snapshot: TurnSnapshot;
  /** The value of `LockedRead.also`. */
  also: string | null;
  /** Lets go; with `end`, in the same round trip as the final state and the read-back. */
  release(): Promise<void>;
  release(end: LockEnd): Promise<AfterLock>;
}

function bind<T>(redis: Redis, name: string, lua: string, numberOfKeys?: number): T {
  // defineCommand sends EVALSHA (the script is not re-sent with every call).
  redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, T | undefined>)[name];
  if (!command) throw new Error(`ioredis defineCommand did not register ${name}`);
  return (command as unknown as (...a: unknown[]) => unknown).bind(redis) as T;
}

/**
 * One delivery per user at a time, across every worker process: collecting late reminders
 * into one message, and deciding whether a half-finished send happened, both need it. The
 * lease outlives any single send (notifier calls time out sooner), and frees itself if the
 * holder dies.
 */
export class UserLocks {
  private readonly acquireCommand: AcquireCommand;
  private readonly releaseCommand: ReleaseCommand;
  private readonly extendCommand: ExtendCommand;
  private readonly endCommand: EndCommand;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly leaseMs = 30_000,
  ) {
    this.acquireCommand = bind(redis, 'offboardLockAndRead', ACQUIRE_LUA);
    this.releaseCommand = bind(redis, 'offboardUnlock', RELEASE_LUA, 1);
    this.extendCommand = bind(redis, 'offboardExtendLock', EXTEND_LUA, 1);
    this.endCommand = bind(redis, 'offboardEndDelivery', END_LUA);
  }

  /** Locks held now (token → key), renewed together by one timer while any is held. */
  private readonly held = new Map<string, string>();
  private renewer: NodeJS.Timeout | undefined;

  /**
   * Renewed while held, as BullMQ renews a job's lock: a slow batch or send must not let a
   * second worker in; a dead holder stops renewing and the lease lapses. One timer for all the
   * locks in hand, not one per delivery: most deliveries end long before the first renewal.
   */
  private hold(token: string, key: string): void {
    this.held.set(token, key);
    if (this.renewer) return;
    this.renewer = setInterval(() => {
      for (const [t, k] of this.held) this.extendCommand(k, t, this.leaseMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewer.unref();
  }

  private letGo(token: string): void {
    this.held.delete(token);
    if (this.held.size === 0 && this.renewer) {
      clearInterval(this.renewer);
      this.renewer = undefined;
    }
  }

  /** The lock with what was read under it, or null when another worker holds this user. */
  async acquire(user: UserRef, read: LockedRead): Promise<HeldLock | null> {
    const key = this.keys.deliveryLock(user);
    const token = randomUUID();
    const readKeys = [...turnKeys(this.keys, user, read.caseIds, read.outbox), read.also];
    const raws = await this.acquireCommand(1 + readKeys.length, key, ...readKeys, token, this.leaseMs);
    if (raws === null) return null;
    this.hold(token, key);
    let snapshot: TurnSnapshot;
    try {
      snapshot = decodeTurn(this.keys, user, read.caseIds, raws);
    } catch (err) {
      this.letGo(token);
      await this.releaseCommand(key, token);
      throw err;
    }
    const release = async (end?: LockEnd): Promise<AfterLock | undefined> => {
      this.letGo(token);
      if (!end) {
        await this.releaseCommand(key, token);
        return undefined;
      }
      const caseKey = this.keys.case(user, end.caseId);
      const endKeys = [key, this.keys.user(user), caseKey, ...(end.message ? [this.keys.message(user, end.message.id)] : [])];
      const known = end.known?.id === end.caseId ? end.known : undefined;
      const [userThere, c] = await this.endCommand(endKeys.length, ...endKeys, token, known ? String(known.version) : '', ...(end.message ? [end.message.state] : []));
      const now = c === 0 ? null : c === 1 ? (known ?? null) : decodeCase(String(c), caseKey, end.caseId);
      return { case: now, userThere: userThere === 1 };
    };
    return { snapshot, also: raws[readKeys.length - 1] ?? null, release: release as HeldLock['release'] };
  }
}
