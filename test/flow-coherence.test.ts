import { describe, expect, it } from 'vitest';
import { draftLetter } from '../src/engine/letter.js';
import { overviewReplies } from '../src/engine/overview.js';
import { LOCALES } from '../src/model/settings.js';
import { wrapUpDay } from '../src/flow/letter.js';
import type { Case } from '../src/model/case.js';
import { Driver } from './helpers/driver.js';

const MONDAY = '2026-11-23T09:30:00Z'; // 10:30 in Berlin

/** A case at the talk-date question, with one unpaid invoice (and loose ends when given). */
function atTalk(invoice: string | null, looseEnds = 'skip', d = new Driver(MONDAY)): Driver {
  for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes']) d.type(line);
  if (invoice) {
    d.type('1');
    d.type(invoice);
  }
  d.type(invoice ? "That's all" : '2');
  d.type(looseEnds);
  d.type('2'); // call
  d.type('1'); // reason
  expect(d.onlyCase().step).toBe('talkAt');
  return d;
}

/** On from the talk date to the task list: two weeks' notice, one project, no referral. */
function toTasks(d: Driver): Driver {
  for (const line of ['1', 'Website', 'No one comes to mind']) d.type(line);
  expect(d.onlyCase().step).toBe('tasks');
  return d;
}

const jobsOf = (d: Driver, kind: string) => [...d.jobs.values()].filter((j) => j.kind === kind);

describe('invoices are first-class', () => {
  it('paid <client> marks the only unpaid invoice paid and stops its payment check', () => {
    const d = atTalk('1200 EUR 2026-11-27');
    expect(jobsOf(d, 'paymentCheck')).toHaveLength(1);
    d.type('paid Acme');
    expect(d.text()).toContain('Marked as paid: $1,200.00'.replace('$', '€'));
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
    expect(jobsOf(d, 'paymentCheck')).toHaveLength(0);
    // The question the user was on comes back.
    expect(d.text()).toContain('When will you talk to Acme');
  });

  it('with several unpaid invoices, paid asks which; "paid <client> all" marks every one', () => {
    const d = atTalk('500 EUR 2026-11-27');
    d.type('paid Acme');
    d.type('paid Acme');
    expect(d.text()).toContain('No unpaid invoice is recorded for Acme');
    const e = new Driver(MONDAY);
    for (const line of ['start Acme GmbH', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1', '500 EUR 2026-11-27', '1', '700 EUR 2026-11-28']) e.type(line);
    e.type('paid Acme GmbH');
    expect(e.text()).toContain('Which invoice from Acme GmbH has been paid?');
    expect(e.text()).toContain('€700.00, due Saturday, November 28, 2026');
    e.type('2'); // the second invoice
    expect(e.onlyCase().contract.invoices.map((i) => i.paid)).toEqual([false, true]);
    e.type('1'); // back at the invoices question: add another
    e.type('300 EUR 2026-11-30');
    e.type('paid Acme GmbH all');
    expect(e.onlyCase().contract.invoices.every((i) => i.paid)).toBe(true);
  });

  it('status offers "Mark paid" for each unpaid invoice, in the one list of actions', () => {
    const d = atTalk('1200 EUR 2026-11-27');
    d.type('2026-11-30 10:00'); // after the due date: nothing to hold
    toTasks(d);
    d.type('status Acme');
    const actions = d.replies.find((r) => r.kind === 'choices' && r.ref.question === 'change');
    expect(actions?.kind === 'choices' && actions.options.map((o) => o.label)).toEqual(['Change the talk date', 'Change the last day', 'Mark paid: €1,200.00', 'Export calendar and packet']);
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'change', value: 'paid:i1' });
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
    expect(d.text()).toContain('Marked as paid');
    // Paid stays on the record, with the day it was marked, instead of vanishing from status.
    d.type('status Acme');
    expect(d.text()).toContain('Paid: €1,200.00 (marked on Monday, November 23, 2026)');
    expect(d.text()).not.toContain('Unpaid:');
  });

  it('the App Home carries a Mark paid button that is a command line', () => {
    const d = atTalk('1200 EUR 2026-11-27');
    const home = overviewReplies(d.user, [...d.cases.values()], d.now);
    const button = home.flatMap((r) => (r.kind === 'choices' ? r.options : [])).find((o) => o.label.startsWith('Mark paid'));
    expect(button?.value).toBe('paid Acme i1');
    d.type(button?.value ?? '');
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
  });

  it('a payment reminder still takes Paid / Not yet', () => {
    const d = atTalk('1200 EUR 2026-11-24');
    d.fire('paymentCheck');
    d.type('Paid');
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
  });
});

