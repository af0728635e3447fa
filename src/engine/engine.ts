import { randomUUID } from 'node:crypto';
import type { Inbound } from '../model/inbound.js';
import type { Reply } from '../model/reply.js';
import { userKey, type UserRef, type UserState } from '../model/user.js';
import type { Case } from '../model/case.js';
import { OffboardError } from '../errors.js';
import type { CreatedRecord, Store, TurnSnapshot } from '../store/store.js';
import type { EffectSink } from './effects.js';
import { t } from '../i18n/translate.js';
import { newUserState, type ProfileHints } from './new-records.js';
import { isStaleAnswer } from './replies.js';
import { overviewReplies } from './overview.js';
import { casesNeeded, decideUser } from './user-turn.js';
import { RecentTurns } from './recent-turns.js';

export interface Envelope {
  user: UserRef;
  inbound: Inbound;
  /** The platform's id for this event: a retry with the same id has no second effect. */
  eventId?: string;
  hints?: ProfileHints;
  /**
   * Saves the result with the turn's commit under this id; a later call with the same id
   * replays it instead of deciding again (a reminder job re-run after a crash).
   */
  outbox?: string;
  /** How long the outbox entry is kept (default: long enough for any reminder job's retries). */
  outboxTtlSeconds?: number;
  /**
   * What the caller has just read for this turn (user, cases, outbox): used for the first
   * attempt instead of reading again. Still safe: the commit checks every version read.
   */
  preloaded?: TurnSnapshot;
  /**
   * A record to create with the turn's commit, built from its result (a reminder's message in
   * the delivery ledger); null when there is nothing to record. Asked on every attempt. The
   * record takes the outbox's place: its existence says the work was done, so the result is
   * not saved a second time.
   */
  record?: (result: TurnResult) => CreatedRecord | null;
}

export interface TurnResult {
  replies: Reply[];
  /** The locale the replies are in (after this turn's settings). */
  locale: UserState['settings']['locale'];
  duplicate?: true;
  moot?: string;
  /** Read back from the outbox: this work was done before. */
  replayed?: true;
  /** The answer came too late: its question had moved on, and nothing changed. */
  stale?: true;
  /** The envelope's `record` was written with this turn's commit. */
  recorded?: true;
  /** The cases as this turn's commit wrote them (never in the outbox, nor on a replay). */
  written?: readonly Case[];
}

/** A delivery that failed for good, noted on the case so `status` can tell the user. */
export interface ProblemNote {
  caseId: string;
  reminderId: string;
  code: string;
}

export interface EngineDeps {
  store: Store;
  effects: EffectSink;
  clock?: () => Date;
  newId?: () => string;
  /** Users whose last turn's records are kept for their next turn (default 1,000; 0 keeps none). */
  recentUsers?: number;
  /** Told about every turn (metrics); must not throw. */
  onTurn?: (turn: TurnObservation) => void;
}

/** What an operator may count about a turn: its kind and size, never its content. */
export interface TurnObservation {
  platform: UserRef['platform'];
  inbound: Envelope['inbound']['kind'];
  replies: number;
  outcome: 'done' | 'duplicate' | 'replayed' | 'failed';
}

// Each retry re-reads and re-decides; this many lost races in a row means something is wrong.
const MAX_ATTEMPTS = 25;
const EVENT_TTL_SECONDS = 24 * 3600;
// Long enough for any retry or reconciliation of the job that saved it.
const OUTBOX_TTL_SECONDS = 14 * 24 * 3600;
// A user who cannot be reached keeps failing; only the latest problems are worth keeping.
const MAX_PROBLEMS = 10;
// Users whose last turn's cases are remembered (a hint only: a few hundred kB at most).
const CASE_HINTS = 10_000;
// Users whose last turn's records are kept for their next turn: a conversation's pace, a few MB.
const RECENT_USERS = 1_000;
const RECENT_IDLE_MS = 10 * 60_000;

/** Lost a race: wait a little, at random, so the same turns don't collide again. */
function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
}

/** Short, URL- and button-safe ids: not all digits and no colon (BullMQ job ids). */
export function shortId(): string {
  return `c${randomUUID().replace(/-/g, '').slice(0, 11)}`;
}

/**
 * The shell around the pure core: load, decide, save conditionally, then carry out effects.
 * A lost race re-runs the decision on fresh data; nothing is ever overwritten blindly.
 */
