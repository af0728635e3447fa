import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCtx } from '../src/engine/context.js';
import { invoiceLine } from '../src/flow/invoices.js';
import { formatDate, formatMoney } from '../src/i18n/format.js';
import { t } from '../src/i18n/translate.js';
import type { Case } from '../src/model/case.js';
import type { Reply } from '../src/model/reply.js';
import type { Locale } from '../src/model/settings.js';
import { addDays, compareDates, localParts } from '../src/time/calendar.js';
import { isWithinWorkingHours } from '../src/time/working-hours.js';
import { Driver } from './helpers/driver.js';

const LINES = [
  'start Acme', 'start Beta', '1,8', '1', '2', '3', '4', '5', '10', '12', 'yes', 'no', 'skip', 'next', '30', '500',
  'done 1', 'undo 2', 'remove 3', 'add Call them | 2026-12-02', 'rename 1 X', 'date 2 2027-01-05',
  '2026-12-01 14:00', '2026-02-30', '2025-01-01', 'tomorrow 10:00', 'in 2 weeks', '1200 EUR 15.12.2026',
  'status', 'status Acme', 'list', 'letter', 'pushback', 'cancel Acme', 'settings', 'help', '/nope', 'forget', '',
  '@everyone', 'x'.repeat(300),
];
/** Money, the talk and the letter: the steps that keep what the user said from being lost. */
const LINES_KEPT = [
  'paid Acme', 'paid Acme all', 'Go ahead anyway', "Hold the talk until I'm paid", 'It has been paid',
  'The talk already happened', 'I sent it anyway', 'Not sent yet', 'It went fine', 'They pushed back',
  '2026-12-05 10:00', 'Fix the footer; Send the logo files', '900 EUR 2027-02-01',
];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Istanbul', 'Asia/Ho_Chi_Minh'];

type Action =
  | { kind: 'type'; line: string }
  | { kind: 'click'; pick: number }
  | { kind: 'fire'; pick: number }
  | { kind: 'wait'; minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...LINES).map((line) => ({ kind: 'type' as const, line })) },
  { weight: 2, arbitrary: fc.constantFrom(...LINES_KEPT).map((line) => ({ kind: 'type' as const, line })) },
  { weight: 5, arbitrary: fc.nat(50).map((pick) => ({ kind: 'click' as const, pick })) },
  { weight: 2, arbitrary: fc.nat(50).map((pick) => ({ kind: 'fire' as const, pick })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 * 24 * 60 }).map((minutes) => ({ kind: 'wait' as const, minutes })) },
);

/** A button press on one of the last replies, as a platform would send it. */
function click(d: Driver, replies: Reply[], pick: number): void {
  const options = replies.flatMap((r): Array<{ r: Reply; value: string }> =>
    r.kind === 'choices' || r.kind === 'multi' ? r.options.map((o) => ({ r, value: o.value })) : r.kind === 'checklist' ? r.items.map((i) => ({ r, value: `toggle:${i.id}` })) : [],
  );
  const asked = replies.find((r) => r.kind === 'input' || r.kind === 'form');
  if (asked && pick % 3 === 0) {
    // Answer a question that wants typing with something plausible for it.
    const future = ['2026-12-03 11:00', 'in 2 weeks', '2027-01-15', 'tomorrow 10:00'][pick % 4] ?? '';
    if (asked.kind === 'form') {
      d.send({ kind: 'submit', form: asked.ref.question, fields: { amount: '250', currency: 'EUR', due: future, title: 'Extra task' }, ...(asked.ref.caseId ? { caseId: asked.ref.caseId } : {}) });
    } else {
      d.type(asked.input === 'number' ? String(pick % 40) : asked.input === 'text' && asked.ref.question !== 'noticeDays' && asked.ref.question !== 'tz' ? 'Some words' : future);
    }
    return;
  }
  const hit = options[pick % Math.max(options.length, 1)];
  if (!hit || !('ref' in hit.r)) return;
  const ref = hit.r.ref;
  if (hit.r.kind === 'multi') d.send({ kind: 'multi', question: ref.question, values: [hit.value], ...(ref.caseId ? { caseId: ref.caseId } : {}) });
  else d.send({ kind: 'choice', question: ref.question, value: hit.value, ...(ref.caseId ? { caseId: ref.caseId } : {}) });
}

/** What one run remembers between actions, for invariants about history. */
interface RunState {
  /** Per case: the ids of its loose-end tasks and their titles, once the task list exists. */
  looseEndTasks: Map<string, Map<string, string>>;
  /** Cases whose closing said "you parted well". */
  partedWell: Set<string>;
}