describe('an invoice due on a day off', () => {
  it('says the payment check comes the next working morning, when it really does', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1']) d.type(line);
    d.type('1200 EUR 2026-12-20'); // a Sunday
    expect(d.text()).toContain('That is not one of your working days, so I\'ll ask');
    expect(d.text()).not.toContain('on its due date');
    expect(jobsOf(d, 'paymentCheck').map((j) => j.at)).toEqual(['2026-12-21T08:00:00.000Z']);
  });
});

describe('"paid" as people say it, with the client\'s name', () => {
  it('"bezahlt Acme", "ödendi Acme" mark the invoice paid; a note that starts with the word stays a note', () => {
    for (const said of ['bezahlt Acme', 'ödendi Acme', 'payé Acme', 'đã thanh toán Acme']) {
      const d = atTalk('1200 EUR 2026-12-15');
      d.type(said);
      expect(d.onlyCase().contract.invoices[0]?.paid, said).toBe(true);
    }
    const d = new Driver(MONDAY);
    d.type('start Acme');
    d.type('1,8');
    d.type('Bezahlt wird immer zu spät');
    expect(d.onlyCase().note).toBe('Bezahlt wird immer zu spät');
  });
});

describe('an invoice typed whole into one field of the form', () => {
  it('is read as the whole invoice, not as a wrong currency', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1']) d.type(line);
    expect(d.onlyCase().step).toBe('invoice');
    const replies = d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '1', currency: '3,450.50 EUR 18.12.2026', due: '' } });
    expect(d.onlyCase().contract.invoices).toMatchObject([{ amount: '3450.50', currency: 'EUR', dueDate: '2026-12-18' }]);
    expect(replies.filter((r) => r.kind === 'text' && r.tone === 'error')).toEqual([]);
  });
});

describe('status before the handover plan exists', () => {
  it('shows the loose ends typed at the contract check', () => {
    const d = atTalk(null, 'Send the logo files; return the office keys');
    d.type('status Acme');
    expect(d.text()).toContain('Loose ends: Send the logo files; Return the office keys');
  });
});

