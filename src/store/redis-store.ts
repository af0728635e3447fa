import type { Redis } from 'ioredis';
import { OffboardError } from '../errors.js';
import type { Case } from '../model/case.js';
import { userKey, type UserRef, type UserState } from '../model/user.js';
import { confirmReplicated, scanEach } from '../runtime/redis-connection.js';
import { DEFAULT_KEY_PREFIX, keys, type Keys } from './keys.js';
import type { Commit, Store, TurnSnapshot } from './store.js';

/**
 * KEYS = user key, then case keys, then optionally the outbox key (n keys in all), then
 * optionally a hash to create and the keys pointing at it. ARGV = n, then (expected, payload)
 * per versioned key; expected '' = key must not exist; payload '' = only check the version
 * (the user record a turn read but did not change); then the outbox's TTL in seconds ('' = no
 * outbox); then the created record's TTL ('' = none), its number of fields, the fields and
 * values, and one value per pointer key.
 * The version sits before the first '|' so Lua compares it without cjson, reading only the
 * first bytes of each value (GETRANGE: a stored value is never empty, so '' means missing).
 * Returns 1 written, 0 a version moved on (or the hash to create exists), -1 a stored value
 * without a version header.
 */
const COMMIT_LUA = `
local n = tonumber(ARGV[1])
local ttl = ARGV[2 * n + 2]
local createdTtl = ARGV[2 * n + 3]
for i = 1, n do
  local want = ARGV[2 * i]
  local cur = redis.call('GETRANGE', KEYS[i], 0, 23)
  if want == '' then
    if cur ~= '' then return 0 end
  else
    if cur == '' then return 0 end
    local sep = string.find(cur, '|', 1, true)
    if not sep then return -1 end
    if string.sub(cur, 1, sep - 1) ~= want then return 0 end
  end
end
if createdTtl ~= '' and redis.call('EXISTS', KEYS[n + 1]) == 1 then return 0 end
for i = 1, n do
  if ARGV[2 * i + 1] ~= '' then
    if i == n and ttl ~= '' then
      redis.call('SET', KEYS[i], ARGV[2 * i + 1], 'EX', ttl)
    else
      redis.call('SET', KEYS[i], ARGV[2 * i + 1])
    end
  end
end
if createdTtl ~= '' then
  local base = 2 * n + 4
  local m = tonumber(ARGV[base])
  redis.call('HSET', KEYS[n + 1], unpack(ARGV, base + 1, base + 2 * m))
  redis.call('EXPIRE', KEYS[n + 1], createdTtl)
  local p = base + 2 * m - n - 1
  for k = n + 2, #KEYS do redis.call('SET', KEYS[k], ARGV[p + k], 'EX', createdTtl, 'NX') end
end
return 1
`;

const COMMIT_COMMAND = 'offboardCommit';
const SCAN_COUNT = 200;

type CommitCommand = (numKeys: number, ...keysAndArgs: string[]) => Promise<number>;

export interface Versioned {
  schema: number;
  version: number;
}

export function encode(value: Versioned): string {
  return `${value.version}|${JSON.stringify(value)}`;
}

/** Parses `${version}|${json}`; any surprise is corrupt_record, never a raw SyntaxError. */
function decode(raw: string, key: string): Record<string, unknown> {
  const sep = raw.indexOf('|');
  const header = sep > 0 ? raw.slice(0, sep) : '';
  if (!/^\d+$/.test(header)) throw new OffboardError('corrupt_record', `${key}: no version header`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.slice(sep + 1));
  } catch (err) {
    throw new OffboardError('corrupt_record', `${key}: bad JSON`, err);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OffboardError('corrupt_record', `${key}: not an object`);
  }
  const record = parsed as Record<string, unknown>;
  if (record.schema !== 1) {
    throw new OffboardError('corrupt_record', `${key}: unknown schema ${String(record.schema)}`);
  }
  // The header is what commit() checks; if it disagrees with the body, neither can be trusted.
  if (record.version !== Number(header)) {
    throw new OffboardError('corrupt_record', `${key}: header version ${header} != body version`);
  }
  return record;
}

export function decodeUser(raw: string, key: string): UserState {
  const record = decode(raw, key);
  if (typeof record.user !== 'object' || !Array.isArray(record.openCases) || !Array.isArray(record.history)) {
    throw new OffboardError('corrupt_record', `${key}: not a user record`);
  }
  return record as unknown as UserState;
}

export function decodeCase(raw: string, key: string, caseId: string): Case {
  const record = decode(raw, key);
  if (record.id !== caseId || typeof record.owner !== 'object') {
    throw new OffboardError('corrupt_record', `${key}: not case ${caseId}`);
  }
  return record as unknown as Case;
}

