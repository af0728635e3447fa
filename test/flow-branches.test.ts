import { describe, expect, it } from 'vitest';
import { Driver } from './helpers/driver.js';

const MONDAY = '2026-11-23T09:30:00Z';

/** Walks a fresh case to a given step with typical answers. */
function walkTo(step: string, d = new Driver(MONDAY)): Driver {
  const lines = ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes', '30', 'yes', '2', 'skip', '1', '2', '2026-11-30 14:00', '1', 'Website', '1', 'Jo Bloggs', 'next', 'English', '1', 'I sent it anyway'];
  for (const line of lines) {
    if (d.cases.size && d.onlyCase().step === step) return d;
    d.type(line);
  }
  if (d.onlyCase().step !== step) throw new Error(`walk stopped at ${d.onlyCase().step}, wanted ${step}`);
  return d;
}

describe('assess', () => {
  it('no sign at all: suggests thinking it over, and can stop there as "kept"', () => {
    const d = walkTo('signs');
    d.type('12'); // none of these
    d.type('skip');
    expect(d.text()).toContain('not a reason');
    d.type('1');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'kept' });
    expect(d.user.openCases).toEqual([]);
  });

  it('work simply dried up: offers to let it fade', () => {
    const d = walkTo('signs');
    d.type('4');
    d.type('skip');
    expect(d.text()).toContain('fade');
    d.type('Let it fade');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'faded' });
  });

  it('a new case for a client who had one says when and how the last one ended', () => {
    const d = new Driver(MONDAY);
    d.type('start Acme');
    d.type('4');
    d.type('skip');
    d.type('1'); // let it fade
    d.type('start Globex');
    expect(d.text()).not.toContain('been here with');
    d.type('cancel Globex');
    d.type('yes');
    d.type('start acme');
    expect(d.text()).toContain("You've been here with acme before: that case ended on Monday, November 23, 2026 (let fade)");
  });
});

describe('cooling off', () => {
  it('skipping asks once more, and "wait" starts 3 days', () => {
    const d = walkTo('coolLen');
    d.type('Skip cooling off');
    expect(d.onlyCase().step).toBe('coolSkip');
    d.type('1');
    expect(d.onlyCase().coolingOffUntil).toBe('2026-11-26T08:00:00.000Z');
  });

  it('ends at the start of the next working day, never on a weekend', () => {
    const d = new Driver('2026-11-26T15:00:00Z'); // Thursday afternoon
    d.type('start Acme');
    d.type('1');
    d.type('skip');
    d.type('skip'); // no gut check
    d.type('1'); // raised it already
    d.type('1'); // 1 day → Friday 09:00
    expect(d.onlyCase().coolingOffUntil).toBe('2026-11-27T08:00:00.000Z');
    d.type('2'); // nothing was asked yet: a bare number picks nothing
    expect(d.onlyCase().stage).toBe('cooling');
    d.type('2'); // now the choices are on screen: "Keep the client"
    expect(d.onlyCase().outcome).toBe('kept');
    expect(d.jobs.size).toBe(0);
  });

  it('a custom end a minute away is kept as given inside working hours', () => {
    const d = walkTo('coolLen');
    d.type('4');
    d.type('2026-11-23 10:31'); // Berlin time; now is 10:30
    expect(d.onlyCase().coolingOffUntil).toBe('2026-11-23T09:31:00.000Z');
    d.fire('coolingEnd');
    d.type('3'); // 2 more days
    expect(d.onlyCase().coolingOffUntil).toBe('2026-11-25T08:00:00.000Z');
  });

  it('custom out of range or in the past is refused and asked again', () => {
    const d = walkTo('coolLen');
    d.type('4');
    d.type('500');
    expect(d.text()).toContain('between 1 and 60');
    d.type('2026-11-01');
    expect(d.text()).toContain('in the past');
    expect(d.onlyCase().step).toBe('coolCustom');
  });
});

