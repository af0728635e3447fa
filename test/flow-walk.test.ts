import { describe, expect, it } from 'vitest';
import { Driver } from './helpers/driver.js';

const MONDAY = '2026-11-23T09:30:00Z'; // 10:30 in Berlin

function jobAt(d: Driver, kind: string, subject = 'case'): string | undefined {
  return [...d.jobs.values()].find((j) => j.kind === kind && j.subject === subject)?.at;
}

describe('a whole case, typed as in a DM', () => {
  it('goes from start to a closed, well-ended case with the right dates and reminders', () => {
    const d = new Driver(MONDAY);
    expect(d.type('start Acme GmbH')).toBeTruthy();
    expect(d.text()).toContain('Acme GmbH');
    expect(d.text()).toContain('Pays late');

    d.type('1,2,8');
    expect(d.onlyCase().reasons).toEqual(['ignoresTerms', 'pushesPrice', 'paysLate']);
    d.type('They keep changing the scope.');
    expect(d.onlyCase().note).toBe('They keep changing the scope.');
    expect(d.onlyCase().step).toBe('gut');
    d.type('I would lose a third of my income, and gain my evenings back');
    expect(d.onlyCase().gut).toBe('I would lose a third of my income, and gain my evenings back');
    d.type('Yes, and nothing changed');
    expect(d.onlyCase().raise).toEqual({ told: true });
    expect(d.onlyCase().step).toBe('coolLen');

    d.type('2'); // 3 days (suggested)
    const c1 = d.onlyCase();
    // Thursday 09:00 in Berlin (UTC+1 in November).
    expect(c1.coolingOffUntil).toBe('2026-11-26T08:00:00.000Z');
    expect(jobAt(d, 'coolingEnd')).toBe('2026-11-26T08:00:00.000Z');

    d.fire('coolingEnd');
    expect(d.text()).toContain('still sure');
    d.type('1');
    expect(d.onlyCase().step).toBe('hasContract');
    expect(jobAt(d, 'coolingEnd')).toBeUndefined();

    d.type('yes');
    d.type('yes');
    d.type('30');
    expect(d.onlyCase().contract.noticeDays).toBe(30);
    d.type('no');
    expect(d.onlyCase().contract.paidWorkDelivered).toBe(false);
    d.type('1'); // add an invoice
    expect(d.replies.some((r) => r.kind === 'form')).toBe(true);
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '1.200,50', currency: 'eur', due: '15.12.2026' } });
    const inv = d.onlyCase().contract.invoices[0];
    expect(inv).toMatchObject({ amount: '1200.50', currency: 'EUR', dueDate: '2026-12-15', paid: false });
    expect(jobAt(d, 'paymentCheck', inv?.id)).toBe('2026-12-15T08:00:00.000Z');
    d.type("That's all");
    d.type('skip');
    expect(d.text()).toContain('wait until it has been paid');
    expect(d.onlyCase().step).toBe('channel');

    d.type('Video call');
    d.type('1');
    d.type('2026-11-30 14:00');
    // Money first: the invoice is due after the talk, so the bot offers to hold it.
    expect(d.onlyCase().step).toBe('moneyFirst');
    expect(d.text()).toContain('money is still owed');
    expect(d.text()).toContain('€1,200.50, due Tuesday, December 15, 2026');
    d.type('Go ahead anyway');
    const talk = d.onlyCase().conversation;
    expect(talk).toMatchObject({ channel: 'video', reason: 'notFit', at: '2026-11-30T13:00:00.000Z', moneyFirst: 'goAhead' });
    expect(d.text()).toContain('talking points');
    expect(jobAt(d, 'conversationPrep')).toBe('2026-11-30T08:00:00.000Z');

    d.type('1'); // two weeks
    expect(d.onlyCase().notice).toMatchObject({ kind: 'twoWeeks', days: 14, lastDay: '2026-12-14' });
    expect(jobAt(d, 'noticeSoon')).toBe('2026-12-11T08:00:00.000Z');
    expect(jobAt(d, 'noticeLast')).toBe('2026-12-14T08:00:00.000Z');

    d.type('Website redesign\nNewsletter template');
    const titles = d.onlyCase().tasks.map((t) => t.title ?? t.kind);
    expect(titles.slice(0, 3)).toEqual(['deliverPaid', 'Website redesign', 'Newsletter template']);
    d.type('2'); // agency
    expect(d.onlyCase().referrals).toEqual([{ kind: 'agency' }]);
    expect(d.onlyCase().step).toBe('tasks');
    d.type('done 4');
    expect(d.onlyCase().tasks[3]?.done).toBe(true);
    d.type('add Archive the shared drive | 2026-12-10');
    expect(d.onlyCase().tasks.at(-1)).toMatchObject({ title: 'Archive the shared drive', due: '2026-12-10', done: false });
    d.type('date 2 2026-12-02');
    expect(d.onlyCase().tasks[1]?.due).toBe('2026-12-02');
    d.type('remove 1');
    expect(d.onlyCase().tasks.some((t) => t.kind === 'deliverPaid')).toBe(false);
    d.type('next');
    expect(d.onlyCase().step).toBe('letterLang');

    d.type('Deutsch');
    const letter = d.replies.find((r) => r.kind === 'file');
    expect(letter?.kind === 'file' && letter.content).toContain('Montag, 14. Dezember 2026');
    expect(letter?.kind === 'file' && letter.content).toContain('Sie');
    // The letter follows the talk: marked sent before it, the bot asks instead of celebrating.
    d.type('1');
    expect(d.onlyCase().step).toBe('letterEarly');
    expect(d.onlyCase().letter.sentAt).toBeUndefined();
    d.type('Not sent yet');
    expect(d.onlyCase().step).toBe('letterSent');

    // The working day after the talk, a check-in; "went fine" leads to the letter.
    expect(jobAt(d, 'talkCheckIn')).toBe('2026-12-01T08:00:00.000Z');
    d.fire('talkCheckIn');
    expect(d.text()).toContain('How did it go?');
    d.type('It went fine');
    expect(d.onlyCase().conversation.checkIn).toBe('fine');
    // Anything else agreed in the talk? It goes into the letter, shown again with it.
    d.type('The last icons by Friday');
    expect(d.onlyCase().conversation.agreed).toEqual(['The last icons by Friday']);
    expect(d.replies.some((r) => r.kind === 'file')).toBe(true);
    d.type('1');
    expect(d.onlyCase().letter.sentAt).toBe(d.now.toISOString());
    expect(d.text()).toContain('Well done');
    expect(jobAt(d, 'wrapUp')).toBe('2026-12-15T08:00:00.000Z');

    d.fire('wrapUp');
    expect(d.onlyCase().step).toBe('wrap');
    // "Final invoice paid" is about the recorded invoice: one confirmation that names it.
    d.type('1,2,3,4');
    expect(d.onlyCase().step).toBe('wrapPaid');
    expect(d.text()).toContain('€1,200.50');
    d.type('yes');
    expect(d.onlyCase().contract.invoices[0]?.paid).toBe(true);
    // The handover plan still has open tasks: named, not glossed over with "parted well".
    expect(d.onlyCase().step).toBe('wrapOpen');
    expect(d.text()).toContain('Website redesign');
    expect(d.text()).not.toContain('You parted well');
    d.type('Those tasks are done too');
    const done = d.onlyCase();
    expect(d.text()).toContain('You parted well');
    expect(d.text()).not.toContain('Still unpaid');
    expect(done).toMatchObject({ stage: 'closed', outcome: 'done' });
    expect(done.reminders).toEqual([]);
    expect(d.jobs.size).toBe(0);
    expect(d.user.openCases).toEqual([]);
    expect(d.user.history).toHaveLength(1);
  });
});
