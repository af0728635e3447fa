import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import '../ops/packet-fonts.js';
import { decide } from '../src/engine/decide.js';
import { decideUser } from '../src/engine/user-turn.js';
import { newUserState } from '../src/engine/new-records.js';
import type { Case } from '../src/model/case.js';
import type { Inbound } from '../src/model/inbound.js';
import type { FileReply, Reply } from '../src/model/reply.js';
import type { Locale } from '../src/model/settings.js';
import { handoverCase, NOW, OWNER, settings } from './helpers/export-fixtures.js';

interface Turn {
  case: Case;
  replies: Reply[];
}

const LATER = new Date(NOW.getTime() + 3_600_000);
const turn = (c: Case, inbound: Inbound, locale: Locale = 'en', now = LATER): Turn => decide(c, inbound, now, { settings: settings({ locale }), history: [] });
const exported = (c: Case): Case => turn(c, { kind: 'command', command: 'export', arg: c.client }, 'en', NOW).case;
const offerOf = (t: Turn) => t.replies.find((r): r is Extract<Reply, { kind: 'choices' }> => r.kind === 'choices' && r.ref.question === 'calendar');
const calendarIn = (replies: readonly Reply[]) => replies.find((r): r is FileReply => r.kind === 'file' && r.mime === 'text/calendar');

/** Moves the talk the way a user does it: the action list's button, then the new date. */
function moveTalk(c: Case, to: string, locale: Locale = 'en'): Turn {
  const asked = turn(c, { kind: 'choice', caseId: c.id, question: 'change', value: 'talk' }, locale);
  return turn(asked.case, { kind: 'text', caseId: c.id, question: 'changeTalk', text: to }, locale);
}

function eventsByUid(ics: string): Map<string, ICAL.Event> {
  const comp = new ICAL.Component(ICAL.parse(ics));
  return new Map(comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)).map((e) => [e.uid, e]));
}