describe('contract', () => {
  it('no contract: gathers documents and goes on', () => {
    const d = walkTo('hasContract');
    d.type('no');
    expect(d.text()).toContain('emails and documents');
    d.type('1');
    expect(d.onlyCase()).toMatchObject({ step: 'delivered', contract: { hasContract: false, noticeDays: null } });
  });

  it('reads an invoice typed on one line, overdue ones are checked tomorrow', () => {
    const d = walkTo('invoices');
    d.type('1');
    d.type('800 EUR 01.11.2026');
    const inv = d.onlyCase().contract.invoices[0];
    expect(inv).toMatchObject({ amount: '800.00', currency: 'EUR', dueDate: '2026-11-01', recheckDate: '2026-11-24' });
    expect([...d.jobs.values()].find((j) => j.kind === 'paymentCheck')?.at).toBe('2026-11-24T08:00:00.000Z');
    expect(d.text()).toContain('overdue');
  });

  it('refuses a bad amount or an impossible due date, keeping what was entered before', () => {
    const d = walkTo('invoices');
    d.type('1');
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: 'lots', currency: 'EUR', due: '2026-12-01' } });
    expect(d.text()).toContain('not an amount');
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '100', currency: 'EUR', due: '2026-02-30' } });
    expect(d.text()).toContain('not a date that exists');
    expect(d.onlyCase().contract.invoices).toEqual([]);
  });

  it('a paid invoice stops its reminder; "not yet" asks again three days later', () => {
    const d = walkTo('invoices');
    d.type('1');
    d.type('500 USD 2026-11-25');
    d.type('2'); // that's all
    const id = d.onlyCase().contract.invoices[0]?.id ?? '';
    d.fire('paymentCheck');
    expect(d.text()).toContain('Has it been paid');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: `pay:${id}`, value: 'notYet' });
    expect(d.onlyCase().contract.invoices[0]?.recheckDate).toBe('2026-11-28');
    // Saturday → the next working morning, Monday.
    expect([...d.jobs.values()].find((j) => j.kind === 'paymentCheck')?.at).toBe('2026-11-30T08:00:00.000Z');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: `pay:${id}`, value: 'paid' });
    expect([...d.jobs.values()].some((j) => j.kind === 'paymentCheck')).toBe(false);
  });
});

describe('conversation and notice', () => {
  it('own reason is used in the talking points and the letter', () => {
    const d = walkTo('reason');
    d.type('3');
    d.type('I am focusing on product design from next year');
    d.type('2026-11-30 14:00');
    expect(d.text()).toContain('I am focusing on product design from next year');
  });

  it('refuses a past talk date and an impossible one, and asks again', () => {
    const d = walkTo('talkAt');
    d.type('2026-11-20 10:00');
    expect(d.text()).toContain('in the past');
    d.type('31.04.2027');
    expect(d.text()).toContain('not a date that exists');
    d.type('next tuesday 3pm');
    expect(d.onlyCase().conversation.at).toBe('2026-12-01T14:00:00.000Z');
  });

  it('refuses a natural stopping point before the talk', () => {
    const d = walkTo('noticeKind');
    d.type('3');
    d.type('2026-11-27');
    expect(d.text()).toContain('before the talk');
    expect(d.onlyCase().notice.lastDay).toBeUndefined();
    d.type('2026-12-18');
    expect(d.onlyCase().notice).toMatchObject({ kind: 'natural', lastDay: '2026-12-18' });
  });

  it('uses the contract clause, moving a weekend last day to the next working day', () => {
    const d = walkTo('noticeKind');
    d.type('4'); // as the contract says: 30 days → 2026-12-30 (Wednesday)
    expect(d.onlyCase().notice).toMatchObject({ kind: 'contract', days: 30, lastDay: '2026-12-30' });
    const d2 = walkTo('noticeKind');
    d2.type('5');
    d2.type('5'); // 2026-12-05 is a Saturday
    expect(d2.onlyCase().notice.lastDay).toBe('2026-12-07');
  });

  it('a morning talk gets its preparation the working day before', () => {
    const d = walkTo('talkAt');
    d.type('2026-11-30 08:30');
    expect([...d.jobs.values()].find((j) => j.kind === 'conversationPrep')?.at).toBe('2026-11-27T08:00:00.000Z');
  });
});