/** The text before a catalog placeholder, e.g. "Paid: " for `summary.paid`. */
function prefixOf(locale: Locale, key: 'summary.paid' | 'summary.unpaid' | 'status.unpaid', param: string): string {
  return t(locale, key, { [param]: '\u0000', amount: '\u0000', due: '\u0000' }).split('\u0000')[0] ?? '';
}

/** Items listed after a prefix at the start of a line ("Paid: a; b"). */
function listed(texts: string[], prefix: string): string[] {
  return texts.flatMap((body) => body.split('\n').filter((l) => l.startsWith(prefix)).flatMap((l) => l.slice(prefix.length).split('; ')));
}

/**
 * No reply shows an invoice both paid and unpaid: the summary's "Paid:" list against its
 * "Still unpaid:" list and status's "Unpaid:" lines. An identical line may appear in both only
 * when a case really has two such invoices, one paid and one not.
 */
function checkInvoicesAgree(d: Driver, texts: string[]): void {
  const locale = d.user.settings.locale;
  const paidP = prefixOf(locale, 'summary.paid', 'list');
  const unpaidP = prefixOf(locale, 'summary.unpaid', 'list');
  const statusP = prefixOf(locale, 'status.unpaid', 'amount');
  if (!texts.some((b) => b.includes(paidP) || b.includes(unpaidP) || b.includes(statusP))) return;
  const paidItems = new Set(listed(texts, paidP));
  const unpaidItems = new Set(listed(texts, unpaidP));
  const lines = new Set(texts.flatMap((b) => b.split('\n')));
  const x = makeCtx(d.now, { settings: d.user.settings, history: d.user.history });
  const states = new Map<string, Set<boolean>>();
  const shown: Array<{ line: string; status: string }> = [];
  for (const c of d.cases.values()) {
    for (const inv of c.contract.invoices) {
      const line = invoiceLine(c, x, inv.id);
      const status = t(locale, 'status.unpaid', { amount: formatMoney(locale, inv.amount, inv.currency), due: formatDate(locale, inv.dueDate) });
      states.set(line, (states.get(line) ?? new Set()).add(inv.paid));
      shown.push({ line, status });
    }
  }
  for (const { line, status } of shown) {
    const asPaid = paidItems.has(line);
    const asUnpaid = unpaidItems.has(line) || lines.has(status);
    if (asPaid && asUnpaid) expect(states.get(line)?.size, `${line} shown as paid and unpaid:\n${texts.join('\n')}`).toBe(2);
  }
}

function openOrUnpaid(c: Case): string[] {
  return [...c.contract.invoices.filter((i) => !i.paid).map((i) => `unpaid ${i.id}`), ...c.tasks.filter((k) => !k.done).map((k) => `open ${k.id}`)];
}