describe('money first', () => {
  it('a talk before the invoice is due: offers to hold it; held, the talk date is asked again once paid', () => {
    const d = atTalk('1200 EUR 2026-12-15');
    d.type('2026-11-30 14:00');
    expect(d.onlyCase().step).toBe('moneyFirst');
    expect(d.text()).toContain('€1,200.00, due Tuesday, December 15, 2026');
    d.type('Hold the talk until I\'m paid');
    const held = d.onlyCase();
    expect(held.step).toBe('talkHold');
    expect(held.conversation.at).toBeUndefined();
    expect(jobsOf(d, 'conversationPrep')).toHaveLength(0);
    expect(jobsOf(d, 'paymentCheck').map((j) => j.at)).toEqual(['2026-12-15T08:00:00.000Z']);
    expect(d.text()).toContain('Tue, Dec 15, 2026');
    // The time they had typed is not lost: status shows it, and it comes back with the question.
    d.type('status Acme');
    expect(d.text()).toContain('Talk: on hold until you are paid (planned for Mon, Nov 30, 2026, 2:00 PM before that)');
    d.fire('paymentCheck');
    d.type('Paid');
    expect(d.onlyCase().step).toBe('talkAt');
    expect(d.text()).toContain('the talk with Acme can go ahead');
    expect(d.text()).toContain('Before the hold you had planned it for Mon, Nov 30, 2026, 2:00 PM.');
    expect(d.text()).toContain('When will you talk to Acme');
    d.type('2026-12-17 10:00');
    expect(d.onlyCase().step).toBe('noticeKind');
    expect(d.onlyCase().conversation).not.toHaveProperty('heldAt');
  });

  it('an overdue invoice counts too; "go ahead" is recorded and the letter lists it with its due date', () => {
    const d = atTalk('800 EUR 2026-11-10');
    d.type('2026-11-30 14:00');
    expect(d.onlyCase().step).toBe('moneyFirst');
    d.type('Go ahead anyway');
    expect(d.onlyCase().conversation.moneyFirst).toBe('goAhead');
    expect(d.onlyCase().step).toBe('noticeKind');
    toTasks(d);
    expect(draftLetter(d.onlyCase(), 'en')).toContain('€800.00, due Tuesday, November 10, 2026');
  });

  it('an invoice due before the talk does not hold anything', () => {
    const d = atTalk('800 EUR 2026-11-25');
    d.type('2026-11-30 14:00');
    expect(d.onlyCase().step).toBe('noticeKind');
  });

  it('one of two invoices paid: says the talk still waits for the other, and until when', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1', '1200 EUR 2026-12-15', '1', '500 EUR 2027-01-15', "That's all", 'skip', '2', '1']) d.type(line);
    d.type('2026-11-30 14:00');
    d.type('1'); // hold
    d.type('paid Acme i1');
    expect(d.onlyCase().step).toBe('talkHold');
    expect(d.text()).toContain('Marked as paid: €1,200.00');
    expect(d.text()).toContain('The talk with Acme stays on hold for the rest:\n• €500.00, due Friday, January 15, 2027\nNext payment check: Fri, Jan 15, 2027, 9:00 AM.');
  });

  it('a held talk can be set anyway from its waiting question', () => {
    const d = atTalk('1200 EUR 2026-12-15');
    d.type('2026-11-30 14:00');
    d.type('1'); // hold
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'talkHold', value: 'goAhead' });
    expect(d.onlyCase().step).toBe('talkAt');
    d.type('2026-11-30 14:00');
    expect(d.onlyCase().step).toBe('noticeKind');
  });
});

/** A case whose wrap-up is due, with an unpaid invoice due on 15 December. */
function atWrapUp(): Driver {
  const d = atTalk('1200 EUR 2026-12-15');
  d.type('2026-11-30 14:00');
  d.type('Go ahead anyway');
  toTasks(d);
  for (const line of ['next', 'English', '1', 'I sent it anyway']) d.type(line);
  expect(d.onlyCase().step).toBe('wrapWait');
  d.fire('wrapUp');
  return d;
}