describe('handover', () => {
  it('edits tasks by buttons and forms, and reminds of each due task', () => {
    const d = walkTo('tasks');
    const c = d.onlyCase();
    const first = c.tasks[0]?.id ?? '';
    d.send({ kind: 'choice', caseId: c.id, question: 'tasks', value: `toggle:${first}` });
    expect(d.onlyCase().tasks[0]?.done).toBe(true);
    d.send({ kind: 'choice', caseId: c.id, question: 'tasks', value: 'add' });
    expect(d.replies.some((r) => r.kind === 'form')).toBe(true);
    d.send({ kind: 'submit', caseId: c.id, form: 'taskForm', fields: { title: 'Export analytics', due: '2026-12-04' } });
    expect(d.onlyCase().tasks.at(-1)).toMatchObject({ title: 'Export analytics', due: '2026-12-04' });
    d.type('rename 2 Return every file');
    expect(d.onlyCase().tasks[1]?.title).toBe('Return every file');
    // Tasks due on the last day come with the last-day reminder; the others get their own.
    const due = [...d.jobs.values()].filter((j) => j.kind === 'taskDue');
    const lastDay = d.onlyCase().notice.lastDay;
    expect(due.map((j) => j.subject).sort()).toEqual(d.onlyCase().tasks.filter((t) => !t.done && t.due !== lastDay).map((t) => t.id).sort());
    expect(due.length).toBeGreaterThan(0);
  });

  it('a task reminder can be snoozed or ticked from the reminder itself', () => {
    const d = walkTo('tasks');
    d.type('date 1 2026-12-09');
    d.type('next');
    d.at('2026-12-01T09:00:00Z');
    const task = d.onlyCase().tasks[0];
    const job = [...d.jobs.values()].find((j) => j.kind === 'taskDue' && j.subject === task?.id);
    expect(job?.at).toBe('2026-12-09T08:00:00.000Z');
    d.fire('taskDue');
    const ref = d.replies.find((r) => r.kind === 'choices');
    expect(ref?.kind === 'choices' && ref.ref.question).toMatch(/^task:/);
    const taskId = ref?.kind === 'choices' ? ref.ref.question.slice(5) : '';
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: `task:${taskId}`, value: 'snooze' });
    expect([...d.jobs.values()].find((j) => j.subject === taskId)?.at).toBe('2026-12-10T08:00:00.000Z');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: `task:${taskId}`, value: 'done' });
    expect([...d.jobs.values()].some((j) => j.subject === taskId)).toBe(false);
  });

  it('notice deadlines stay planned after the letter is sent', () => {
    const d = walkTo('wrapWait');
    const kinds = [...d.jobs.values()].map((j) => `${j.kind}@${j.at}`);
    expect(kinds).toContain('noticeSoon@2026-12-11T08:00:00.000Z');
    expect(kinds).toContain('noticeLast@2026-12-14T08:00:00.000Z');
    expect(kinds).toContain('wrapUp@2026-12-15T08:00:00.000Z');
  });

  it('while waiting for the wrap-up, the plan can be shown and edited', () => {
    const d = walkTo('wrapWait');
    d.type('?');
    d.type('1'); // show the handover plan: offered first while the notice runs
    expect(d.replies.some((r) => r.kind === 'checklist')).toBe(true);
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'tasks', value: `toggle:${d.onlyCase().tasks[0]?.id}` });
    expect(d.onlyCase().tasks[0]?.done).toBe(true);
    expect(d.onlyCase().step).toBe('wrapWait');
  });

  it('the talking points name who was chosen to take over, and offer nobody to a disrespectful client', () => {
    const d = walkTo('letterSent');
    d.fire('conversationPrep');
    expect(d.text()).toContain('Suggest Jo Bloggs as someone who could take over the work.');
    expect(d.text()).not.toContain('offer names of people');
    const rude = new Driver(MONDAY);
    for (const line of ['start Acme', '9', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes', '30', 'yes', '2', 'skip', '1', '2']) rude.type(line);
    rude.type('2026-11-30 14:00');
    expect(rude.text()).toContain('Your talking points');
    expect(rude.text()).not.toContain('take over');
  });

  it('with the handover plan done before the last day, the wait says so and offers the wrap-up first', () => {
    const d = walkTo('wrapWait');
    d.type(`done 1-${d.onlyCase().tasks.length}`);
    d.type('?');
    expect(d.text()).toContain('Your notice runs until Monday, December 14, 2026, your last working day, and the handover plan is done.');
    const wait = d.replies.find((r) => r.kind === 'choices');
    expect(wait?.kind === 'choices' && wait.options.map((o) => o.value)).toEqual(['now', 'tasks']);
  });

  it('ticking several tasks at once says so in one line', () => {
    const d = walkTo('wrapWait');
    d.type('done 1,2');
    expect(d.text()).toContain('Done: Website and Return all client files. Nice.');
    d.type('done 3-8');
    expect(d.text()).toContain('Six tasks done. Nice.');
    expect(d.text().match(/Nice\./g)).toHaveLength(1);
  });

  it('after the letter, while the notice runs, the case reads as serving its notice, the handover first', () => {
    const d = walkTo('wrapWait');
    d.type('status Acme');
    expect(d.text()).toContain('Acme: Serving notice');
    expect(d.text()).not.toContain('Wrap-up');
    d.type('?');
    const open = d.onlyCase().tasks.filter((t) => !t.done).length;
    expect(open).toBeGreaterThan(1);
    expect(d.text()).toContain(`Your notice runs until Monday, December 14, 2026, your last working day, with ${open} handover tasks still open.`);
    const wait = d.replies.find((r) => r.kind === 'choices');
    expect(wait?.kind === 'choices' && wait.options.map((o) => o.value)).toEqual(['tasks', 'now']);
    // The day after the last day the wait is the wrap-up's own.
    expect(d.onlyCase().notice.lastDay).toBe('2026-12-14');
    d.at('2026-12-15T08:00:00Z');
    d.type('list');
    expect(d.text()).toContain('Acme: Wrap-up');
    d.type('?');
    expect(d.text()).toContain('Waiting for the wrap-up with Acme');
  });

  it('a talk later today gets its points at once instead of a promise for the morning', () => {
    const d = walkTo('talkAt');
    d.type('2026-11-23 16:00');
    expect(d.text()).toContain('That is soon');
    expect([...d.jobs.values()].some((j) => j.kind === 'conversationPrep')).toBe(false);
  });

  it('a referral to a colleague goes into the letter', () => {
    const d = walkTo('letterSent');
    const file = d.onlyCase();
    expect(file.referrals).toEqual([{ kind: 'colleague', detail: 'Jo Bloggs' }]);
    d.type('letter');
    const letter = d.replies.find((r) => r.kind === 'file');
    expect(letter?.kind === 'file' && letter.content).toContain('Jo Bloggs');
  });
});

