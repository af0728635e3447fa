import { describe, expect, it } from 'vitest';
import { STEP_STAGE, type StepId } from '../src/flow/nav.js';
import { STEPS } from '../src/flow/steps.js';
import { SETTINGS_QUESTIONS } from '../src/engine/settings-flow.js';
import { t } from '../src/i18n/translate.js';
import type { Case } from '../src/model/case.js';
import type { Reply } from '../src/model/reply.js';
import { Driver } from './helpers/driver.js';

/**
 * "No question without choices or a typed form that the engine accepts": every question the
 * engine can ask is reached the way a user would get there, shown, and answered once.
 */

const MONDAY = '2026-11-23T09:30:00Z'; // 10:30 in Berlin

type Asking = Extract<Reply, { ref: unknown }>;
/** A typed line, or something else a user or the worker does (a click, a reminder). */
type Act = string | ((d: Driver) => void);

interface Scenario {
  /** How to get there from a fresh user, typed as in a DM. */
  reach: Act[];
  /** The question's id when it is not the step's own (side questions): exact or a prefix ending in ':'. */
  question?: string;
  /** The value typed into an input, or the fields of a submitted form. Choices take their first option. */
  answer?: string | Record<string, string>;
  /** What answering must have done: the next step, or a check of its own. */
  then: StepId | ((d: Driver, before: Case | undefined) => void);
}

/** A click on one of the options the engine showed, as a platform sends it. */
function clickOn(question: string | ((q: string) => boolean), value: (r: Asking) => string): (d: Driver) => void {
  return (d) => {
    const r = findAsked(d.replies, question);
    if (!r) throw new Error(`no ${String(question)} on screen`);
    d.send({ kind: 'choice', question: r.ref.question, value: value(r), ...(r.ref.caseId ? { caseId: r.ref.caseId } : {}) });
  };
}

const fire = (kind: Parameters<Driver['fire']>[0]) => (d: Driver) => void d.fire(kind);
const at = (iso: string) => (d: Driver) => void d.at(iso);

function findAsked(replies: Reply[], question: string | ((q: string) => boolean)): Asking | undefined {
  const matches = typeof question === 'function' ? question : (q: string) => (question.endsWith(':') ? q.startsWith(question) : q === question);
  return replies.find((r): r is Asking => 'ref' in r && matches(r.ref.question));
}

// The main line, each step reached from the one before with a typical answer.
const signs = ['start Acme'];
const note = [...signs, '1,8'];
const gut = [...note, 'They keep changing the scope.'];
const raised = [...gut, 'skip'];
const raisePlan = [...raised, 'Not yet'];
const coolLen = [...raised, 'Yes, and nothing changed'];
const coolWait = [...coolLen, '2']; // 3 days
const hasContract = [...coolLen, '5', '2']; // skip cooling off, twice
const clause = [...hasContract, 'yes'];
const clauseDays = [...clause, 'yes'];
const delivered = [...clauseDays, '30'];
const invoices = [...delivered, 'yes'];
const looseEnds = [...invoices, '2']; // no invoices
const channel = [...looseEnds, 'Fix the footer; Send the logo files'];
const reason = [...channel, '1'];
const talkAt = [...reason, '2'];
const noticeKind = [...talkAt, '2026-11-30 14:00'];
const projects = [...noticeKind, '1']; // two weeks → Monday 2026-12-14
const referral = [...projects, 'Website'];
const referralDetail = [...referral, '1'];
const tasks = [...referralDetail, 'Jo Bloggs'];
const letterLang = [...tasks, 'next'];
const letterSent = [...letterLang, 'English'];
const letterEarly = [...letterSent, '1']; // marked sent before the talk
const wrapWait = [...letterEarly, 'I sent it anyway'];
// The reason in the user's own words (English), the letter in German.
const letterReason = [...reason, '3', 'I am moving into product design', '2026-11-30 14:00', '1', 'Website', '1', 'Jo Bloggs', 'next', 'Deutsch'];
const wrap = [...wrapWait, 'Wrap up now'];
// Money owed past the talk: an invoice due long after it.
const moneyFirst = [...invoices, '1', '900 EUR 2027-02-01', "That's all", 'skip', '1', '2', '2026-11-30 14:00'];
const wrapWithMoney = [...moneyFirst, 'Go ahead anyway', '1', 'Website', '4', 'next', 'English', '1', 'I sent it anyway', 'Wrap up now'];