export class Engine {
  private readonly clock: () => Date;
  private readonly newId: () => string;
  /**
   * The cases each user's last turn needed, most recent last: read with the user record in
   * one round trip, since a conversation's next turn usually needs the same ones. Only a
   * guess: what a turn needs is still decided from the user record just read.
   */
  private readonly caseHints = new Map<string, readonly string[]>();
  private readonly recent: RecentTurns;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? shortId;
    this.recent = new RecentTurns(deps.recentUsers ?? RECENT_USERS, RECENT_IDLE_MS);
  }

  async handle(env: Envelope): Promise<TurnResult> {
    const { onTurn } = this.deps;
    if (!onTurn) return this.decideAndSave(env);
    const seen = (outcome: TurnObservation['outcome'], replies = 0) => onTurn({ platform: env.user.platform, inbound: env.inbound.kind, replies, outcome });
    try {
      const result = await this.decideAndSave(env);
      seen(result.duplicate ? 'duplicate' : result.replayed ? 'replayed' : 'done', result.replies.length);
      return result;
    } catch (err) {
      seen('failed');
      throw err;
    }
  }

  private async decideAndSave(env: Envelope): Promise<TurnResult> {
    const { store } = this.deps;
    if (env.eventId && !(await store.claimEvent(env.eventId, EVENT_TTL_SECONDS))) {
      const user = await store.loadUser(env.user);
      return { replies: [], locale: user?.settings.locale ?? env.hints?.locale ?? 'en', duplicate: true };
    }
    const newCaseId = this.newId();
    const hintKey = userKey(env.user);
    // A conversation's turn may start from what the user's last turn committed here, until a
    // commit says it is out of date. With an outbox (an inbox entry), that commit also fails
    // when the entry's result was saved before: the read then finds it and replays it. A
    // reminder's delivery brings its own snapshot (preloaded) and keeps nothing: a user's next
    // reminder is days away.
    const conversation = !env.preloaded;
    let trustRecent = conversation;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.clock();
      const recent = trustRecent ? this.fromRecent(hintKey, env.inbound) : undefined;
      let stored: UserState | null;
      let cases: Case[];
      if (recent) {
        ({ stored, cases } = recent);
      } else {
        const pre = attempt === 0 ? env.preloaded : undefined;
        const guessed = pre ? [] : (this.caseHints.get(hintKey) ?? []);
        // The user, the guessed cases and the outbox in one read (or what the caller just read).
        const snap = pre ?? (await store.loadTurn(env.user, guessed, env.outbox));
        if (env.outbox && snap.outbox !== null) return { ...(JSON.parse(snap.outbox) as TurnResult), replayed: true };
        stored = snap.user;
        const needed = casesNeeded(stored ?? newUserState(env.user, env.hints ?? {}, now), env.inbound);
        this.rememberCases(hintKey, needed);
        cases = await this.neededCases(env.user, needed, snap.cases, pre ? undefined : guessed);
      }
      const user = stored ?? newUserState(env.user, env.hints ?? {}, now);
      const d = decideUser({ user, cases, inbound: env.inbound, now, newCaseId });
      const result: TurnResult = { replies: d.replies, locale: d.user.settings.locale };
      if (isStaleAnswer(d.replies, (key) => t(result.locale, key))) result.stale = true;
      if (d.moot && d.cases.length === 0) {
        // Nothing is saved, so no commit checks what this answer was built on: read it fresh.
        if (recent) {
          trustRecent = false;
          continue;
        }
        return { ...result, moot: d.moot };
      }
      if (d.moot) result.moot = d.moot;
      if (d.forget) {
        // Keys first: a reminder job (or the reconciler) that looks afterwards finds no case
        // and schedules nothing again; then every job of the user goes.
        await store.forgetUser(env.user);
        this.caseHints.delete(hintKey);
        this.recent.delete(hintKey);
        await this.deps.effects.apply(env.user, d.effects, cases);
        return result;
      }
      const before = new Map(cases.map((c) => [c.id, c]));
      const writes = d.cases.map((c): { case: Case; expectedVersion: number | null } => {
        const old = before.get(c.id);
        return { case: { ...c, version: (old?.version ?? 0) + 1 }, expectedVersion: old ? old.version : null };
      });
      for (const w of writes) before.delete(w.case.id);
      const userChanged = !stored || d.userChanged;
      const created = env.record?.(result) ?? null;
      const savedUser = { ...d.user, version: (stored?.version ?? 0) + (userChanged ? 1 : 0) };
      const ok = await store.commit({
        user: savedUser,
        expectedUserVersion: stored ? stored.version : null,
        cases: writes,
        // What the replies were built on but the turn left alone must still be as read.
        ...(before.size ? { checked: [...before.values()].map((c) => ({ caseId: c.id, version: c.version })) } : {}),
        ...(env.outbox && !created ? { outbox: { id: env.outbox, value: JSON.stringify(result), ttlSeconds: env.outboxTtlSeconds ?? OUTBOX_TTL_SECONDS } } : {}),
        ...(created ? { created } : {}),
      });
      if (ok) {
        const written = writes.map((w) => w.case);
        if (conversation) this.keepRecent(hintKey, savedUser, cases, written);
        if (d.effects.length) await this.deps.effects.apply(env.user, d.effects, written);
        return created ? { ...result, recorded: true, written } : { ...result, written };
      }
      this.recent.delete(hintKey);
      // Out of date is not a race: decide again on a fresh read at once.
      if (recent) {
        trustRecent = false;
        continue;
      }
      await backoff(attempt);
    }
    throw new OffboardError('conflict', `gave up after ${MAX_ATTEMPTS} conflicting writes`);
  }

  /**
   * The needed cases, in their order, from those already read, reading the rest. Without
   * `asked` (the caller's snapshot), any one missing means reading them all again; with it,
   * an id that was asked for and not found does not exist and is not asked for twice.
   */
  private async neededCases(user: UserRef, needed: readonly string[], have: readonly Case[], asked?: readonly string[]): Promise<Case[]> {
    const byId = new Map(have.map((c) => [c.id, c]));
    if (!asked) return needed.every((id) => byId.has(id)) ? needed.map((id) => byId.get(id)!) : this.deps.store.loadCases(user, needed);
    const missing = needed.filter((id) => !byId.has(id) && !asked.includes(id));
    if (missing.length > 0) for (const c of await this.deps.store.loadCases(user, missing)) byId.set(c.id, c);
    return needed.flatMap((id) => byId.get(id) ?? []);
  }

  /** The user and the cases this turn needs, from the user's last turn here, if it kept them all. */
  private fromRecent(key: string, inbound: Inbound): { stored: UserState; cases: Case[] } | undefined {
    const last = this.recent.get(key);
    if (!last) return undefined;
    const needed = casesNeeded(last.user, inbound);
    this.rememberCases(key, needed); // should the commit find it out of date, the read guesses these
    const cases: Case[] = [];
    for (const id of needed) {
      const c = last.cases.get(id);
      if (!c) return undefined;
      cases.push(c);
    }
    return { stored: last.user, cases };
  }

  private keepRecent(key: string, user: UserState, read: readonly Case[], written: readonly Case[]): void {
    const cases = new Map<string, Case>();
    // Open cases kept from earlier turns stay too (a list needs them all); each is checked when used.
    for (const [id, c] of this.recent.get(key)?.cases ?? []) if (user.openCases.includes(id)) cases.set(id, c);
    for (const c of read) cases.set(c.id, c);
    for (const c of written) cases.set(c.id, c);
    this.recent.set(key, { user, cases });
  }

  private rememberCases(key: string, ids: readonly string[]): void {
    this.caseHints.delete(key);
    this.caseHints.set(key, ids);
    if (this.caseHints.size > CASE_HINTS) this.caseHints.delete(this.caseHints.keys().next().value!);
  }

  /** Records that a message could not be delivered; `status` shows it. Gone cases are skipped. */
  async noteProblems(user: UserRef, notes: readonly ProblemNote[]): Promise<void> {
    const { store } = this.deps;
    const ids = [...new Set(notes.map((n) => n.caseId))];
    this.recent.delete(userKey(user)); // about to change under it
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await store.loadUser(user);
      if (!stored) return;
      const cases = await store.loadCases(user, ids);
      if (cases.length === 0) return;
      const at = this.clock().toISOString();
      const writes = cases.map((c) => {
        const added = notes.filter((n) => n.caseId === c.id).map((n) => ({ at, reminderId: n.reminderId, code: n.code }));
        const problems = [...c.problems, ...added].slice(-MAX_PROBLEMS);
        return { case: { ...c, problems, version: c.version + 1 }, expectedVersion: c.version };
      });
      if (await store.commit({ user: stored, expectedUserVersion: stored.version, cases: writes })) return;
      await backoff(attempt);
    }
    throw new OffboardError('conflict', `gave up noting a delivery problem after ${MAX_ATTEMPTS} conflicting writes`);
  }

  /** The user's dashboard (Slack's App Home): read only, nothing is saved or claimed. */
  /** The user's dashboard (Slack's App Home): open cases, next reminders, quick actions. */
  async overview(user: UserRef): Promise<TurnResult> {
    const { store } = this.deps;
    const now = this.clock();
    const state = (await store.loadUser(user)) ?? newUserState(user, {}, now);
    const cases = await store.loadCases(user, state.openCases);
    return { replies: overviewReplies(state, cases, now), locale: state.settings.locale };
  }
}
