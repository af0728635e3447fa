import { createHash } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { DeliveryError, type Notifier, type OutboundMessage } from '../src/delivery/notifier.js';
import { deliveryTiming } from '../src/delivery/timing.js';
import type { Engine, TurnResult } from '../src/engine/engine.js';
import { t } from '../src/i18n/translate.js';
import type { Log } from '../src/log.js';
import type { Case, PlannedReminder } from '../src/model/case.js';
import type { Reply } from '../src/model/reply.js';
import type { Locale } from '../src/model/settings.js';
import type { Platform, UserRef } from '../src/model/user.js';
import type { Store, TurnSnapshot } from '../src/store/store.js';
import type { DeliveryLedger, OccurrenceRef, RecordedMessage } from './delivery-ledger.js';
import type { ReminderQueue } from './queue.js';
import { occurrenceId, type ReminderJobData } from './reminder-job.js';
import type { SendLimiter } from './send-limiter.js';
import type { AfterLock, UserLocks } from './user-lock.js';

export type DeliveryOutcome =
  /** Sent now. */
  | 'sent'
  /** An earlier run had sent it but died before saying so; nothing was sent again. */
  | 'recovered'
  /** Went out earlier (e.g. collected with another late reminder). */
  | 'alreadySent'
  /** No longer wanted: the case ended, the date moved, the task is done, the invoice paid. */
  | 'moot'
  /** Waits: the user's working hours, the platform's limit, another delivery to the same user. */
  | 'delayed';

export interface DeliveryEvent {
  outcome: DeliveryOutcome | 'failed';
  platform: Platform;
  /** Reminders in the message (more than one when late ones were collected). */
  count: number;
  /** How long after its planned time the reminder went out (sent only). */
  lateMs?: number;
  late?: boolean;
  reason?: string;
}

export interface DeliveryDeps {
  engine: Engine;
  store: Store;
  ledger: DeliveryLedger;
  locks: UserLocks;
  limiter: SendLimiter;
  notifiers: Partial<Record<Platform, Notifier>>;
  queue: ReminderQueue;
  log: Log;
  clock: () => Date;
  lateAfterMs: number;
  observe?: (event: DeliveryEvent) => void;
}

// BullMQ may start a delayed job a little early (its own timers, clocks of two hosts).
const EARLY_TOLERANCE_MS = 5_000;
// A busy user lock is usually free again within one send; a little jitter spreads the retries.
const LOCK_RETRY_MS = 200;

/** What one run carries from its start under the lock to its end. */
interface Run {
  /** Read with the lock, for the job's occurrence; used by the first look only. */
  snapshot?: TurnSnapshot;
  /** The message already recorded for the job's occurrence, read with the lock (first look only). */
  recorded?: string | null;
  /** The job's case as this run last saw or wrote it: the end reads it back only if it changed. */
  known?: Case;
  /** Sent by this run: its final state is written in the round trip that releases the lock. */
  sent?: RecordedMessage;
}

interface Item {
  caseId: string;
  reminder: PlannedReminder;
  occurrence: string;
}

/** Platform nonces are short; a longer key is hashed (still one key per message). */
function messageKey(id: string): string {
  return id.length <= 64 ? id : `h.${createHash('sha256').update(id).digest('base64url').slice(0, 40)}`;
}

/**
 * What the worker does with one due reminder job. The case is the source of truth: the job
 * only says where to look. Every step can be re-run after a crash: the engine's turn is saved
 * in its outbox, the message in the ledger, and the send's state around the platform call.
 */
export class ReminderDelivery {
  constructor(private readonly deps: DeliveryDeps) {}

