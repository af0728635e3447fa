import type { Case } from '../src/model/case.js';
import { userKey, type UserRef, type UserState } from '../src/model/user.js';
import type { Commit, Store, TurnSnapshot } from '../src/store/store.js';

/**
 * Store kept in memory with the same copy semantics as Redis (JSON round trip), for the
 * profiler: it separates the engine's own CPU cost from the network.
 */
export class MemoryStore implements Store {
  private readonly data = new Map<string, string>();

  private ck(user: UserRef, id: string): string {
    return `${userKey(user)}:case:${id}`;
  }

  async loadUser(user: UserRef): Promise<UserState | null> {
    const raw = this.data.get(userKey(user));
    return raw === undefined ? null : (JSON.parse(raw) as UserState);
  }

  async loadCase(user: UserRef, caseId: string): Promise<Case | null> {
    const raw = this.data.get(this.ck(user, caseId));
    return raw === undefined ? null : (JSON.parse(raw) as Case);
  }

  async loadCases(user: UserRef, caseIds: readonly string[]): Promise<Case[]> {
    const out: Case[] = [];
    for (const id of caseIds) {
      const c = await this.loadCase(user, id);
      if (c) out.push(c);
    }
    return out;
  }

  async loadTurn(user: UserRef, caseIds: readonly string[], outboxId?: string): Promise<TurnSnapshot> {
    return { user: await this.loadUser(user), cases: await this.loadCases(user, caseIds), outbox: outboxId === undefined ? null : await this.loadOutbox(user, outboxId) };
  }

  async loadOutbox(user: UserRef, id: string): Promise<string | null> {
    return this.data.get(`${userKey(user)}:outbox:${id}`) ?? null;
  }

  async commit(commit: Commit): Promise<boolean> {
    const owner = commit.user.user;
    // Only the reminder worker creates records with a turn, and it needs Redis (BullMQ).
    if (commit.created) throw new Error('this store keeps no delivery records');
    const current = await this.loadUser(owner);
    if ((current?.version ?? null) !== commit.expectedUserVersion) return false;
    for (const w of commit.cases) {
      const c = await this.loadCase(owner, w.case.id);
      if ((c?.version ?? null) !== w.expectedVersion) return false;
    }
    for (const r of commit.checked ?? []) if ((await this.loadCase(owner, r.caseId))?.version !== r.version) return false;
    const outboxKey = commit.outbox ? `${userKey(owner)}:outbox:${commit.outbox.id}` : null;
    if (outboxKey && this.data.has(outboxKey)) return false;
    if (outboxKey && commit.outbox) this.data.set(outboxKey, commit.outbox.value);
    this.data.set(userKey(owner), JSON.stringify(commit.user));
    for (const w of commit.cases) this.data.set(this.ck(owner, w.case.id), JSON.stringify(w.case));
    return true;
  }

  async claimEvent(): Promise<boolean> {
    return true;
  }

  async forgetUser(user: UserRef): Promise<void> {
    const p = userKey(user);
    for (const k of [...this.data.keys()]) if (k === p || k.startsWith(`${p}:`)) this.data.delete(k);
  }

  async close(): Promise<void> {}
}
