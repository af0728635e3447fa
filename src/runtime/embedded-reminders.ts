import { occurrenceId } from '../../jobs/reminder-job.js';
import type { Notifier } from '../delivery/notifier.js';
import { deliveryTiming } from '../delivery/timing.js';
import type { EffectSink } from '../engine/effects.js';
import type { Engine } from '../engine/engine.js';
import type { Inbound } from '../model/inbound.js';
import type { UserRef } from '../model/user.js';
import type { EmbeddedDb } from '../store/embedded-db.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/store.js';

// A marker outlives any case: a delivered occurrence must never come back.
const MARK_TTL_SECONDS = 400 * 24 * 3600;
// setTimeout's limit; a later reminder is re-armed when this runs out.
const MAX_TIMER_MS = 2 ** 31 - 1;
const DONE = 'done';

type ReminderInbound = Extract<Inbound, { kind: 'reminder' }>;

export interface Due {
  caseId: string;
  reminderId: string;
  occurrence: string;
  /** On the scheduler's clock: the planned time, or later when it waits for working hours. */
  dueMs: number;
}

/**
 * Reminders for the console on the embedded store, in this process: no queue, the case's plan
 * is read directly (it is the source of truth for the worker too). Each due reminder is the
 * same engine turn the worker runs (inbound `reminder`, saved under the occurrence's outbox)
 * and goes to the inbox under the occurrence's key. A marker holding the turn's input, written
 * before the turn and set to done after the send, makes a crash in between harmless: the next
 * run replays the saved turn (the case may no longer plan it) and the inbox keeps one copy.
 */
export class EmbeddedReminders implements EffectSink {
  private engine: Engine | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: {
      db: EmbeddedDb;
      store: Store;
      keys: Keys;
      inbox: Notifier;
      user: UserRef;
      clock: () => Date;
    },
  ) {}

  /** The engine is built with this scheduler as its effect sink, so it is handed over after. */
  attach(engine: Engine): void {
    this.engine = engine;
  }

  /** After any turn that planned or cancelled: the plan is re-read, the timer set again. */
  async apply(): Promise<void> {
    this.arm();
  }

  /** Delivers whatever is due now (what came due while the console was closed, at start). */
  deliverDue(): Promise<void> {
    this.running = this.running.then(() => this.runDue()).catch(() => undefined);
    return this.running;
  }

  /** The reminders still to deliver, earliest first. */
  async pending(): Promise<Due[]> {
    const { store, user, clock } = this.deps;
    const state = await store.loadUser(user);
    if (!state) return [];
    const now = clock();
    const out: Due[] = [];
    for (const c of await store.loadCases(user, state.openCases)) {
      if (c.stage === 'closed') continue;
      for (const r of c.reminders) {
        const occurrence = occurrenceId(c.id, r.id, r.at);
        if (this.deps.db.get(this.markKey(occurrence)) === DONE) continue;
        const timing = deliveryTiming(r.at, now, state.settings);
        const dueMs = timing.kind === 'defer' ? timing.until.getTime() : Date.parse(r.at);
        out.push({ caseId: c.id, reminderId: r.id, occurrence, dueMs });
      }
    }
    return out.sort((a, b) => a.dueMs - b.dueMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private markKey(occurrence: string): string {
    return `${this.deps.keys.prefix}:${this.deps.keys.tag(this.deps.user)}:reminder:${occurrence}`;
  }

  private async runDue(): Promise<void> {
    const { store, user, clock, db } = this.deps;
    if (!this.engine || this.closed) return;
    // Turns decided before a crash but never shown: replayed from their saved result first.
    for (const key of db.keysWithPrefix(this.markKey(''))) {
      const mark = db.get(key);
      if (mark !== null && mark !== DONE) await this.deliver(key.slice(this.markKey('').length), JSON.parse(mark) as ReminderInbound);
    }
    for (const due of await this.pending()) {
      if (due.dueMs > clock().getTime()) break;
      const c = await store.loadCase(user, due.caseId);
      const r = c?.reminders.find((x) => x.id === due.reminderId);
      if (!c || !r) continue;
      const state = await store.loadUser(user);
      const late = state ? deliveryTiming(r.at, clock(), state.settings).kind === 'late' : false;
      await this.deliver(due.occurrence, { kind: 'reminder', caseId: c.id, reminderId: r.id, reminderKind: r.kind, subject: r.subject, at: r.at, late });
    }
    this.arm();
  }

  /** The marker first, then the engine's turn (saved under the occurrence), the inbox, done. */
  private async deliver(occurrence: string, inbound: ReminderInbound): Promise<void> {
    const { user, inbox, db } = this.deps;
    db.set(this.markKey(occurrence), JSON.stringify(inbound), MARK_TTL_SECONDS);
    const result = await this.engine!.handle({ user, inbound, outbox: occurrence });
    if (!result.moot && result.replies.length > 0) {
      await inbox.send({ key: occurrence.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64), user, locale: result.locale, replies: result.replies });
    }
    db.set(this.markKey(occurrence), DONE, MARK_TTL_SECONDS);
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    void this.pending()
      .then((list) => {
        const first = list[0];
        if (!first || this.closed) return;
        const wait = Math.min(MAX_TIMER_MS, Math.max(0, first.dueMs - this.deps.clock().getTime()));
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.deliverDue(), wait);
        this.timer.unref();
      })
      .catch(() => undefined);
  }
}
