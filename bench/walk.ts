import { Engine } from '../src/engine/engine.js';
import { recordOnly } from '../src/engine/effects.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { Case, ReminderKind } from '../src/model/case.js';
import type { Inbound } from '../src/model/inbound.js';
import type { UserRef, UserState } from '../src/model/user.js';
import type { Store } from '../src/store/store.js';

/** Same start as test/flow-walk.test.ts: a Monday morning in Berlin. */
export const MONDAY = '2026-11-23T09:30:00Z';
export const HINTS = { locale: 'en', timeZone: 'Europe/Berlin' } as const;

type Action =
  | { type: string }
  | { invoice: Record<string, string> }
  | { fire: ReminderKind };

/**
 * The answers of test/flow-walk.test.ts up to the handover checklist, plus a second invoice
 * and one added task: a realistic mid-flow case (12 tasks, 2 invoices, talk and notice set).
 */
const TO_TASKS: readonly Action[] = [
  { type: 'start Acme GmbH' },
  { type: '1,2,8' },
  { type: 'They keep changing the scope.' },
  { type: 'skip' },
  { type: 'Yes, and nothing changed' },
  { type: '2' },
  { fire: 'coolingEnd' },
  { type: '1' },
  { type: 'yes' },
  { type: 'yes' },
  { type: '30' },
  { type: 'no' },
  { type: '1' },
  { invoice: { amount: '1.200,50', currency: 'eur', due: '15.12.2026' } },
  { type: '1' },
  { invoice: { amount: '480', currency: 'eur', due: '20.12.2026' } },
  { type: "That's all" },
  { type: 'skip' },
  { type: 'Video call' },
  { type: '1' },
  { type: '2026-11-30 14:00' },
  { type: 'Go ahead anyway' },
  { type: '1' },
  { type: 'Website redesign\nNewsletter template' },
  { type: '2' },
  { type: 'add Archive the shared drive | 2026-12-10' },
];

/** From the checklist to a closed, well-ended case (as flow-walk ends). */
const TO_CLOSED: readonly Action[] = [
  { type: 'done 4' },
  { type: 'date 2 2026-12-02' },
  { type: 'remove 1' },
  { type: 'next' },
  { type: 'Deutsch' },
  { type: '1' },
  { fire: 'wrapUp' },
  { type: '1,2,3,4' },
  // "Final invoice paid" names the two recorded invoices: yes, both are paid.
  { type: '1' },
  // The tasks still open in the list were done too: the case closes, parted well.
  { type: 'Those tasks are done too' },
];

/** One user walking their case through the real Engine and store, with their own clock. */
export class Walker {
  now = new Date(MONDAY);
  readonly engine: Engine;

  constructor(
    readonly store: Store,
    readonly ref: UserRef,
  ) {
    this.engine = new Engine({ store, effects: recordOnly, clock: () => this.now });
  }

  async user(): Promise<UserState> {
    const u = await this.store.loadUser(this.ref);
    if (!u) throw new Error(`no user record for ${this.ref.id}`);
    return u;
  }

  /** The user's one case, open or closed. */
  async theCase(): Promise<Case> {
    const u = await this.user();
    const id = u.openCases[0] ?? u.history[0]?.caseId;
    const c = id ? await this.store.loadCase(this.ref, id) : null;
    if (!c) throw new Error(`no case for ${this.ref.id}`);
    return c;
  }

  async send(inbound: Inbound): Promise<void> {
    await this.engine.handle({ user: this.ref, inbound, hints: HINTS });
  }

  private async run(actions: readonly Action[]): Promise<void> {
    for (const a of actions) {
      if ('type' in a) {
        await this.send(parseTyped(a.type));
      } else if ('invoice' in a) {
        const c = await this.theCase();
        await this.send({ kind: 'submit', caseId: c.id, form: 'invoice', fields: a.invoice });
      } else {
        // As the reminder worker would: at the planned time, built from the case's own plan.
        const c = await this.theCase();
        const r = c.reminders.find((k) => k.kind === a.fire);
        if (!r) throw new Error(`no ${a.fire} reminder planned; have ${c.reminders.map((k) => k.id).join(', ')}`);
        this.now = new Date(r.at);
        await this.send({ kind: 'reminder', caseId: c.id, reminderId: r.id, reminderKind: r.kind, subject: r.subject, at: r.at, late: false });
      }
    }
  }

  async toTasks(): Promise<Case> {
    await this.run(TO_TASKS);
    const c = await this.theCase();
    if (c.step !== 'tasks' || c.tasks.length !== 12 || c.contract.invoices.length !== 2 || !c.notice.lastDay || !c.conversation.at) {
      throw new Error(
        `walk did not reach the expected mid-flow case: step=${c.step} tasks=${c.tasks.length} invoices=${c.contract.invoices.length}`,
      );
    }
    return c;
  }

  async toClosed(): Promise<Case> {
    await this.run(TO_CLOSED);
    const c = await this.theCase();
    if (c.stage !== 'closed' || c.outcome !== 'done') throw new Error(`walk did not close the case: stage=${c.stage} step=${c.step}`);
    return c;
  }

  /** Number of turns a full walk takes (setup cost, for progress messages). */
  static readonly turnsToTasks = TO_TASKS.length;
}