const caseOf = (d: Driver): Case => d.onlyCase();

const STEP_SCENARIOS: Record<StepId, Scenario | 'exempt'> = {
  signs: { reach: signs, then: 'note' },
  note: { reach: note, answer: 'They keep changing the scope.', then: 'gut' },
  gut: { reach: gut, answer: 'A third of my income', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'raised', gut: 'A third of my income' }) },
  raised: { reach: raised, then: 'coolLen' },
  raisePlan: { reach: raisePlan, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'raiseWait', raise: { told: false, checkOn: '2026-11-30', days: 7 } }) },
  raiseWait: { reach: [...raisePlan, '1'], then: 'coolLen' },
  raiseCheck: { reach: [...raisePlan, '1', fire('raiseCheckIn')], then: (d) => expect(caseOf(d)).toMatchObject({ step: 'coolLen', raise: { told: true } }) },
  noSign: { reach: ['start Acme', '12', 'skip'], then: (d) => expect(caseOf(d)).toMatchObject({ stage: 'closed', outcome: 'kept' }) },
  fade: { reach: ['start Acme', '4', 'skip'], then: (d) => expect(caseOf(d)).toMatchObject({ stage: 'closed', outcome: 'faded' }) },
  coolLen: { reach: coolLen, then: 'coolWait' },
  coolCustom: { reach: [...coolLen, '4'], answer: '2026-11-27 10:00', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'coolWait', coolingOffUntil: '2026-11-27T09:00:00.000Z' }) },
  coolSkip: { reach: [...coolLen, '5'], then: 'coolWait' },
  coolWait: { reach: coolWait, then: 'hasContract' },
  coolCheck: { reach: [...coolWait, fire('coolingEnd')], then: 'hasContract' },
  hasContract: { reach: hasContract, then: 'clause' },
  clause: { reach: clause, then: 'clauseDays' },
  clauseDays: { reach: clauseDays, answer: '30', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'delivered', contract: { noticeDays: 30 } }) },
  noContract: { reach: [...hasContract, 'no'], then: 'delivered' },
  delivered: { reach: delivered, then: 'invoices' },
  invoices: { reach: invoices, then: 'invoice' },
  invoice: {
    reach: [...invoices, '1'],
    answer: { amount: '800', currency: 'EUR', due: '2026-12-15' },
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'invoices', contract: { invoices: [{ amount: '800.00', currency: 'EUR', dueDate: '2026-12-15', paid: false }] } }),
  },
  looseEnds: {
    reach: looseEnds,
    answer: 'Fix the footer; Send the logo files',
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'channel', contract: { looseEnds: ['Fix the footer', 'Send the logo files'] } }),
  },
  channel: { reach: channel, then: 'reason' },
  reason: { reach: reason, then: 'talkAt' },
  reasonText: { reach: [...reason, '3'], answer: 'I am moving into product design', then: 'talkAt' },
  talkAt: { reach: talkAt, answer: '2026-11-30 14:00', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'noticeKind', conversation: { at: '2026-11-30T13:00:00.000Z' } }) },
  talkDayOff: { reach: [...talkAt, '2026-12-05 10:00'], then: (d) => expect(caseOf(d)).toMatchObject({ step: 'noticeKind', conversation: { at: '2026-12-05T09:00:00.000Z' } }) },
  moneyFirst: { reach: moneyFirst, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'talkHold', conversation: { moneyFirst: 'hold' } }) },
  talkHold: {
    reach: [...moneyFirst, "Hold the talk until I'm paid"],
    then: (d) => {
      expect(caseOf(d).step).toBe('talkAt');
      expect(caseOf(d).contract.invoices.every((i) => i.paid)).toBe(true);
    },
  },
  noticeKind: { reach: noticeKind, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'projects', notice: { kind: 'twoWeeks', lastDay: '2026-12-14' } }) },
  noticeDate: { reach: [...noticeKind, '3'], answer: '2026-12-18', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'projects', notice: { kind: 'natural', lastDay: '2026-12-18' } }) },
  noticeDays: { reach: [...noticeKind, '5'], answer: '21', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'projects', notice: { kind: 'custom', days: 21, lastDay: '2026-12-21' } }) },
  // This walk's contract asks for 30 days: that is the notice offered instead of two weeks.
  noticeLength: { reach: [...noticeKind, '5', '7'], then: (d) => expect(caseOf(d)).toMatchObject({ step: 'projects', notice: { kind: 'contract', days: 30, lastDay: '2026-12-30' } }) },
  lastDayOff: { reach: [...noticeKind, '3', '2026-12-19'], then: (d) => expect(caseOf(d)).toMatchObject({ step: 'projects', notice: { lastDay: '2026-12-19' } }) },
  projects: {
    reach: projects,
    answer: 'Website',
    then: (d) => {
      expect(caseOf(d).step).toBe('referral');
      expect(caseOf(d).tasks.map((k) => k.title).filter(Boolean)).toEqual(['Website', 'Fix the footer', 'Send the logo files']);
    },
  },
  referral: { reach: referral, then: 'referralDetail' },
  referralDetail: { reach: referralDetail, answer: 'Jo Bloggs', then: (d) => expect(caseOf(d)).toMatchObject({ step: 'tasks', referrals: [{ kind: 'colleague', detail: 'Jo Bloggs' }] }) },
  tasks: { reach: tasks, then: (d) => expect(caseOf(d).tasks[0]?.done).toBe(true) },
  taskForm: {
    reach: [...tasks, clickOn('tasks', () => 'add')],
    answer: { title: 'Send the invoice', due: '2026-12-04' },
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'tasks', tasks: expect.arrayContaining([expect.objectContaining({ kind: 'custom', title: 'Send the invoice', due: '2026-12-04' })]) }),
  },
  letterLang: { reach: letterLang, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'letterSent', letter: { language: 'en' } }) },
  letterReason: { reach: letterReason, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'letterSent', letter: { language: 'de', reasonInLetter: 'general' } }) },
  letterSent: { reach: letterSent, then: 'letterEarly' },
  letterEarly: { reach: letterEarly, then: (d) => expect(caseOf(d).letter.sentAt).toBe(d.now.toISOString()) },
  // While the notice runs the handover plan is offered first; wrapping up early is the other choice.
  wrapWait: { reach: wrapWait, answer: 'Wrap up now', then: 'wrap' },
  wrap: { reach: wrap, then: (d) => expect(caseOf(d)).toMatchObject({ step: 'wrapOpen', wrapChecks: ['invoicePaid'] }) },
  wrapOpen: { reach: [...wrap, '2'], then: (d) => expect(caseOf(d)).toMatchObject({ step: 'wrapWait', wrapRecheck: '2026-11-24' }) },
  wrapPaid: {
    reach: [...wrapWithMoney, '1'],
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'wrapOpen', wrapChecks: ['invoicePaid'], contract: { invoices: [{ paid: true }] } }),
  },
  wrapMoney: {
    reach: [...wrapWithMoney, '2,3,4', 'Close the case anyway'],
    then: (d) => {
      expect(caseOf(d)).toMatchObject({ stage: 'closed', outcome: 'done', contract: { invoices: [{ paid: true }] } });
      expect(d.text()).not.toContain('Still unpaid');
    },
  },
  closed: 'exempt',
};