/** The keys `loadTurn` reads, in the order `decodeTurn` expects their values. */
export function turnKeys(k: Keys, user: UserRef, caseIds: readonly string[], outboxId: string): string[] {
  return [k.user(user), k.outbox(user, outboxId), ...caseIds.map((id) => k.case(user, id))];
}

/** A snapshot from the values of `turnKeys` (read by MGET, or by a script that also took a lock). */
export function decodeTurn(k: Keys, user: UserRef, caseIds: readonly string[], raws: ReadonlyArray<string | null | undefined>): TurnSnapshot {
  const cases: Case[] = [];
  caseIds.forEach((id, i) => {
    const raw = raws[i + 2];
    if (raw !== null && raw !== undefined) cases.push(decodeCase(raw, k.case(user, id), id));
  });
  const rawUser = raws[0];
  return { user: rawUser ? decodeUser(rawUser, k.user(user)) : null, cases, outbox: raws[1] ?? null };
}

/** Connection trouble becomes redis_unavailable; Redis's own replies are judged case by case. */
function translate(err: unknown): unknown {
  if (err instanceof OffboardError) return err;
  if (err instanceof Error && err.name === 'ReplyError') {
    if (/WRONGTYPE/.test(err.message)) return new OffboardError('corrupt_record', 'key of the wrong type', err);
    return err;
  }
  return new OffboardError('redis_unavailable', err instanceof Error ? err.message : undefined, err);
}

export function checkNext(what: string, version: number, expected: number | null): void {
  const ok = expected === null ? Number.isSafeInteger(version) && version >= 0 : version === expected + 1;
  // A writer that keeps the old version would let two racing turns both "win".
  if (!ok) throw new RangeError(`${what}: version ${version} does not follow ${String(expected)}`);
}

/**
 * Store on one Redis connection (one server, Sentinel or Cluster: every multi-key call stays
 * in one slot thanks to the per-user hash tag; forgetUser's SCAN visits every primary).
 * The store owns the connection: close() quits it.
 */
export class RedisStore implements Store {
  private readonly keys: Keys;
  private readonly commitCommand: CommitCommand;

  constructor(
    private readonly redis: Redis,
    prefix: string = DEFAULT_KEY_PREFIX,
  ) {
    this.keys = keys(prefix);
    // defineCommand sends EVALSHA and falls back to EVAL on NOSCRIPT (e.g. after a restart).
    redis.defineCommand(COMMIT_COMMAND, { lua: COMMIT_LUA });
    const command = (redis as unknown as Record<string, CommitCommand | undefined>)[COMMIT_COMMAND];
    if (!command) throw new Error('ioredis defineCommand did not register the commit script');
    this.commitCommand = command.bind(redis);
  }

  async loadUser(user: UserRef): Promise<UserState | null> {
    const key = this.keys.user(user);
    const raw = await this.call(() => this.redis.get(key));
    return raw === null ? null : decodeUser(raw, key);
  }

  async loadCase(user: UserRef, caseId: string): Promise<Case | null> {
    const key = this.keys.case(user, caseId);
    const raw = await this.call(() => this.redis.get(key));
    return raw === null ? null : decodeCase(raw, key, caseId);
  }

  async loadCases(user: UserRef, caseIds: readonly string[]): Promise<Case[]> {
    if (caseIds.length === 0) return []; // MGET with no keys is a Redis error
    const caseKeys = caseIds.map((id) => this.keys.case(user, id));
    const raws = await this.call(() => this.redis.mget(caseKeys));
    const found: Case[] = [];
    raws.forEach((raw, i) => {
      if (raw !== null && raw !== undefined) found.push(decodeCase(raw, caseKeys[i]!, caseIds[i]!));
    });
    return found;
  }

  async loadTurn(user: UserRef, caseIds: readonly string[], outboxId?: string): Promise<TurnSnapshot> {
    // One slot (the user's hash tag), so one MGET even on a Cluster.
    if (outboxId !== undefined) return decodeTurn(this.keys, user, caseIds, await this.call(() => this.redis.mget(turnKeys(this.keys, user, caseIds, outboxId))));
    const [rawUser, ...rawCases] = await this.call(() => this.redis.mget(this.keys.user(user), ...caseIds.map((id) => this.keys.case(user, id))));
    return decodeTurn(this.keys, user, caseIds, [rawUser, null, ...rawCases]);
  }

  async loadOutbox(user: UserRef, id: string): Promise<string | null> {
    const key = this.keys.outbox(user, id);
    return this.call(() => this.redis.get(key));
  }