  /**
   * Under the user's lock: nothing else delivers to this user meanwhile. The lock comes with
   * the first read, and goes with the sent state and the read-back of the case: a usual
   * delivery is three round trips of its own (this one, the turn's commit that also records
   * the message, and the end) besides BullMQ's and the send.
   */
  async process(job: Job<ReminderJobData>, token: string | undefined): Promise<DeliveryOutcome> {
    const d = job.data;
    const occurrence = occurrenceId(d.caseId, d.reminderId, d.at);
    const held = await this.deps.locks.acquire(d.user, { caseIds: [d.caseId], outbox: occurrence, also: this.deps.ledger.pointerKey(d.user, occurrence) });
    if (!held) return this.delay(job, token, this.deps.clock().getTime() + LOCK_RETRY_MS + Math.random() * LOCK_RETRY_MS, 'user busy');
    const run: Run = { snapshot: held.snapshot, recorded: held.also };
    const end = () => ({
      caseId: job.data.caseId,
      ...(run.known ? { known: run.known } : {}),
      ...(run.sent ? { message: { id: run.sent.id, state: 'sent' as const } } : {}),
    });
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.processLocked(job, token, run);
    } catch (err) {
      // A message that went out stays marked sent whatever came after it.
      await (run.sent ? held.release(end()) : held.release());
      throw err;
    }
    const after = await held.release(end());
    if (run.sent) this.observe(run.sent, 'sent');
    if (!after.userThere && job.id !== undefined) this.userGone.add(job.id);
    return this.followPlan(job, token, outcome, after);
  }

  /**
   * Jobs whose run found their user forgotten: BullMQ's completion still writes an event naming
   * the job, so the worker clears after it. Asked once per finished job (true once).
   */
  foundUserGone(jobId: string | undefined): boolean {
    return jobId !== undefined && this.userGone.delete(jobId);
  }

  private readonly userGone = new Set<string>();

  /**
   * After the work: if the case now plans this reminder again at another, future time (a date
   * changed while this job could not be replaced, or a "not yet" came back meanwhile), the
   * job moves there instead of ending, so the new date is never left without a job.
   */
  private async followPlan(job: Job<ReminderJobData>, token: string | undefined, outcome: DeliveryOutcome, after: AfterLock): Promise<DeliveryOutcome> {
    const d = job.data;
    const c = after.case;
    const next = c && c.stage !== 'closed' ? c.reminders.find((r) => r.id === d.reminderId) : undefined;
    if (!next || next.at === d.at || Date.parse(next.at) <= this.deps.clock().getTime()) return outcome;
    await job.updateData({ ...d, at: next.at });
    return this.delay(job, token, Date.parse(next.at), 'planned again');
  }

  private async processLocked(job: Job<ReminderJobData>, token: string | undefined, run: Run): Promise<DeliveryOutcome> {
    const { store, ledger, clock, limiter, notifiers } = this.deps;
    const d = job.data;
    const occurrence = occurrenceId(d.caseId, d.reminderId, d.at);
    // The user, the case, and whether an earlier run of this job already decided the message
    // (its outbox): read with the lock for the job's own occurrence, else now.
    const snap = run.snapshot ?? (await store.loadTurn(d.user, [d.caseId], occurrence));
    const already = run.recorded !== undefined ? run.recorded : await ledger.messageOf(d.user, occurrence);
    delete run.snapshot;
    delete run.recorded;
    run.known = snap.cases[0];
    // A message of one reminder is recorded with its turn's commit, which writes no outbox.
    if (already) return this.finish(job, token, run, already);
    if (snap.outbox !== null) {
      // Decided, then the run died before recording it: the engine replays its saved result.
      const item: Item = { caseId: d.caseId, reminder: { id: d.reminderId, kind: d.kind, subject: d.subject, at: d.at }, occurrence };
      const rec = await this.compose(d.user, [item], false, snap, run);
      return rec ? this.finish(job, token, run, rec) : this.moot(d, 'nothing to say any more');
    }
    const now = clock();
    const c = snap.cases[0];
    const planned = c && c.stage !== 'closed' ? c.reminders.find((r) => r.id === d.reminderId) : undefined;
    if (!c || !planned) return this.moot(d, c ? (c.stage === 'closed' ? 'case closed' : 'no longer planned') : 'case gone');
    if (planned.at !== d.at) {
      if (Date.parse(planned.at) > now.getTime()) {
        // The date moved while this job could not be replaced (it was running): follow the plan.
        await job.updateData({ ...d, at: planned.at });
        return this.delay(job, token, Date.parse(planned.at), 'date moved later');
      }
      // Moved earlier and already due: that is another occurrence, with its own records.
      await job.updateData({ ...d, at: planned.at });
      return this.processLocked(job, token, run);
    }
    const user = snap.user;
    if (!user) return this.moot(d, 'user gone');
    // Never before its time: a job whose delay was counted on another clock (a console that
    // moved its clock with `wait`, then ended) waits for the planned instant.
    if (Date.parse(planned.at) - now.getTime() > EARLY_TOLERANCE_MS) return this.delay(job, token, Date.parse(planned.at), 'not due yet');
    const timing = deliveryTiming(planned.at, now, user.settings, this.deps.lateAfterMs);
    if (timing.kind === 'defer') return this.delay(job, token, timing.until.getTime(), 'outside working hours');
    // The platform's limit is asked before anything is decided, so a wait changes nothing.
    const budget = notifiers[d.user.platform]?.budget?.(d.user);
    if (budget) {
      const waitMs = await limiter.wait(budget);
      if (waitMs > 0) return this.delay(job, token, clock().getTime() + waitMs, 'platform send limit');
    }
    const first: Item = { caseId: d.caseId, reminder: planned, occurrence };
    const late = timing.kind === 'late';
    const items = late ? [first, ...(await this.otherOverdue(d.user, first, now))] : [first];
    const rec = await this.compose(d.user, items, late, snap, run, 'sending');
    if (rec) return this.finish(job, token, run, rec, true);
    // The turn's commit can have landed although the engine saw it lost (Redis dropped the
    // connection before answering, ioredis sent the script again, and it found its own
    // write): decided again, the reminder is moot, but the message that commit recorded waits.
    const recorded = await ledger.messageOf(d.user, occurrence);
    if (recorded) {
      this.deps.log.info({ jobId: job.id, caseId: d.caseId, reminderId: d.reminderId }, 'message recorded by a commit whose answer was lost; sending it');
      return this.finish(job, token, run, recorded);
    }
    return this.moot(d, 'nothing to say any more');
  }

  /** After downtime: every other reminder of this user that is overdue, to send in one message. */
  private async otherOverdue(user: UserRef, first: Item, now: Date): Promise<Item[]> {
    const { store, ledger } = this.deps;
    const state = await store.loadUser(user);
    if (!state) return [];
    const cases = await store.loadCases(user, state.openCases);
    const due: Item[] = [];
    for (const c of cases) {
      for (const r of c.reminders) {
        if (Date.parse(r.at) > now.getTime()) continue;
        const occurrence = occurrenceId(c.id, r.id, r.at);
        if (occurrence === first.occurrence) continue;
        if (await ledger.messageOf(user, occurrence)) continue;
        due.push({ caseId: c.id, reminder: r, occurrence });
      }
    }
    return due.sort((a, b) => a.reminder.at.localeCompare(b.reminder.at));
  }

  /** Runs each reminder through the engine and records one message; null when all were moot. */
  private async compose(user: UserRef, items: Item[], late: boolean, firstSnapshot: TurnSnapshot, run: Run, state: 'ready' | 'sending' = 'ready'): Promise<RecordedMessage | null> {
    const { engine, ledger, log } = this.deps;
    const sent: Array<OccurrenceRef & { occurrence: string }> = [];
    const parts: Reply[][] = [];
    let locale: Locale = 'en';
    for (const [i, it] of items.entries()) {
      const r = it.reminder;
      // A message of one reminder is recorded by the turn's own commit: one round trip for both.
      let planned: RecordedMessage | undefined;
      const record = (res: TurnResult) => {
        if (res.moot || res.replies.length === 0) return null;
        const id = messageKey(it.occurrence);
        const p = ledger.planned(user, id, { key: id, user, locale: res.locale, replies: res.replies }, [{ caseId: it.caseId, reminderId: r.id, occurrence: it.occurrence }], { due: r.at, late }, state);
        planned = p.message;
        return p.record;
      };
      const result = await engine.handle({
        user,
        inbound: { kind: 'reminder', caseId: it.caseId, reminderId: r.id, reminderKind: r.kind, subject: r.subject, at: r.at, late },
        outbox: it.occurrence,
        ...(i === 0 ? { preloaded: firstSnapshot } : {}),
        ...(items.length === 1 ? { record } : {}),
      });
      const mine = result.written?.find((c) => c.id === run.known?.id);
      if (mine) run.known = mine;
      if (result.recorded && planned) return planned;
      locale = result.locale;
      if (result.moot || result.replies.length === 0) {
        log.info({ caseId: it.caseId, reminderId: r.id, reason: result.moot ?? 'no replies' }, 'reminder dropped');
        continue;
      }
      parts.push(result.replies);
      sent.push({ caseId: it.caseId, reminderId: r.id, occurrence: it.occurrence });
    }
    if (sent.length === 0) return null;
    const replies: Reply[] = sent.length > 1 ? [{ kind: 'text', text: t(locale, 'reminder.collected', { count: sent.length }), tone: 'info' }] : [];
    for (const p of parts) replies.push(...p);
    const id = messageKey(sent.length > 1 ? `b.${sent[0]!.occurrence}` : sent[0]!.occurrence);
    const body: OutboundMessage = { key: id, user, locale, replies };
    const due = items.map((i) => i.reminder.at).sort()[0] ?? new Date().toISOString();
    return ledger.record(user, id, body, sent, { due, late }, state);
  }

  /** Sends a recorded message at most once, whatever happened to earlier attempts. */
  private async finish(job: Job<ReminderJobData>, token: string | undefined, run: Run, recorded: string | RecordedMessage, budgetAsked = false): Promise<DeliveryOutcome> {
    const { ledger, notifiers, limiter, clock } = this.deps;
    const user = job.data.user;
    const rec = typeof recorded === 'string' ? await ledger.load(user, recorded) : recorded;
    if (!rec || rec.state === 'sent' || rec.state === 'failed') return 'alreadySent';
    const id = rec.id;
    const notifier = notifiers[user.platform];
    if (!notifier) throw new Error(`no notifier configured for ${user.platform} in this worker`);
    const ours = rec.fresh === true && rec.state === 'sending';
    if (rec.state === 'sending' && !ours) {
      // A previous run started this send and died: ask the platform before sending again.
      const seen = await notifier.check(rec.body);
      if (seen === 'delivered') {
        await ledger.setState(user, id, 'sent');
        this.observe(rec, 'recovered');
        return 'recovered';
      }
    }
    const budget = budgetAsked ? undefined : notifier.budget?.(user);
    if (budget) {
      const waitMs = await limiter.wait(budget);
      if (waitMs > 0) return this.delay(job, token, clock().getTime() + waitMs, 'platform send limit');
    }
    if (!ours) await ledger.setState(user, id, 'sending');
    try {
      await notifier.send(rec.body);
    } catch (err) {
      return this.failed(job, token, rec, err);
    }
    // Written with the release (process): a crash before it leaves 'sending', as a crash
    // between the send and any write would, and the next run asks the platform.
    run.sent = rec;
    return 'sent';
  }

  private async failed(job: Job<ReminderJobData>, token: string | undefined, rec: RecordedMessage, err: unknown): Promise<never> {
    const { ledger, queue, log, clock } = this.deps;
    const user = job.data.user;
    const e = err instanceof DeliveryError ? err : null;
    if (e?.details.notSent || e?.kind === 'rateLimited') await ledger.setState(user, rec.id, 'ready');
    if (e?.kind === 'rateLimited') {
      const ms = Math.max(1, e.details.retryAfterMs ?? 1_000);
      log.warn({ jobId: job.id, platform: user.platform, retryAfterMs: ms, scope: e.details.scope ?? 'channel' }, 'platform rate limit');
      if (e.details.scope === 'global') {
        // The whole bot is limited: pause the queue for every worker, not just this job.
        await queue.rateLimit(ms);
        throw Worker.RateLimitError();
      }
      return this.delay(job, token, clock().getTime() + ms, 'rate limited');
    }
    const code = e?.code ?? (err instanceof Error ? err.name : 'error');
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (e?.kind === 'permanent' || lastTry) {
      await ledger.setState(user, rec.id, 'failed');
      await this.deps.engine.noteProblems(user, rec.occurrences.map((o) => ({ ...o, code })));
      log.warn({ jobId: job.id, platform: user.platform, code, attempts: job.attemptsMade + 1 }, 'reminder could not be delivered');
      this.deps.observe?.({ outcome: 'failed', platform: user.platform, count: rec.occurrences.length, reason: code });
      throw new UnrecoverableError(code);
    }
    log.warn({ jobId: job.id, platform: user.platform, code, attempt: job.attemptsMade + 1 }, 'reminder send failed; will retry');
    throw err instanceof Error ? err : new Error(String(err));
  }

  /**
   * BullMQ's own way to come back later: the job moves to the delayed set, no attempt used.
   * `until` is on the delivery's clock, BullMQ counts on the real one: the wait is carried
   * over, so a console whose clock was moved (`wait`) defers by the same span.
   */
  private async delay(job: Job<ReminderJobData>, token: string | undefined, until: number, reason: string): Promise<never> {
    this.deps.log.info({ jobId: job.id, until: new Date(until).toISOString(), reason }, 'reminder delayed');
    await job.moveToDelayed(Date.now() + Math.max(0, until - this.deps.clock().getTime()), token);
    throw new DelayedError();
  }

  private moot(d: ReminderJobData, reason: string): DeliveryOutcome {
    this.deps.log.info({ caseId: d.caseId, reminderId: d.reminderId, reason }, 'reminder dropped');
    this.deps.observe?.({ outcome: 'moot', platform: d.user.platform, count: 1, reason });
    return 'moot';
  }

  private observe(rec: RecordedMessage, outcome: 'sent' | 'recovered'): void {
    const lateMs = rec.due ? this.deps.clock().getTime() - Date.parse(rec.due) : undefined;
    this.deps.observe?.({ outcome, platform: rec.body.user.platform, count: rec.occurrences.length, late: rec.late, ...(lateMs === undefined ? {} : { lateMs }) });
  }
}