describe('after a date change, the updated calendar file is offered', () => {
  it('once exported, moving the talk says the file is out of date, and the button gives one with the new date', () => {
    const moved = moveTalk(exported(handoverCase('en')), '2026-11-26 15:00');
    const offer = offerOf(moved);
    expect(offer?.text).toBe('The calendar file you took for Acme GmbH is out of date now. Import the new one and the events move instead of doubling.');
    expect(offer?.options.map((o) => o.label)).toEqual(['Get the updated calendar file']);
    // The question in focus stays last; the offer comes after the news that caused it.
    const at = moved.replies.indexOf(offer as Reply);
    expect(moved.replies.findIndex((r) => r.kind === 'text' && r.text.startsWith('The talk is moved'))).toBeLessThan(at);
    // After the checklist, whose numbers come first: "5) Get the updated…" follows task 4.
    expect(moved.replies.findIndex((r) => r.kind === 'checklist')).toBeLessThan(at);
    expect(offer?.numberFrom).toBe(5);

    const taken = turn(moved.case, { kind: 'choice', caseId: 'c1', question: 'calendar', value: 'calendar' });
    const file = calendarIn(taken.replies);
    expect(file?.filename).toBe('acme-gmbh-dates.ics');
    const talk = eventsByUid(file?.content ?? '').get('c1-talk@offboard');
    // 15:00 typed in Berlin; the same UID as the first export, so the calendar moves the event.
    expect(talk?.startDate.toString()).toBe('2026-11-26T15:00:00');
    expect(taken.case.calendarAt).toBe(LATER.toISOString());
  });

  it('never exported: moving the talk offers the file in the user language; a payment re-check does not', () => {
    const moved = moveTalk(handoverCase('de'), '26.11.2026 15:00', 'de');
    expect(offerOf(moved)?.text).toBe('Die Termine für Acme GmbH haben sich geändert. Wenn du sie in einem Kalender führst, hol dir die aktuelle Datei.');
    const recheck = turn(handoverCase('en'), { kind: 'choice', caseId: 'c1', question: 'pay:i1', value: 'notYet' });
    expect(recheck.case.contract.invoices[0]?.recheckDate).toBeDefined();
    expect(offerOf(recheck)).toBeUndefined();
  });

  it('once exported, an invoice marked paid also offers it: its payment check is cancelled in the calendar', () => {
    const paid = turn(exported(handoverCase('fr')), { kind: 'choice', caseId: 'c1', question: 'change', value: 'paid:i1' }, 'fr');
    expect(offerOf(paid)?.text).toBe('Le fichier de calendrier que vous avez exporté pour Acme GmbH n’est plus à jour. Importez le nouveau\u202f: les événements se déplacent au lieu de se dédoubler.');
    const taken = turn(paid.case, { kind: 'choice', caseId: 'c1', question: 'calendar', value: 'calendar' }, 'fr');
    const check = eventsByUid(calendarIn(taken.replies)?.content ?? '').get('c1-payment-i1@offboard');
    expect(check?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('offered once for small edits: a second task added before the file is taken stays quiet; the talk moving does not', () => {
    const add = (c: Case, line: string) => turn(c, { kind: 'text', caseId: 'c1', question: 'tasks', text: line });
    const first = add(exported(handoverCase('en')), 'add Call the bank | 2026-12-01');
    expect(offerOf(first)).toBeDefined();
    const second = add(first.case, 'add Close the shared drive | 2026-12-02');
    expect(second.case.tasks).toHaveLength(6);
    expect(offerOf(second)).toBeUndefined();
    expect(offerOf(moveTalk(second.case, '2026-11-26 15:00'))).toBeDefined();
    const taken = turn(second.case, { kind: 'choice', caseId: 'c1', question: 'calendar', value: 'calendar' });
    expect(offerOf(add(taken.case, 'add Archive the mails | 2026-12-03'))).toBeDefined();
  });

  it('a turn that changes no date, or that exports itself, offers nothing', () => {
    const c = exported(handoverCase('en'));
    expect(offerOf(turn(c, { kind: 'command', command: 'status', arg: 'Acme GmbH' }))).toBeUndefined();
    expect(offerOf(turn(c, { kind: 'command', command: 'export', arg: 'Acme GmbH' }))).toBeUndefined();
  });

  it('a case cancelled after an export hands the file at once, with every event cancelled', () => {
    const c = exported(handoverCase('en'));
    const user = { ...newUserState(OWNER, { locale: 'en', timeZone: 'Europe/Berlin' }, NOW), openCases: ['c1'] };
    const asked = decideUser({ user, cases: [c], inbound: { kind: 'command', command: 'cancel', arg: 'Acme GmbH' }, now: LATER, newCaseId: 'cx' });
    const done = decideUser({ user: asked.user, cases: [c], inbound: { kind: 'choice', caseId: 'c1', question: 'cancel', value: 'yes' }, now: LATER, newCaseId: 'cx' });
    expect(done.replies.map((r) => (r.kind === 'text' ? r.text : r.kind))).toEqual([
      'The case for Acme GmbH is cancelled and its reminders are gone.',
      'Your calendar still holds the dates you exported for Acme GmbH. Import this file to update them: the ones that no longer happen are cancelled.',
      'file',
    ]);
    const statuses = [...eventsByUid(calendarIn(done.replies)?.content ?? '').values()].map((e) => e.component.getFirstPropertyValue('status'));
    expect(new Set(statuses)).toEqual(new Set(['CANCELLED']));
  });

  it('a case cancelled without an export gets no file', () => {
    const c = handoverCase('en');
    const user = { ...newUserState(OWNER, { locale: 'en', timeZone: 'Europe/Berlin' }, NOW), openCases: ['c1'] };
    const asked = decideUser({ user, cases: [c], inbound: { kind: 'command', command: 'cancel', arg: 'Acme GmbH' }, now: LATER, newCaseId: 'cx' });
    const done = decideUser({ user: asked.user, cases: [c], inbound: { kind: 'choice', caseId: 'c1', question: 'cancel', value: 'yes' }, now: LATER, newCaseId: 'cx' });
    expect(calendarIn(done.replies)).toBeUndefined();
  });
});

describe('status carries an export button', () => {
  const actions = (t: Turn) => t.replies.find((r): r is Extract<Reply, { kind: 'choices' }> => r.kind === 'choices' && r.ref.question === 'change');

  it('on an open case, after the date and payment actions; clicking it exports the case', () => {
    const status = turn(handoverCase('en'), { kind: 'command', command: 'status', arg: 'Acme GmbH' });
    expect(actions(status)?.options.at(-1)).toEqual({ value: 'export', label: 'Export calendar and packet' });
    const clicked = turn(status.case, { kind: 'choice', caseId: 'c1', question: 'change', value: 'export' });
    expect(clicked.replies.filter((r) => r.kind === 'file').map((r) => (r.kind === 'file' ? r.filename : ''))).toEqual([
      'acme-gmbh-dates.ics',
      'acme-gmbh-closeout-en.pdf',
      'acme-gmbh-closeout-en.md',
    ]);
  });

  it('on a closed case that got as far as a talk, alone; its button and an old calendar button still work', () => {
    const closed: Case = { ...handoverCase('en'), stage: 'closed', step: 'done', outcome: 'cancelled', closedAt: NOW.toISOString() };
    const status = turn(closed, { kind: 'command', command: 'status', arg: 'Acme GmbH' });
    expect(actions(status)?.text).toBe('Take the dates and the closeout packet for Acme GmbH with you:');
    expect(actions(status)?.options.map((o) => o.value)).toEqual(['export']);
    expect(turn(closed, { kind: 'choice', caseId: 'c1', question: 'change', value: 'export' }).replies.filter((r) => r.kind === 'file')).toHaveLength(3);
    expect(calendarIn(turn(closed, { kind: 'choice', caseId: 'c1', question: 'calendar', value: 'calendar' }).replies)).toBeDefined();
    // Anything else on a closed case is still refused as before.
    expect(turn(closed, { kind: 'choice', caseId: 'c1', question: 'change', value: 'talk' }).replies[0]).toMatchObject({ kind: 'text', tone: 'info' });
  });

  it('not while the freelancer is still deciding (cooling off), and the question then says nothing of it', () => {
    const cooling: Case = { ...handoverCase('en'), stage: 'cooling', step: 'cooling', conversation: {}, notice: {} };
    const list = actions(turn(cooling, { kind: 'command', command: 'status', arg: 'Acme GmbH' }));
    expect(list?.options.map((o) => o.value)).toEqual(['paid:i1']);
    expect(list?.text).toBe('Paid, or plans changed? Mark an invoice paid or move a date here.');
    expect(actions(turn({ ...cooling, contract: { invoices: [], looseEnds: [] } }, { kind: 'command', command: 'status', arg: 'Acme GmbH' }))).toBeUndefined();
  });
});