describe('pushback, cancel and commands', () => {
  it('pushback shows the user their own reasons and counts', () => {
    const d = walkTo('tasks');
    d.at('2026-12-01T09:00:00Z'); // the talk was on 30 November
    d.type('pushback Acme');
    expect(d.text()).toContain('Pays late');
    expect(d.text()).toContain('My decision stands');
    d.type('pushback');
    expect(d.onlyCase().pushbacks).toBe(2);
    const firm = d.replies.find((r) => r.kind === 'choices');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'pushback', value: 'firm' });
    expect(firm).toBeTruthy();
    expect(d.onlyCase().stage).toBe('handover');
  });

  it('pushback before the talk is planned explains itself', () => {
    const d = walkTo('hasContract');
    d.type('pushback');
    expect(d.text()).toContain('after the talk');
    expect(d.onlyCase().pushbacks).toBe(0);
  });

  it('cancel asks first, then stops the case and all its reminders', () => {
    const d = walkTo('tasks');
    expect(d.jobs.size).toBeGreaterThan(3);
    d.type('cancel acme');
    expect(d.onlyCase().stage).toBe('handover');
    d.type('yes');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'cancelled' });
    expect(d.jobs.size).toBe(0);
  });

  it('forget deletes everything after a confirmation', () => {
    const d = walkTo('tasks');
    d.type('forget');
    d.type('2');
    expect(d.cases.size).toBe(1);
    d.type('forget');
    d.type('1');
    expect(d.cases.size).toBe(0);
    expect(d.jobs.size).toBe(0);
  });

  it('unknown commands, unknown clients and stray text get clear answers', () => {
    const d = new Driver(MONDAY);
    d.type('/frobnicate');
    expect(d.text()).toContain('don\'t know the command');
    d.type('status Nobody');
    expect(d.text()).toContain('no case called "Nobody"');
    d.type('hello there');
    expect(d.text()).toContain('help');
  });

  it('a 10 kB client name with mentions is shortened and kept as plain text', () => {
    const d = new Driver(MONDAY);
    d.type(`start @everyone <!channel> ${'x'.repeat(10_000)}`);
    const c = d.onlyCase();
    expect(Array.from(c.client).length).toBeLessThanOrEqual(81);
    expect(c.client.startsWith('@everyone <!channel>')).toBe(true);
    expect(d.text()).toContain('kept the first 80');
  });

  it('someone else\'s button changes nothing', () => {
    const owner = walkTo('channel');
    const other = new Driver(MONDAY, { locale: 'en', timeZone: 'Europe/Berlin' }, { platform: 'console', tenant: '', id: 'mallory' });
    other.cases = new Map(); // mallory's own store has no such case
    other.send({ kind: 'choice', caseId: owner.onlyCase().id, question: 'channel', value: 'call' });
    expect(other.text()).toContain('someone else');
    expect(owner.onlyCase().conversation.channel).toBeUndefined();
  });

  it('a stale button is answered with where the case is now', () => {
    const d = walkTo('clause');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'coolLen', value: '3' });
    expect(d.text()).toContain('moved on');
    expect(d.onlyCase().step).toBe('clause');
  });

  it('when the case in focus closes, a typed answer goes to the only open case', () => {
    const d = new Driver(MONDAY);
    d.type('start Alpha');
    d.type('start Beta');
    d.type('cancel Beta');
    d.type('yes');
    d.type('1,8');
    const alpha = [...d.cases.values()].find((c) => c.client === 'Alpha');
    expect(alpha?.reasons).toEqual(['ignoresTerms', 'paysLate']);
  });

  it('a second case with the same client resumes the first', () => {
    const d = walkTo('clause');
    d.type('start ACME');
    expect(d.text()).toContain('already have an open case');
    expect(d.cases.size).toBe(1);
  });

  it('settings change the language and move reminders to the new working hours', () => {
    const d = walkTo('tasks');
    const before = [...d.jobs.values()].find((j) => j.kind === 'noticeLast')?.at;
    d.type('settings');
    d.type('3'); // working-day start
    d.type('7:30');
    const after = [...d.jobs.values()].find((j) => j.kind === 'noticeLast')?.at;
    expect(before).toBe('2026-12-14T08:00:00.000Z');
    expect(after).toBe('2026-12-14T06:30:00.000Z');
    d.type('1'); // language
    d.type('Deutsch');
    expect(d.user.settings.locale).toBe('de');
  });
});