function checkInvariants(d: Driver, effectsBefore: number, line: string | null, run: RunState, fresh: boolean): void {
  const s = d.user.settings;
  for (const e of d.effects.slice(effectsBefore)) {
    if (e.kind !== 'schedule') continue;
    // Every reminder scheduled is in the future and inside the user's working hours.
    expect(Date.parse(e.reminder.at)).toBeGreaterThan(d.now.getTime());
    expect(isWithinWorkingHours(new Date(e.reminder.at), s)).toBe(true);
  }
  // Only what this action said: after a wait (or a click on nothing) the screen is an older turn's.
  const texts = fresh ? d.replies.flatMap((r) => (r.kind === 'text' ? [r.text] : [])) : [];
  checkInvoicesAgree(d, texts);
  // "You parted well" only for a case just closed as done with nothing owed and nothing open.
  for (const c of d.cases.values()) {
    if (!texts.includes(t(s.locale, 'outcome.done', { client: c.client }))) continue;
    if (c.outcome === 'done' && c.closedAt === d.now.toISOString()) run.partedWell.add(c.id);
  }
  if (texts.some((b) => b.includes(t(s.locale, 'outcome.done', { client: '\u0000' }).split('\u0000')[1] ?? '\u0000'))) {
    expect([...d.cases.values()].some((c) => run.partedWell.has(c.id) && c.closedAt === d.now.toISOString())).toBe(true);
  }
  const renamed = line !== null && /^rename /.test(line);
  const removed = line !== null && /^remove /.test(line);
  for (const c of d.cases.values()) {
    if (c.notice.lastDay && c.conversation.at) {
      expect(compareDates(c.notice.lastDay, localParts(new Date(c.conversation.at), s.timeZone).date)).toBeGreaterThanOrEqual(0);
    }
    const caseJobs = [...d.jobs.values()].filter((j) => j.caseId === c.id);
    const jobs = caseJobs.map((j) => `${j.id}@${j.at}`).sort();
    const planned = c.reminders.map((r) => `${r.id}@${r.at}`).sort();
    // The jobs mirror the case's plan exactly; a closed case has none.
    expect(jobs).toEqual(planned);
    if (c.stage === 'closed') expect(jobs).toEqual([]);
    // The wrap-up is never planned before the day after the last day: a "remind me tomorrow"
    // during an early wrap-up does not pull it forward (the early wrap-up itself is the user's
    // own "Wrap up now", which plans nothing).
    for (const j of caseJobs.filter((k) => k.kind === 'wrapUp')) {
      // Without a last day (a moved talk cleared the notice) there is no wrap-up to plan at all.
      expect(c.notice.lastDay).toBeDefined();
      if (c.notice.lastDay) expect(compareDates(localParts(new Date(j.at), s.timeZone).date, addDays(c.notice.lastDay, 1))).toBeGreaterThanOrEqual(0);
    }
    // A talk on hold for the money has nothing planned around it.
    if (c.step === 'talkHold') expect(caseJobs.filter((j) => j.kind === 'conversationPrep' || j.kind === 'talkCheckIn')).toEqual([]);
    // A case that parted well owes nothing and has nothing open, then and later.
    if (run.partedWell.has(c.id)) {
      expect(c).toMatchObject({ stage: 'closed', outcome: 'done' });
      expect(openOrUnpaid(c)).toEqual([]);
    }
    // Every loose end becomes a task when the task list is made, and stays one: its task
    // leaves only by "remove", and its title changes only by "rename".
    const known = run.looseEndTasks.get(c.id);
    const now = new Map(c.tasks.filter((k) => k.kind === 'looseEnd').map((k) => [k.id, k.title ?? '']));
    if (!known && c.tasks.length > 0) {
      expect([...now.values()]).toEqual(c.contract.looseEnds);
      run.looseEndTasks.set(c.id, now);
      if (c.contract.looseEnds.length) seededLooseEnds.count += 1;
    } else if (known) {
      for (const [id, title] of known) {
        if (!now.has(id)) expect(removed, `loose-end task ${title} vanished after ${line ?? 'a click'}`).toBe(true);
        else if (now.get(id) !== title) expect(renamed, `loose-end task ${title} renamed by ${line ?? 'a click'}`).toBe(true);
      }
      for (const id of now.keys()) expect(known.has(id)).toBe(true);
      run.looseEndTasks.set(c.id, now);
    }
  }
  for (const id of d.user.openCases) expect(d.cases.get(id)?.stage).not.toBe('closed');
}

/** How often a walk seeded tasks from typed loose ends: the invariant above must have bitten. */
const seededLooseEnds = { count: 0 };

/** What the walks reached, for the coverage checks: stages (closed by outcome) and steps. */
interface Reached {
  stages: Set<string>;
  steps: Set<string>;
  /** Closings that said "you parted well", and summaries or statuses that listed invoices. */
  partedWell: number;
  invoiceLists: number;
}

function newReached(): Reached {
  return { stages: new Set(), steps: new Set(), partedWell: 0, invoiceLists: 0 };
}

/** Runs one walk: typed lines first (a realistic start), then the random actions, checking after each. */
function walk(zone: string, prefix: readonly string[], actions: Action[], reached: Reached): void {
  const d = new Driver('2026-11-23T09:30:00Z', { locale: 'en', timeZone: zone });
  let replies: Reply[] = [];
  const run: RunState = { looseEndTasks: new Map(), partedWell: new Set() };
  const all: Action[] = [...prefix.map((line) => ({ kind: 'type' as const, line })), ...actions];
  for (const a of all) {
    const before = d.effects.length;
    const shown = d.replies;
    if (a.kind === 'type') replies = d.type(a.line);
    else if (a.kind === 'click') click(d, replies, a.pick);
    else if (a.kind === 'wait') d.at(new Date(d.now.getTime() + a.minutes * 60_000).toISOString());
    else {
      const jobs = [...d.jobs.values()];
      const job = jobs[a.pick % Math.max(jobs.length, 1)];
      if (job) {
        const late = Date.parse(job.at) < d.now.getTime();
        replies = d.fire(job.kind, job.caseId, late);
      }
    }
    if (a.kind === 'click') replies = d.replies;
    if (d.cases.size === 0) {
      // "forget" deleted everything: nothing to remember about earlier cases.
      run.looseEndTasks.clear();
      run.partedWell.clear();
    }
    const parted = run.partedWell.size;
    const fresh = d.replies !== shown;
    checkInvariants(d, before, a.kind === 'type' ? a.line : null, run, fresh);
    if (run.partedWell.size > parted) reached.partedWell += 1;
    if (fresh && d.replies.some((r) => r.kind === 'text' && /^(Paid|Still unpaid|Unpaid): /m.test(r.text))) reached.invoiceLists += 1;
    for (const c of d.cases.values()) {
      reached.stages.add(c.stage === 'closed' ? `closed:${c.outcome}` : c.stage);
      reached.steps.add(c.step);
    }
  }
}