describe('wrap-up and the closing summary', () => {
  it('"Final invoice paid" names the recorded invoice; confirmed, it is paid and the final-invoice task is done', () => {
    const d = atWrapUp();
    d.type('1,2,3,4');
    expect(d.onlyCase().step).toBe('wrapPaid');
    expect(d.text()).toContain('€1,200.00, due Tuesday, December 15, 2026');
    d.type('yes');
    const c = d.onlyCase();
    expect(c.contract.invoices[0]?.paid).toBe(true);
    expect(c.tasks.find((t) => t.kind === 'finalInvoice')?.done).toBe(true);
    expect(c.tasks.find((t) => t.kind === 'revokeAccess')?.done).toBe(true);
  });

  it('left unpaid, the case waits for the money with its payment check, and never says "parted well"', () => {
    const d = atWrapUp();
    d.type('2,3,4'); // not the invoice
    d.type('Those tasks are done too');
    expect(d.onlyCase().step).toBe('wrapOpen');
    d.type('Close the case anyway');
    const c = d.onlyCase();
    expect(c.stage).toBe('wrapup');
    expect(c.step).toBe('wrapMoney');
    expect(d.user.openCases).toEqual([c.id]);
    expect(d.text()).toContain('Still unpaid: €1,200.00');
    expect(d.text()).not.toContain('parted well');
    expect(jobsOf(d, 'paymentCheck')).toHaveLength(1);
    // Listed as what it is now: not a wrap-up any more, a wait for the money.
    d.type('list');
    expect(d.text()).toContain('Acme: Waiting for payment');
    // The payment comes in: now it is a clean ending.
    d.type('paid Acme');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'done' });
    expect(d.text()).toContain('Paid: €1,200.00');
    expect(d.text()).not.toContain('Still unpaid');
  });

  it('answering "no" to the invoice confirmation keeps it unpaid and checked', () => {
    const d = atWrapUp();
    d.type('1,2,3,4');
    d.type('no');
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(false);
    expect(d.onlyCase().wrapChecks).not.toContain('invoicePaid');
    expect(jobsOf(d, 'paymentCheck')).toHaveLength(1);
  });

  it('written off, the closing says what stays unpaid and that no reminder follows', () => {
    const d = atWrapUp();
    d.type('2,3,4');
    d.type('Close the case anyway');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'wrapMoney', value: 'writeOff' });
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'done' });
    expect(d.text()).toContain("Still unpaid: €1,200.00, due Tuesday, December 15, 2026. I won't remind you");
    expect(d.jobs.size).toBe(0);
  });

  it('an early wrap-up\'s "remind me" never moves the wrap-up before the last day', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    for (const line of ['next', 'English', '1', 'I sent it anyway']) d.type(line);
    const planned = jobsOf(d, 'wrapUp')[0]?.at;
    expect(planned).toBe('2026-12-15T08:00:00.000Z'); // the day after the last day, 14 December
    d.type('Wrap up now');
    d.type('4');
    const later = d.replies.flatMap((r) => (r.kind === 'choices' ? r.options : [])).find((o) => o.value === 'later');
    expect(later?.label).toBe('Remind me on Tuesday, December 15, 2026');
    d.type('1');
    expect(jobsOf(d, 'wrapUp')[0]?.at).toBe(planned);
    expect(d.text()).toContain('on Tue, Dec 15, 2026');
  });
  it('a talk moved after an early "remind me" clears the wrap-up until the notice is given again', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    for (const line of ['next', 'English', '1', 'I sent it anyway', 'Wrap up now', '4', '1']) d.type(line);
    expect(d.onlyCase().wrapRecheck).toBeDefined();
    d.fire('talkCheckIn');
    d.type('It was moved');
    d.type('2026-12-21 11:00');
    // Two weeks' notice from the new talk: the wrap-up follows the new last day, not "tomorrow".
    expect(d.onlyCase().notice.lastDay).toBe('2027-01-04');
    expect(jobsOf(d, 'wrapUp')[0]?.at).toBe('2027-01-05T08:00:00.000Z');
  });

  it('with no last day left (the notice was cleared), no wrap-up is planned even after an early "remind me"', () => {
    const c = { notice: { previousLastDay: '2026-12-14' }, wrapRecheck: '2026-12-02' } as unknown as Case;
    expect(wrapUpDay(c)).toBeNull();
    expect(wrapUpDay({ ...c, notice: { lastDay: '2026-12-14' } } as Case)).toBe('2026-12-15');
    expect(wrapUpDay({ ...c, notice: { lastDay: '2026-11-30' } } as Case)).toBe('2026-12-02');
  });
});