  async commit(commit: Commit): Promise<boolean> {
    const owner = commit.user.user;
    // An unchanged user record (same version) is checked, not rewritten: turns on different
    // cases of one user then don't collide on it.
    const unchanged = commit.expectedUserVersion !== null && commit.user.version === commit.expectedUserVersion;
    if (!unchanged) checkNext('user', commit.user.version, commit.expectedUserVersion);
    const keyList = [this.keys.user(owner)];
    const args = [expectedArg(commit.expectedUserVersion), unchanged ? '' : encode(commit.user)];
    const seen = new Set<string>();
    for (const write of commit.cases) {
      const c = write.case;
      // Other owners' keys live in other slots (Cluster would refuse) and are not ours to write.
      if (userKey(c.owner) !== userKey(owner)) throw new Error(`case ${c.id} belongs to another user`);
      if (seen.has(c.id)) throw new Error(`case ${c.id} appears twice in one commit`);
      seen.add(c.id);
      checkNext(`case ${c.id}`, c.version, write.expectedVersion);
      keyList.push(this.keys.case(owner, c.id));
      args.push(expectedArg(write.expectedVersion), encode(c));
    }
    for (const read of commit.checked ?? []) {
      if (seen.has(read.caseId)) throw new Error(`case ${read.caseId} is both written and checked`);
      seen.add(read.caseId);
      keyList.push(this.keys.case(owner, read.caseId));
      args.push(String(read.version), '');
    }
    if (commit.outbox) {
      const { id, value, ttlSeconds } = commit.outbox;
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`outbox ttl must be whole seconds >= 1, got ${ttlSeconds}`);
      keyList.push(this.keys.outbox(owner, id));
      args.push('', value);
    }
    args.push(commit.outbox ? String(commit.outbox.ttlSeconds) : '');
    const versioned = keyList.length;
    const created = commit.created;
    if (created) {
      const tag = this.keys.tag(owner);
      const keysOfIt = [created.hash.key, ...created.pointers.map((p) => p.key)];
      // Another user's key could sit in another slot (Cluster would refuse) and is not ours.
      if (keysOfIt.some((k) => !k.startsWith(`${this.keys.prefix}:${tag}:`))) throw new Error('a created record must be under the committing user\'s keys');
      if (!Number.isSafeInteger(created.ttlSeconds) || created.ttlSeconds < 1) throw new RangeError(`record ttl must be whole seconds >= 1, got ${created.ttlSeconds}`);
      const fields = Object.entries(created.hash.fields);
      keyList.push(...keysOfIt);
      args.push(String(created.ttlSeconds), String(fields.length), ...fields.flat(), ...created.pointers.map((p) => p.value));
    } else {
      args.push('');
    }
    const result = await this.call(() => this.commitCommand(keyList.length, ...keyList, String(versioned), ...args));
    // An acknowledged turn must outlive a failover: with Sentinel, a replica has it first.
    if (result === 1) await this.call(() => confirmReplicated(this.redis));
    if (result === -1) throw new OffboardError('corrupt_record', 'stored value has no version header');
    return result === 1;
  }

  async claimEvent(eventId: string, ttlSeconds: number): Promise<boolean> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new RangeError(`claimEvent ttl must be a whole number of seconds >= 1, got ${ttlSeconds}`);
    }
    const key = this.keys.event(eventId);
    const result = await this.call(() => this.redis.set(key, '1', 'EX', ttlSeconds, 'NX'));
    return result === 'OK';
  }

  async forgetUser(user: UserRef): Promise<void> {
    const userKeyName = this.keys.user(user);
    const raw = await this.call(() => this.redis.get(userKeyName));
    // Forgetting must work even when the record is unreadable; SCAN below finds the cases then.
    let listed: string[] = [];
    if (raw !== null) {
      try {
        const state = decodeUser(raw, userKeyName);
        listed = [...state.openCases, ...state.history.map((h) => h.caseId)];
      } catch {
        listed = [];
      }
    }
    // The user key goes first: once it is gone every commit expecting it fails, so no turn
    // in flight can add a case behind the SCAN.
    const first = [userKeyName, ...new Set(listed.map((id) => this.keys.case(user, id)))];
    await this.call(() => this.redis.del(first));
    // On a Cluster the user's keys sit on one primary (one hash tag); scanEach visits each.
    await this.call(() => scanEach(this.redis, this.keys.userPattern(user), SCAN_COUNT, async (found) => void (await this.redis.del(found))));
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect(); // already broken: nothing left to flush
    }
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw translate(err);
    }
  }
}

function expectedArg(expected: number | null): string {
  return expected === null ? '' : String(expected);
}