describe('moving dates', () => {
  it('a new talk date moves a notice counted in days, the tasks and the reminders with it', () => {
    const d = walkTo('wrapWait');
    expect(d.onlyCase().notice.lastDay).toBe('2026-12-14');
    d.type('status');
    expect(d.replies.some((r) => r.kind === 'choices' && r.ref.question === 'change')).toBe(true);
    d.type('Change the talk date');
    expect(d.replies.some((r) => r.kind === 'input' && r.ref.question === 'changeTalk')).toBe(true);
    d.type('whenever suits them'); // not a date: asked again, nothing changed
    expect(d.onlyCase().conversation.at).toBe('2026-11-30T13:00:00.000Z');
    d.type('2026-12-07 10:00');
    const c = d.onlyCase();
    expect(c.conversation.at).toBe('2026-12-07T09:00:00.000Z');
    expect(c.notice).toMatchObject({ kind: 'twoWeeks', days: 14, lastDay: '2026-12-21' });
    expect(c.tasks.every((t) => t.due === '2026-12-21')).toBe(true);
    // The letter went out with the old date: it is to be redone.
    expect(c.letter.sentAt).toBeUndefined();
    expect(c.step).toBe('letterLang');
    expect(d.text()).toContain('updated letter');
    const jobs = [...d.jobs.values()];
    expect(jobs.find((j) => j.kind === 'noticeLast')?.at).toBe('2026-12-21T08:00:00.000Z');
    expect(jobs.find((j) => j.kind === 'conversationPrep')?.at).toBe('2026-12-07T08:00:00.000Z');
  });

  it('a fixed last day that the new talk date passes is asked again', () => {
    const d = walkTo('noticeKind');
    d.type('3');
    d.type('2026-12-18'); // natural stopping point
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'change', value: 'talk' });
    d.type('2026-12-21 10:00');
    expect(d.onlyCase().step).toBe('noticeKind');
    expect(d.onlyCase().notice.lastDay).toBeUndefined();
    d.type('2027-01-08'); // a typed date is taken as the last day
    expect(d.onlyCase().notice).toMatchObject({ kind: 'custom', lastDay: '2027-01-08' });
  });

  it('warns when the notice is shorter than the contract asks', () => {
    const d = walkTo('noticeKind'); // the contract asks for 30 days
    d.type('1');
    expect(d.text()).toContain('contract asks for 30 days');
  });

  it('the last day can be moved on its own, from a button', () => {
    const d = walkTo('letterLang');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'change', value: 'lastDay' });
    expect(d.onlyCase().step).toBe('noticeKind');
    d.type('2'); // 30 days → 2026-12-30
    expect(d.onlyCase().notice.lastDay).toBe('2026-12-30');
  });
});