/** Questions asked outside the main line: a reminder's buttons, commands, the user's own menus. */
const SIDE_SCENARIOS: Record<string, Scenario> = {
  'pay:<invoice> (payment check)': {
    reach: [...invoices, '1', '500 EUR 2026-11-25', "That's all", fire('paymentCheck')],
    question: 'pay:',
    then: (d) => expect(caseOf(d).contract.invoices[0]?.paid).toBe(true),
  },
  'task:<task> (task due)': {
    reach: [...tasks, 'add Call them | 2026-12-02', fire('taskDue')],
    question: 'task:',
    then: (d) => expect(caseOf(d).tasks.find((k) => k.title === 'Call them')).toMatchObject({ done: true, doneOn: '2026-12-02' }),
  },
  'checkin (the day after the talk)': {
    reach: [...tasks, fire('talkCheckIn')],
    question: 'checkin',
    then: (d) => expect(caseOf(d).conversation.checkIn).toBe('fine'),
  },
  'agreed (after the talk went fine)': {
    reach: [...tasks, fire('talkCheckIn'), '1'],
    question: 'agreed',
    answer: 'Last delivery on Friday; A handover call on 10 December',
    then: (d) => expect(caseOf(d).conversation.agreed).toEqual(['Last delivery on Friday', 'A handover call on 10 December']),
  },
  'letterConfirm (three working days after the letter)': {
    reach: [...wrapWait, fire('letterConfirm')],
    question: 'letterConfirm',
    then: (d) => expect(caseOf(d).letter.confirmedAt).toBe(d.now.toISOString()),
  },
  'pushback': {
    reach: [...tasks, at('2026-12-01T09:00:00Z'), 'pushback'],
    question: 'pushback',
    then: (d) => {
      expect(caseOf(d)).toMatchObject({ step: 'tasks', pushbacks: 1 });
      expect(d.replies.some((r) => r.kind === 'text' && r.tone === 'success')).toBe(true);
    },
  },
  'change (move the talk)': {
    reach: [...tasks, 'status'],
    question: 'change',
    then: (d) => expect(findAsked(d.replies, 'changeTalk')?.kind).toBe('input'),
  },
  'change (mark an invoice paid)': {
    reach: [...invoices, '1', '500 EUR 2026-12-10', "That's all", 'status'],
    question: 'change',
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'looseEnds', contract: { invoices: [{ paid: true }] } }),
  },
  'changeTalk': {
    reach: [...tasks, 'status', 'Change the talk date'],
    question: 'changeTalk',
    answer: '2026-12-01 10:00',
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'tasks', conversation: { at: '2026-12-01T09:00:00.000Z' }, notice: { lastDay: '2026-12-15' } }),
  },
  'paidWhich': {
    reach: [...invoices, '1', '500 EUR 2026-12-10', '1', '700 EUR 2026-12-20', "That's all", 'paid Acme'],
    question: 'paidWhich',
    then: (d) => expect(caseOf(d).contract.invoices.map((i) => i.paid)).toEqual([true, false]),
  },
  'tasks (the plan, while waiting for the wrap-up)': {
    reach: [...wrapWait, 'Show the handover plan'],
    question: 'tasks',
    then: (d) => expect(caseOf(d)).toMatchObject({ step: 'wrapWait', tasks: expect.arrayContaining([expect.objectContaining({ done: true })]) }),
  },
  'taskForm (a task added while waiting for the wrap-up)': {
    reach: [...wrapWait, 'Show the handover plan', clickOn('tasks', () => 'add')],
    question: 'taskForm',
    answer: { title: 'Archive the drive', due: '2026-12-10' },
    then: (d) => expect(caseOf(d).tasks.at(-1)).toMatchObject({ kind: 'custom', title: 'Archive the drive', due: '2026-12-10' }),
  },
  forget: {
    reach: [...tasks, 'forget'],
    question: 'forget',
    then: (d) => {
      expect(d.cases.size).toBe(0);
      expect(d.jobs.size).toBe(0);
    },
  },
  cancel: {
    reach: [...tasks, 'cancel Acme'],
    question: 'cancel',
    then: (d) => {
      expect(caseOf(d)).toMatchObject({ stage: 'closed', outcome: 'cancelled' });
      expect(d.user.openCases).toEqual([]);
    },
  },
  newCase: {
    reach: ['start'],
    question: 'newCase',
    answer: 'Acme',
    then: (d) => expect(caseOf(d)).toMatchObject({ client: 'Acme', step: 'signs' }),
  },
  settings: {
    reach: [...tasks, 'settings'],
    question: 'settings',
    then: (d) => expect(findAsked(d.replies, 'lang')?.kind).toBe('choices'),
  },
  lang: {
    reach: [...tasks, 'settings', 'Language'],
    question: 'lang',
    // The first option is the current language (English): kept, and the menu comes back.
    then: (d) => {
      expect(d.user.settings.locale).toBe('en');
      expect(findAsked(d.replies, 'settings')?.kind).toBe('choices');
    },
  },
  tz: {
    reach: [...tasks, 'settings', 'Time zone'],
    question: 'tz',
    answer: 'Lisbon',
    then: (d) => expect(d.user.settings).toMatchObject({ timeZone: 'Europe/Lisbon', timeZoneConfirmed: true }),
  },
  'tz (first contact, zone unknown)': {
    reach: [(d) => void d.type('start Acme')],
    question: 'tz',
    answer: 'Berlin',
    then: (d) => {
      expect(d.user.settings).toMatchObject({ timeZone: 'Europe/Berlin', timeZoneConfirmed: true });
      expect(findAsked(d.replies, 'signs')?.kind).toBe('multi');
    },
  },
  wstart: {
    // Typed as its label: "Start of working day" begins with the word `start` but is this option.
    reach: [...tasks, 'settings', 'Start of working day'],
    question: 'wstart',
    answer: '08:00',
    then: (d) => expect(d.user.settings.workdayStart).toBe('08:00'),
  },
  wdays: {
    reach: [...tasks, 'settings', 'Working days'],
    question: 'wdays',
    then: (d) => expect(d.user.settings.workdays).toEqual([1]),
  },
};