const SEED = Number(process.env.PROPERTY_SEED ?? 20261123);

/** Realistic starts: money owed past the talk (gone ahead, or held), and a plain case at its handover. */
const TO_MONEY_FIRST = [
  'start Acme', '1,8', 'skip', 'skip', '1', '5', '2', 'yes', 'yes', '30', 'yes', '1', '900 EUR 2027-02-01', "That's all",
  'Fix the footer; Send the logo files', '1', '2', '2026-11-30 14:00',
];
const PREFIXES: readonly (readonly string[])[] = [
  [...TO_MONEY_FIRST, 'Go ahead anyway', '1', 'Website', '4', 'next', 'English', '1', 'I sent it anyway'],
  [...TO_MONEY_FIRST, "Hold the talk until I'm paid"],
  [...TO_MONEY_FIRST, 'Go ahead anyway', '3', '2026-12-19', '1', 'Website', '1', 'Jo Bloggs'],
  // A week's notice under a 30-day clause: the length question, then on.
  [...TO_MONEY_FIRST, 'Go ahead anyway', '5', '7'],
  ['start Acme', '1,8', 'skip', 'skip', '1', '5', '2', 'no', '1', 'no', '2', 'Fix the footer; Send the logo files', '1', '2', '2026-12-05 10:00'],
];
/** Late in a case: what a user says while money, the letter or the wrap-up is open. */
const LATE_LINES = ['Wrap up now', 'Close the case anyway', '1,2,3,4', '2,3,4', 'Close it without the payment', 'Show the handover plan', 'Remind me tomorrow', 'Those tasks are done too'];
const lateAction: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: action },
  { weight: 2, arbitrary: fc.constantFrom(...LATE_LINES).map((line) => ({ kind: 'type' as const, line })) },
);

describe('random event sequences (property)', () => {
  it('never throws, never plans a last day before the talk, keeps reminders future, in working hours, and mirrored', () => {
    const reached = newReached();
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.array(action, { minLength: 20, maxLength: 150, size: 'max' }), (zone, actions) => {
        walk(zone, [], actions, reached);
      }),
      // A fixed seed keeps CI reproducible (the coverage check below must not flake);
      // PROPERTY_SEED=<n> explores other sequences.
      { numRuns: 400, seed: SEED },
    );
    // The random walks must really get through the flow, or the property proves little.
    for (const stage of ['assess', 'cooling', 'contract', 'conversation', 'notice', 'handover', 'letter', 'wrapup', 'closed:kept', 'closed:improved', 'closed:cancelled']) {
      expect(reached.stages).toContain(stage);
    }
    for (const step of ['gut', 'raised', 'raisePlan', 'raiseWait', 'moneyFirst', 'talkHold']) expect(reached.steps).toContain(step);
  });

  it('from a realistic start (money owed, a talk on hold, a handover under way), nothing said is lost or contradicted', () => {
    const reached = newReached();
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.constantFrom(...PREFIXES), fc.array(lateAction, { minLength: 10, maxLength: 80, size: 'max' }), (zone, prefix, actions) => {
        walk(zone, prefix, actions, reached);
      }),
      { numRuns: 150, seed: SEED },
    );
    // These walks must reach the money, letter and wrap-up steps, and the invariants must have bitten.
    for (const step of ['moneyFirst', 'talkHold', 'talkDayOff', 'lastDayOff', 'noticeLength', 'letterEarly', 'wrapPaid', 'wrapOpen', 'wrapMoney']) {
      expect(reached.steps).toContain(step);
    }
    expect(reached.stages).toContain('closed:done');
    expect(reached.partedWell).toBeGreaterThan(0);
    expect(reached.invoiceLists).toBeGreaterThan(0);
    expect(seededLooseEnds.count).toBeGreaterThan(0);
  });
});
