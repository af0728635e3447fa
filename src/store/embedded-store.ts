import { OffboardError } from '../errors.js';
import type { Case } from '../model/case.js';
import { userKey, type UserRef, type UserState } from '../model/user.js';
import type { EmbeddedDb } from './embedded-db.js';
import { DEFAULT_KEY_PREFIX, keys, type Keys } from './keys.js';
import { checkNext, decodeCase, decodeUser, encode } from './redis-store.js';
import type { Commit, Store, TurnSnapshot } from './store.js';

/** The stored version of `raw`, or 'corrupt' when the value has no version header. */
function versionOf(raw: string): string | 'corrupt' {
  const sep = raw.indexOf('|');
  const header = sep > 0 ? raw.slice(0, sep) : '';
  return /^\d+$/.test(header) ? header : 'corrupt';
}

/**
 * The Store on an embedded SQLite file, for one process (the console without Redis). Same keys
 * and value encoding as RedisStore, so the two behave alike down to corrupt-record handling;
 * the conditional commit is one SQLite transaction instead of a Lua script.
 */
export class EmbeddedStore implements Store {
  private readonly keys: Keys;

  constructor(
    private readonly db: EmbeddedDb,
    prefix: string = DEFAULT_KEY_PREFIX,
  ) {
    this.keys = keys(prefix);
  }

  async loadUser(user: UserRef): Promise<UserState | null> {
    const key = this.keys.user(user);
    const raw = this.db.get(key);
    return raw === null ? null : decodeUser(raw, key);
  }

  async loadCase(user: UserRef, caseId: string): Promise<Case | null> {
    const key = this.keys.case(user, caseId);
    const raw = this.db.get(key);
    return raw === null ? null : decodeCase(raw, key, caseId);
  }

  async loadCases(user: UserRef, caseIds: readonly string[]): Promise<Case[]> {
    const found: Case[] = [];
    for (const id of caseIds) {
      const c = await this.loadCase(user, id);
      if (c) found.push(c);
    }
    return found;
  }

  async loadTurn(user: UserRef, caseIds: readonly string[], outboxId?: string): Promise<TurnSnapshot> {
    // One read transaction, like Redis's single MGET: no commit can land between the parts.
    return this.db.atomically(() => {
      const userKeyName = this.keys.user(user);
      const rawUser = this.db.get(userKeyName);
      const cases: Case[] = [];
      for (const id of caseIds) {
        const key = this.keys.case(user, id);
        const raw = this.db.get(key);
        if (raw !== null) cases.push(decodeCase(raw, key, id));
      }
      return {
        user: rawUser === null ? null : decodeUser(rawUser, userKeyName),
        cases,
        outbox: outboxId === undefined ? null : this.db.get(this.keys.outbox(user, outboxId)),
      };
    });
  }

  async loadOutbox(user: UserRef, id: string): Promise<string | null> {
    return this.db.get(this.keys.outbox(user, id));
  }

  async commit(commit: Commit): Promise<boolean> {
    const owner = commit.user.user;
    // Only the reminder worker creates records with a turn, and it needs Redis (BullMQ).
    if (commit.created) throw new Error('this store keeps no delivery records');
    const unchanged = commit.expectedUserVersion !== null && commit.user.version === commit.expectedUserVersion;
    if (!unchanged) checkNext('user', commit.user.version, commit.expectedUserVersion);
    // Each entry: key, the version it must have (null: must not exist), what to write (null: check only).
    const writes: { key: string; expected: number | null; value: string | null; ttl?: number }[] = [
      { key: this.keys.user(owner), expected: commit.expectedUserVersion, value: unchanged ? null : encode(commit.user) },
    ];
    const seen = new Set<string>();
    for (const write of commit.cases) {
      const c = write.case;
      if (userKey(c.owner) !== userKey(owner)) throw new Error(`case ${c.id} belongs to another user`);
      if (seen.has(c.id)) throw new Error(`case ${c.id} appears twice in one commit`);
      seen.add(c.id);
      checkNext(`case ${c.id}`, c.version, write.expectedVersion);
      writes.push({ key: this.keys.case(owner, c.id), expected: write.expectedVersion, value: encode(c) });
    }
    for (const read of commit.checked ?? []) {
      if (seen.has(read.caseId)) throw new Error(`case ${read.caseId} is both written and checked`);
      seen.add(read.caseId);
      writes.push({ key: this.keys.case(owner, read.caseId), expected: read.version, value: null });
    }
    if (commit.outbox) {
      const { id, value, ttlSeconds } = commit.outbox;
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`outbox ttl must be whole seconds >= 1, got ${ttlSeconds}`);
      writes.push({ key: this.keys.outbox(owner, id), expected: null, value, ttl: ttlSeconds });
    }
    const result = this.db.atomically((): 1 | 0 | -1 => {
      for (const w of writes) {
        const cur = this.db.get(w.key);
        if (w.expected === null) {
          if (cur !== null) return 0;
          continue;
        }
        if (cur === null) return 0;
        const version = versionOf(cur);
        if (version === 'corrupt') return -1;
        if (version !== String(w.expected)) return 0;
      }
      for (const w of writes) if (w.value !== null) this.db.set(w.key, w.value, w.ttl);
      return 1;
    });
    if (result === -1) throw new OffboardError('corrupt_record', 'stored value has no version header');
    return result === 1;
  }

  async claimEvent(eventId: string, ttlSeconds: number): Promise<boolean> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new RangeError(`claimEvent ttl must be a whole number of seconds >= 1, got ${ttlSeconds}`);
    }
    const key = this.keys.event(eventId);
    return this.db.atomically(() => {
      if (this.db.get(key) !== null) return false;
      this.db.set(key, '1', ttlSeconds);
      return true;
    });
  }

  async forgetUser(user: UserRef): Promise<void> {
    // Every key of the user shares one prefix (its tag), listed or not: one transaction drops them.
    this.db.deletePrefix(this.keys.user(user).slice(0, -'user'.length));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