describe('loose ends and tasks', () => {
  it('the person named for the referral is in the refer task, wherever the task shows', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    for (const line of ['1', 'Website', '1', 'Jo Bloggs']) d.type(line);
    expect(d.onlyCase().step).toBe('tasks');
    expect(d.text()).toContain('Recommend Jo Bloggs to take over');
    d.type('status Acme');
    expect(d.text()).toContain('  • Recommend Jo Bloggs to take over (Dec 14)');
    expect(d.text()).not.toContain('Refer someone who could take over');
  });

  it('each loose end becomes a task due on the last day, in status, the letter and the summary', () => {
    const d = atTalk(null, 'Fix the footer; Send the logo files');
    expect(d.onlyCase().contract.looseEnds).toEqual(['Fix the footer', 'Send the logo files']);
    d.type('2026-11-30 14:00');
    toTasks(d);
    const ends = d.onlyCase().tasks.filter((t) => t.kind === 'looseEnd');
    expect(ends.map((t) => [t.title, t.due])).toEqual([
      ['Fix the footer', '2026-12-14'],
      ['Send the logo files', '2026-12-14'],
    ]);
    d.type('status Acme');
    expect(d.text()).toContain('Fix the footer (Dec 14)');
    for (const lang of LOCALES) {
      const letter = draftLetter(d.onlyCase(), lang);
      expect(letter, lang).toContain('Fix the footer');
      expect(letter, lang).toContain('Send the logo files');
    }
  });

  it('custom and renamed tasks appear in the letter as written; done ones show when they were done', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    d.type('add Migrate the mailing list | 2026-12-10');
    const n = d.onlyCase().tasks.findIndex((t) => t.kind === 'interimTools') + 1;
    d.type(`rename ${n} Set them up with a shared Trello board`);
    const letter = draftLetter(d.onlyCase(), 'de');
    expect(letter).toContain('Migrate the mailing list');
    expect(letter).toContain('Set them up with a shared Trello board');
    d.at('2026-11-25T10:00:00Z');
    d.type('done 1');
    const list = d.replies.find((r) => r.kind === 'checklist');
    expect(list?.kind === 'checklist' && list.items[0]?.due).toBe('done Nov 25');
  });

  it('a list longer than kept says how many were kept', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '2']) d.type(line);
    d.type(Array.from({ length: 10_000 }, (_, i) => `item ${i}`).join(';'));
    expect(d.text()).toContain('You listed 10000 items; I kept the first 15');
    expect(d.onlyCase().contract.looseEnds).toHaveLength(15);
  });
});

describe('dates stay right', () => {
  it('notice counted in days that ends on a day off says why the last day is the next working day', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    d.type('Something else…');
    d.type('13');
    expect(d.onlyCase().notice.lastDay).toBe('2026-12-14');
    expect(d.text()).toContain('Counted from the talk, the notice ends on Sunday, December 13, 2026, which is not one of your working days, so your last day is the next working day.');
  });

  it('a letter that went out before the last day moved stays on record: status says when, and the date it gave', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    for (const line of ['next', 'English', '1', 'I sent it anyway']) d.type(line);
    const sentAt = d.onlyCase().letter.sentAt;
    expect(sentAt).toBeDefined();
    expect(d.onlyCase().notice.lastDay).toBe('2026-12-14');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'change', value: 'lastDay' });
    d.type('2026-12-18');
    expect(d.text()).toContain('Your last day changed after the written notice went out');
    expect(d.onlyCase().letter).toMatchObject({ earlier: [{ sentAt, lastDay: '2026-12-14' }] });
    expect(d.onlyCase().letter.sentAt).toBeUndefined();
    d.type('status Acme');
    expect(d.text()).toContain('An earlier notice went out on Mon, Nov 23, 2026, 10:30 AM, giving Monday, December 14, 2026 as the last day; that date has changed since.');
    expect(d.text()).toContain('Last working day: Friday, December 18, 2026');
  });

  it('a talk on a Saturday: a note and the choice to move it to the next working day', () => {
    const d = atTalk(null);
    d.type('2026-12-05 10:00');
    expect(d.onlyCase().step).toBe('talkDayOff');
    expect(d.text()).toContain('Saturday, December 5, 2026 is not one of your working days');
    d.type('Move to Dec 7');
    expect(d.onlyCase().conversation.at).toBe('2026-12-07T09:00:00.000Z');
    expect(d.onlyCase().step).toBe('noticeKind');
  });

  it('a natural stopping point on a Sunday can be kept as the last day', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    d.type('At a natural stopping point');
    d.type('2026-12-20');
    expect(d.onlyCase().step).toBe('lastDayOff');
    d.type('Keep Dec 20');
    expect(d.onlyCase().notice).toMatchObject({ kind: 'natural', lastDay: '2026-12-20' });
  });

  it('an overdue invoice entered on a Friday is checked on Monday, and says so', () => {
    const d = new Driver('2026-11-27T10:00:00Z'); // Friday
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1']) d.type(line);
    d.type('900 EUR 2026-11-20');
    expect(d.text()).toContain('on Mon, Nov 30, 2026, 9:00 AM');
    expect(d.text()).not.toContain('tomorrow');
    const e = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'no', 'yes', '1']) e.type(line);
    e.type('900 EUR 2026-11-20');
    expect(e.text()).toContain('tomorrow at 9:00 AM');
  });
});

