import type { Case } from '../model/case.js';
import type { UserRef, UserState } from '../model/user.js';

/** A case to write, with the version it had when read (null: it must not exist yet). */
export interface CaseWrite {
  case: Case;
  expectedVersion: number | null;
}

/**
 * Everything one turn changes, written all-or-nothing. Each object carries its new version
 * (expected + 1); the write happens only if every stored version still equals the expected one.
 * A user record whose version equals the expected one is checked but not rewritten.
 */
export interface Commit {
  user: UserState;
  expectedUserVersion: number | null;
  cases: CaseWrite[];
  /**
   * Cases the turn read and left as they were: the commit fails if any moved on, so a reply
   * built from them (status, a list) was true when it was saved.
   */
  checked?: ReadonlyArray<{ caseId: string; version: number }>;
  /**
   * The turn's result, saved in the same all-or-nothing write so that a re-run of the same
   * work (a reminder job retried after a crash) replays it instead of deciding again.
   * The commit fails if this id was already saved.
   */
  outbox?: { id: string; value: string; ttlSeconds: number };
  /**
   * A record created in the same all-or-nothing write (a reminder's message in the delivery
   * ledger, and the pointers to it), so a delivery pays one round trip for its turn and its
   * message. Keys of the commit's user only. The commit fails if the hash already exists.
   */
  created?: CreatedRecord;
}

/** A hash and the string keys pointing at it, all with one TTL (in whole seconds). */
export interface CreatedRecord {
  hash: { key: string; fields: Readonly<Record<string, string>> };
  pointers: ReadonlyArray<{ key: string; value: string }>;
  ttlSeconds: number;
}

export interface TurnSnapshot {
  user: UserState | null;
  /** Missing ids are skipped. */
  cases: Case[];
  outbox: string | null;
}

/**
 * Persistence for users and their cases. Deliberately no "update" that skips the version
 * check: a lost race is retried by re-running the decision on fresh data, never by overwriting.
 */
export interface Store {
  loadUser(user: UserRef): Promise<UserState | null>;
  loadCase(user: UserRef, caseId: string): Promise<Case | null>;
  /** Missing ids are skipped; order follows `caseIds`. */
  loadCases(user: UserRef, caseIds: readonly string[]): Promise<Case[]>;
  /**
   * The user, some of their cases and an outbox entry (none without `outboxId`) in one round
   * trip: a reminder's turn, or a turn whose cases are guessed from the user's last turn.
   */
  loadTurn(user: UserRef, caseIds: readonly string[], outboxId?: string): Promise<TurnSnapshot>;
  /** A result saved by `commit({ outbox })`, or null. */
  loadOutbox(user: UserRef, id: string): Promise<string | null>;
  /** True when written; false when any version moved on since it was read. */
  commit(commit: Commit): Promise<boolean>;
  /** True the first time an event id is seen within `ttlSeconds`; platform retries get false. */
  claimEvent(eventId: string, ttlSeconds: number): Promise<boolean>;
  /** Deletes every key of the user: settings, index, cases, history. */
  forgetUser(user: UserRef): Promise<void>;
  close(): Promise<void>;
}
