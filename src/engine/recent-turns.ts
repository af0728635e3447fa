import type { Case } from '../model/case.js';
import type { UserState } from '../model/user.js';

/** The records a user's last turn committed, as it wrote them. */
export interface RecentTurn {
  readonly user: UserState;
  readonly cases: ReadonlyMap<string, Case>;
}

let freeze = false;

/**
 * From now on every kept record is frozen, so code that changes one in place fails loudly (the
 * next turn would otherwise start from a record nobody saved). The test suite turns it on.
 */
export function freezeKeptRecords(): void {
  freeze = true;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

/**
 * What each user's last turn committed, kept for the turn that usually follows a few seconds
 * later (a conversation), which then reads nothing before deciding: its commit checks the
 * version of every record it relied on, and a record changed elsewhere meanwhile (another
 * process, a reminder) fails that check and the turn is decided again on a fresh read.
 * Bounded in count and in idle time, so memory does not grow with the number of users.
 */
export class RecentTurns {
  private readonly entries = new Map<string, { turn: RecentTurn; at: number }>();

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): RecentTurn | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.idleMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.turn;
  }

  set(key: string, turn: RecentTurn): void {
    if (this.max <= 0) return;
    if (freeze) {
      deepFreeze(turn.user);
      for (const c of turn.cases.values()) deepFreeze(c);
    }
    const at = this.now();
    this.entries.delete(key);
    this.entries.set(key, { turn, at });
    // Oldest first (every set moves its key to the end): drop the idle ones, then any over the cap.
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.max && at - e.at <= this.idleMs) break;
      this.entries.delete(k);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
