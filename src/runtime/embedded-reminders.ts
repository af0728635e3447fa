import { occurrenceId } from '../../jobs/reminder-job.js';
import type { Notifier } from '../delivery/notifier.js';
import { deliveryTiming } from '../delivery/timing.js';
import type { EffectSink } from '../engine/effects.js';
import type { Engine } from '../engine/engine.js';
import { t } from '../i18n/translate.js';
import type { Inbound } from '../model/inbound.js';
import type { Reply } from '../model/reply.js';
import type { Locale } from '../model/settings.js';
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
/** Written before a reminder's turn: what to replay, and in which message, after a crash. */
interface Mark {
  message: string;
  /** Place in the message: markers are read back in key order. */
  order: number;
  inbound: ReminderInbound;
}

export interface Due {
  caseId: string;
  reminderId: string;
  occurrence: string;
  /** On the scheduler's clock: the planned time, or later when it waits for working hours. */
  dueMs: number;
  plannedAt: string;
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
        out.push({ caseId: c.id, reminderId: r.id, occurrence, dueMs, plannedAt: r.at });
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
    // Turns decided before a crash but never shown: replayed from their saved result first,
    // in the messages they were meant for.
    const replay = new Map<string, Array<{ occurrence: string; inbound: ReminderInbound; order: number }>>();
    for (const key of db.keysWithPrefix(this.markKey(''))) {
      const mark = db.get(key);
      if (mark === null || mark === DONE) continue;
      const { message, inbound, order } = JSON.parse(mark) as Mark;
      replay.set(message, [...(replay.get(message) ?? []), { occurrence: key.slice(this.markKey('').length), inbound, order }]);
    }
    for (const [message, items] of replay) await this.deliver(message, items.sort((a, b) => a.order - b.order));
    for (;;) {
      const now = clock().getTime();
      const due = (await this.pending()).filter((d) => d.dueMs <= now);
      const first = due[0];
      if (!first) break;
      const state = await store.loadUser(user);
      const inbound = await this.inboundOf(first, false);
      if (!state || !inbound) break;
      // As the worker does: a late reminder brings every other overdue one along, in one message.
      const late = deliveryTiming(inbound.at, clock(), state.settings).kind === 'late';
      const group = late ? due.filter((d) => Date.parse(d.plannedAt) <= now) : [first];
      const items: Array<{ occurrence: string; inbound: ReminderInbound }> = [];
      for (const d of group) {
        const found = await this.inboundOf(d, late);
        if (found) items.push({ occurrence: d.occurrence, inbound: found });
      }
      await this.deliver(items.length > 1 ? `b.${first.occurrence}` : first.occurrence, items);
    }
    this.arm();
  }

  private async inboundOf(d: Due, late: boolean): Promise<ReminderInbound | null> {
    const c = await this.deps.store.loadCase(this.deps.user, d.caseId);
    const r = c?.reminders.find((x) => x.id === d.reminderId);
    return r ? { kind: 'reminder', caseId: d.caseId, reminderId: r.id, reminderKind: r.kind, subject: r.subject, at: r.at, late } : null;
  }

  /** Markers first, then each engine turn (saved under its occurrence), one inbox message, done. */
  private async deliver(message: string, items: Array<{ occurrence: string; inbound: ReminderInbound }>): Promise<void> {
    const { user, inbox, db } = this.deps;
    items.forEach((it, order) => db.set(this.markKey(it.occurrence), JSON.stringify({ message, order, inbound: it.inbound } satisfies Mark), MARK_TTL_SECONDS));
    const parts: Reply[][] = [];
    let locale: Locale = 'en';
    for (const it of items) {
      const result = await this.engine!.handle({ user, inbound: it.inbound, outbox: it.occurrence });
      locale = result.locale;
      if (!result.moot && result.replies.length > 0) parts.push(result.replies);
    }
    if (parts.length > 0) {
      const replies: Reply[] = parts.length > 1 ? [{ kind: 'text', text: t(locale, 'reminder.collected', { count: parts.length }), tone: 'info' }] : [];
      for (const p of parts) replies.push(...p);
      await inbox.send({ key: message.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64), user, locale, replies });
    }
    for (const it of items) db.set(this.markKey(it.occurrence), DONE, MARK_TTL_SECONDS);
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