const STALE = [t('en', 'common.stale'), t('en', 'common.staleDone')];

function play(d: Driver, acts: Act[]): void {
  for (const a of acts) {
    if (typeof a === 'string') d.type(a);
    else a(d);
  }
}

/** The question on screen passes muster: something to pick from, or a typed form the engine states. */
function expectAnswerable(r: Asking): void {
  switch (r.kind) {
    case 'choices':
    case 'multi':
      expect(r.options.length).toBeGreaterThan(0);
      for (const o of r.options) expect(o.label.trim()).not.toBe('');
      expect(new Set(r.options.map((o) => o.value)).size).toBe(r.options.length);
      break;
    case 'checklist':
      expect(r.items.length + r.actions.length).toBeGreaterThan(0);
      break;
    case 'input':
      expect(r.accepts.trim()).not.toBe('');
      break;
    case 'form':
      expect(r.fields.length).toBeGreaterThan(0);
      break;
  }
}

/** Answers once: the first option, the first item of a checklist, or the scenario's typed value. */
function answer(d: Driver, r: Asking, given: Scenario['answer']): Reply[] {
  const caseId = r.ref.caseId ? { caseId: r.ref.caseId } : {};
  switch (r.kind) {
    case 'choices': {
      // A scenario may name the option by its label; else the first one.
      const option = (typeof given === 'string' && r.options.find((o) => o.label === given)) || r.options[0];
      return d.send({ kind: 'choice', question: r.ref.question, value: option?.value ?? '', ...caseId });
    }
    case 'multi':
      return d.send({ kind: 'multi', question: r.ref.question, values: [r.options[0]?.value ?? ''], ...caseId });
    case 'checklist':
      return d.send({ kind: 'choice', question: r.ref.question, value: `toggle:${r.items[0]?.id ?? ''}`, ...caseId });
    case 'input':
      if (typeof given !== 'string') throw new Error(`input ${r.ref.question} needs a typed answer in its scenario`);
      return d.type(given);
    case 'form':
      if (!given || typeof given === 'string') throw new Error(`form ${r.ref.question} needs fields in its scenario`);
      return d.send({ kind: 'submit', form: r.ref.question, fields: given, ...caseId });
  }
}