describe('typed answers to the question shown last', () => {
  it('pushback buttons can be answered by typing', () => {
    const d = walkTo('tasks');
    d.at('2026-12-01T09:00:00Z');
    d.type('pushback Acme');
    d.type('Keep the client after all');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'kept' });
  });

  it('a payment check and a task reminder can be answered by typing', () => {
    const d = walkTo('invoices');
    d.type('1');
    d.type('500 USD 2026-11-25');
    d.type('2');
    d.fire('paymentCheck');
    d.type('paid');
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
    expect(d.onlyCase().step).toBe('looseEnds');

    const t = walkTo('tasks');
    t.type('date 1 2026-12-09');
    t.type('next');
    t.fire('taskDue');
    t.type('2'); // snooze
    const snoozed = t.onlyCase().tasks.find((k) => k.snoozedTo);
    expect(snoozed?.snoozedTo).toBe('2026-12-10');
    t.type('English'); // the main question still takes its answer afterwards
    expect(t.onlyCase().step).toBe('letterSent');
  });
});

describe('stray input never does harm', () => {
  it('a far-future date is refused, not crashed on', () => {
    const d = walkTo('talkAt');
    d.type('9999-12-31 10:00');
    expect(d.text()).toContain('too far ahead');
    d.type('in 9999999 days');
    expect(d.onlyCase().step).toBe('talkAt');
  });

  it('a pending "forget" or "cancel" confirmation lapses when another command comes', () => {
    const d = walkTo('hasContract');
    d.type('forget');
    d.type('list');
    d.type('1');
    expect(d.cases.size).toBe(1);
    d.type('cancel Acme');
    d.type('list');
    d.type('yes');
    expect(d.onlyCase().stage).not.toBe('closed');
  });

  it('an old confirmation button does nothing once the question has moved on', () => {
    const d = walkTo('hasContract');
    d.type('cancel Acme');
    d.type('no');
    d.send({ kind: 'choice', caseId: d.onlyCase().id, question: 'cancel', value: 'yes' });
    expect(d.onlyCase().stage).toBe('contract');
    // An old confirmation says plainly that nothing changed, rather than "here is where we
    // are now:" with nothing after it.
    expect(d.text()).toContain('already answered, so I changed nothing');
    d.send({ kind: 'choice', question: 'forget', value: 'yes' });
    expect(d.cases.size).toBe(1);
    expect(d.text()).toContain('already answered, so I changed nothing');
  });

  it('free-text answers that start with a command word are answers', () => {
    const d = walkTo('note');
    d.type('Status quo is unbearable');
    expect(d.onlyCase().note).toBe('Status quo is unbearable');
    const e = walkTo('looseEnds');
    e.type('Forget it, nothing open');
    expect(e.onlyCase().contract.looseEnds).toEqual(['Forget it, nothing open']);
    const f = walkTo('looseEnds');
    f.type('status Acme'); // names a case: a real command
    expect(f.text()).toContain('Acme: Contract check');
  });
});