describe('the flow keeps its order', () => {
  it('the letter marked sent before the talk: a warning and a choice, no celebration', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    d.type('next');
    d.type('English');
    d.type("I've sent it");
    expect(d.onlyCase().step).toBe('letterEarly');
    expect(d.text()).not.toContain('Well done');
    d.type('The talk already happened');
    expect(d.onlyCase().letter.sentAt).toBeDefined();
    expect(d.text()).toContain('Well done');
  });

  it('the day after the talk, a check-in: pushed back leads to the pushback help, moved to a new date', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    const checkIn = jobsOf(d, 'talkCheckIn')[0];
    expect(checkIn?.at).toBe('2026-12-01T08:00:00.000Z');
    d.fire('talkCheckIn');
    d.type('They pushed back');
    expect(d.text()).toContain('My decision stands');
    expect(d.onlyCase().pushbacks).toBe(1);

    const e = atTalk(null);
    e.type('2026-11-30 14:00');
    toTasks(e);
    e.fire('talkCheckIn');
    e.type('It was moved');
    e.type('2026-12-03 11:00');
    expect(e.onlyCase().conversation.at).toBe('2026-12-03T10:00:00.000Z');
    expect(jobsOf(e, 'talkCheckIn')[0]?.at).toBe('2026-12-04T08:00:00.000Z');

    const f = atTalk(null);
    f.type('2026-11-30 14:00');
    toTasks(f);
    f.fire('talkCheckIn');
    f.type('Not yet');
    expect(jobsOf(f, 'talkCheckIn')[0]?.at).toBe('2026-12-02T08:00:00.000Z');
  });

  it('pushback before the talk offers the talking points instead', () => {
    const d = atTalk(null);
    d.type('2026-11-30 14:00');
    toTasks(d);
    d.type('pushback Acme');
    expect(d.text()).toContain('Pushback comes after the talk');
    expect(d.text()).toContain('talking points');
    expect(d.onlyCase().pushbacks).toBe(0);
  });
});

describe('bad input changes nothing silently', () => {
  it('an amount with three decimals is refused with the locale\'s example', () => {
    const d = new Driver(MONDAY, { locale: 'de', timeZone: 'Europe/Berlin' });
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'ja', '2', 'ja', '1']) d.type(line);
    const form = d.replies.find((r) => r.kind === 'form');
    expect(form?.kind === 'form' && form.fields[0]?.placeholder).toBe('1.200,50');
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '0,001', currency: 'EUR', due: '2026-12-15' } });
    expect(d.onlyCase().contract.invoices).toEqual([]);
    expect(d.replies.some((r) => r.kind === 'text' && r.tone === 'error' && r.text.includes('0,001'))).toBe(true);
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '1.200,50', currency: 'EUR', due: '2026-12-15' } });
    expect(d.onlyCase().contract.invoices[0]?.amount).toBe('1200.50');
  });

  it.each([
    ['a name past the length limit', `Acme ${'Holding '.repeat(20)}GmbH`],
    ['control and zero-width characters', 'Ac\u200bme\u0007 GmbH'],
    ['bidi controls', '\u202eAcme\u202c GmbH'],
  ])('a client name with %s is found again by exactly what was typed', (_label, name) => {
    const d = new Driver(MONDAY);
    d.type(`start ${name}`);
    d.type(`start Other`);
    d.type(`status ${name}`);
    expect(d.text()).not.toContain('No case');
    const first = [...d.cases.values()].find((c) => c.client !== 'Other');
    expect(d.text()).toContain(first?.client ?? '?');
  });
});