function expectAccepted(replies: Reply[]): void {
  const errors = replies.filter((r) => r.kind === 'text' && r.tone === 'error').map((r) => (r.kind === 'text' ? r.text : ''));
  expect(errors).toEqual([]);
  for (const r of replies) if (r.kind === 'text') expect(STALE).not.toContain(r.text);
}

const ASKING_KINDS = ['choices', 'multi', 'checklist', 'input', 'form'];

describe('every step the flow can wait on asks an answerable question', () => {
  const steps = Object.keys(STEP_STAGE) as StepId[];

  it('has a scenario for every step (a new step needs one here)', () => {
    const missing = steps.filter((s) => !(s in STEP_SCENARIOS));
    expect(missing).toEqual([]);
  });

  it.each(steps)('%s', (step) => {
    const scenario = STEP_SCENARIOS[step];
    expect(scenario, `no scenario for step ${step}: add one to STEP_SCENARIOS`).toBeDefined();
    if (scenario === 'exempt') return;
    const d = new Driver(MONDAY);
    play(d, scenario.reach);
    expect(caseOf(d).step).toBe(step);
    const c = caseOf(d);
    // A step asks its question when entered; a waiting step asks when the user comes back to it.
    let asked = findAsked(d.replies, step);
    if (STEPS[step].waiting) {
      expect(asked).toBeUndefined();
      d.type('status Acme');
      asked = findAsked(d.replies, step);
      expect(asked?.kind).toBe('choices');
    }
    expect(asked, `step ${step} is not on screen after: ${d.text()}`).toBeDefined();
    if (!asked) return;
    expect(ASKING_KINDS).toContain(asked.kind);
    expect(asked.ref.caseId).toBe(c.id);
    expectAnswerable(asked);
    const replies = answer(d, asked, scenario.answer);
    expectAccepted(replies);
    if (typeof scenario.then === 'string') expect(caseOf(d).step).toBe(scenario.then);
    else scenario.then(d, c);
    expect(d.cases.size === 0 || JSON.stringify(caseOf(d)) !== JSON.stringify(c)).toBe(true);
  });
});