describe('forgiving input', () => {
  it('reads amounts as people write them in each language', () => {
    for (const [line, amount, currency] of [
      ['1 200,50 € 15/12/2026', '1200.50', 'EUR'],
      ['1.500.000 đ 15/12/2026', '1500000.00', 'VND'],
      ['2400 TL 15.12.2026', '2400.00', 'TRY'],
      ['1200 due 2026-12-15', '1200.00', 'USD'],
    ] as const) {
      const d = walkTo('invoices');
      d.type('1');
      d.type(line);
      expect(d.onlyCase().contract.invoices[0], line).toMatchObject({ amount, currency, dueDate: '2026-12-15' });
    }
  });

  it('finds time zones by city, with or without accents', () => {
    for (const [city, zone] of [['Ho Chi Minh', 'Asia/Ho_Chi_Minh'], ['Hà Nội', 'Asia/Ho_Chi_Minh'], ['München', 'Europe/Berlin'], ['ankara', 'Europe/Istanbul'], ['Montréal', 'America/Toronto'], ['UTC', 'UTC']] as const) {
      const d = new Driver(MONDAY);
      d.type('settings');
      d.type('2');
      d.type(city);
      expect(d.user.settings.timeZone, city).toBe(zone);
    }
    const d = new Driver(MONDAY);
    d.type('settings');
    d.type('2');
    d.type('Mars/Base');
    expect(d.text()).toContain("don't know the time zone");
  });

  it('matches typed labels without accents or in capitals', () => {
    const d = walkTo('letterLang');
    d.type('turkce');
    expect(d.onlyCase().letter.language).toBe('tr');
  });

  it('takes "8:30am" as a working-day start and refuses a night-time one', () => {
    const d = new Driver(MONDAY);
    d.type('settings');
    d.type('3');
    d.type('3');
    expect(d.text()).toContain('between 05:00 and 14:00');
    d.type('8:30am');
    expect(d.user.settings.workdayStart).toBe('08:30');
  });
});

describe('two cases at once', () => {
  it('a reminder for one case does not take over the question open on the other, and it comes back', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Beta', '1,8', 'skip', 'skip', '1', '2']) d.type(line); // Beta cools off 3 days
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes']) d.type(line); // Acme: notice days?
    const acme = () => [...d.cases.values()].find((c) => c.client === 'Acme');
    const beta = () => [...d.cases.values()].find((c) => c.client === 'Beta');
    expect(acme()?.step).toBe('clauseDays');
    d.fire('coolingEnd', beta()?.id);
    expect(d.text()).toContain('— Beta —');
    expect(d.text()).toContain('status Beta');
    d.type('45');
    expect(acme()?.contract.noticeDays).toBe(45);
    expect(beta()?.step).toBe('coolCheck');

    d.type('status Beta');
    d.type('Keep the client');
    expect(beta()?.outcome).toBe('kept');
    expect(d.text()).toContain('— Acme —');
    expect(d.user.focus).toMatchObject({ kind: 'case', caseId: acme()?.id });
  });
});