describe('every side question can be answered', () => {
  it('covers every user-level question (a new settings question needs a scenario here)', () => {
    for (const q of ['forget', 'cancel', 'newCase', ...Object.keys(SETTINGS_QUESTIONS)]) {
      expect(Object.values(SIDE_SCENARIOS).some((s) => s.question === q), q).toBe(true);
    }
  });

  it.each(Object.keys(SIDE_SCENARIOS))('%s', (name) => {
    const scenario = SIDE_SCENARIOS[name] as Scenario;
    const hinted = name.startsWith('tz (first contact');
    const d = hinted ? new Driver(MONDAY, { locale: 'en' }) : new Driver(MONDAY);
    play(d, scenario.reach);
    const question = scenario.question ?? name;
    const asked = findAsked(d.replies, question);
    expect(asked, `${question} is not on screen after: ${d.text()}`).toBeDefined();
    if (!asked) return;
    expect(ASKING_KINDS).toContain(asked.kind);
    const c = d.cases.size === 1 ? caseOf(d) : undefined;
    if (asked.ref.caseId) expect(asked.ref.caseId).toBe(c?.id);
    expectAnswerable(asked);
    const replies = answer(d, asked, scenario.answer);
    expectAccepted(replies);
    if (typeof scenario.then === 'string') expect(caseOf(d).step).toBe(scenario.then);
    else scenario.then(d, c);
  });
});
