import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/model/reply.js';
import { severalHint } from '../src/engine/numbering.js';
import { t } from '../src/i18n/translate.js';
import { Driver } from './helpers/driver.js';

const MONDAY = '2026-11-23T09:30:00Z';

/** A case waiting for "I've sent it", after the talk: no contract, nothing owed. */
function atLetterSent(): Driver {
  const d = new Driver(MONDAY);
  for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Yes, and nothing changed', 'Skip cooling off', '2', 'no', '1', 'yes', '2', 'skip', '2', '1', '2026-11-30 14:00']) d.type(line);
  for (const line of ['1', 'Website', 'No one comes to mind', 'next', 'English']) d.type(line);
  expect(d.onlyCase().step).toBe('letterSent');
  d.at('2026-12-01T09:00:00Z');
  return d;
}

type Listed = Extract<Reply, { kind: 'choices' | 'multi' }>;
const lists = (replies: Reply[]) => replies.filter((r): r is Listed => r.kind === 'choices' || r.kind === 'multi');
/** The numbers a console shows in front of each option, as one flat list. */
const shownNumbers = (replies: Reply[]) => lists(replies).flatMap((r) => r.options.map((_, i) => i + (r.numberFrom ?? 1)));

describe('one answer grammar', () => {
  it('status shows its actions and the question as one numbered list; each number means one thing', () => {
    const d = atLetterSent();
    const shown = d.type('status Acme');
    const [actions, question] = lists(shown);
    expect(actions?.ref.question).toBe('change');
    expect(question?.ref.question).toBe('letterSent');
    const numbers = shownNumbers(shown);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(question?.numberFrom).toBe((actions?.options.length ?? 0) + 1);
    // "1" is the first action (change the talk date), not "I've sent it".
    d.type('1');
    expect(d.onlyCase().letter.sentAt).toBeUndefined();
    expect(d.replies.some((r) => r.kind === 'input' && r.ref.question === 'changeTalk')).toBe(true);
  });

  it('the number shown in front of "I\'ve sent it" marks it sent', () => {
    const d = atLetterSent();
    const shown = d.type('status Acme');
    const question = lists(shown).find((r) => r.ref.question === 'letterSent');
    const index = question?.options.findIndex((o) => o.value === 'sent') ?? -1;
    d.type(String((question?.numberFrom ?? 1) + index));
    expect(d.onlyCase().letter.sentAt).toBe('2026-12-01T09:00:00.000Z');
  });

  it('words still work after a numbered status, for either list', () => {
    const d = atLetterSent();
    d.type('status Acme');
    d.type("I've sent it");
    expect(d.onlyCase().letter.sentAt).toBeDefined();
  });

  it('the several-at-once hint fits the list and where its numbers start', () => {
    const d = new Driver(MONDAY);
    d.type('start Acme');
    const signs = d.replies.find((r) => r.kind === 'multi');
    expect(signs?.kind === 'multi' && signs.typedHint).toBe('Several at once: 1,3,5');
    d.type('settings');
    d.type('Working days');
    const days = d.replies.find((r) => r.kind === 'multi');
    expect(days?.kind === 'multi' && days.typedHint).toBe('Several at once: 1,3,5');
    const say = (key: string, p?: Record<string, unknown>) => t('en', key as 'accepts.several', p as { example: string });
    expect(severalHint({ say }, 4)).toBe('Several at once: 1,3');
    expect(severalHint({ say }, 2)).toBe('Several at once: 1,2');
    expect(severalHint({ say }, 4, 3)).toBe('Several at once: 3,5');
  });
});

describe('confirmations take their words too', () => {
  it('"Delete everything" typed after forget deletes; "Keep my data" keeps', () => {
    const d = new Driver(MONDAY);
    d.type('start Acme');
    d.type('forget');
    d.type('Keep my data');
    expect(d.cases.size).toBe(1);
    d.type('forget');
    d.type('delete everything');
    expect(d.cases.size).toBe(0);
  });

  it('"Yes, cancel it" typed after cancel cancels; a number works as shown', () => {
    const d = new Driver(MONDAY);
    d.type('start Acme');
    d.type('cancel Acme');
    d.type('yes, cancel it');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'cancelled' });
    const e = new Driver(MONDAY);
    e.type('start Acme');
    e.type('cancel Acme');
    e.type('2');
    expect(e.onlyCase().stage).toBe('assess');
  });
});

describe('the handover plan can be edited wherever it is shown', () => {
  /** At the task list: Website, Blog, then the usual tasks. */
  function atTasks(): Driver {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Yes, and nothing changed', 'Skip cooling off', '2', 'no', '1', 'yes', '2', 'skip', '2', '1', '2026-11-30 14:00']) d.type(line);
    for (const line of ['1', 'Website; Blog', 'No one comes to mind']) d.type(line);
    expect(d.onlyCase().step).toBe('tasks');
    return d;
  }
  const titles = (d: Driver) => d.onlyCase().tasks.map((t) => t.title ?? t.kind);

  it('a bare number at the checklist ticks that task, and again unticks it; the list comes back', () => {
    const d = atTasks();
    d.type('2');
    expect(d.onlyCase().tasks[1]).toMatchObject({ title: 'Blog', done: true });
    expect(d.replies.some((r) => r.kind === 'checklist')).toBe(true);
    d.type('2');
    expect(d.onlyCase().tasks[1]?.done).toBe(false);
  });

  it('"remove 3,4" removes both tasks by the numbers shown, not the renumbered ones', () => {
    const d = atTasks();
    const before = titles(d);
    d.type('remove 3,4');
    expect(titles(d)).toEqual([before[0], before[1], ...before.slice(4)]);
    expect(d.text()).toContain('Removed: Return all client files.');
    expect(d.text()).toContain('Removed: Hand over passwords and credentials.');
    const list = d.replies.find((r) => r.kind === 'checklist');
    expect(list?.kind === 'checklist' && list.items.map((i) => i.label)).toEqual(d.onlyCase().tasks.map((t) => (t.title ? t.title : expect.any(String))));
  });

  it('two reminders\' questions at once: numbers continue, and answering one shows the other again', () => {
    const d = atTasks();
    for (const line of ['next', 'English', "I've sent it", 'I sent it anyway']) d.type(line);
    expect(d.onlyCase().letter.sentAt).toBeDefined();
    d.fire('letterConfirm');
    const second = d.fire('talkCheckIn');
    const checkIn = second.find((r) => r.kind === 'choices');
    expect(checkIn?.kind === 'choices' && checkIn.numberFrom).toBe(4);
    d.type('1');
    expect(d.onlyCase().letter.confirmedAt).toBeDefined();
    expect(d.text()).toContain('Still waiting for your answer:');
    const again = d.replies.find((r) => r.kind === 'choices' && r.ref.question === checkIn?.ref.question);
    expect(again?.kind === 'choices' && (again.numberFrom ?? 1)).toBe(1);
    d.type('9');
    expect(d.text()).toContain('"9" doesn\'t match any choice. Type a number from 1 to 4, or the words of a choice, e.g. "It went fine"');
    d.type('1');
    expect(d.onlyCase().conversation.checkIn).toBe('fine');
  });

  it('"done 2-4" ticks the three tasks of the range; a range far past the list is an unknown task', () => {
    const d = atTasks();
    d.type('done 2-4');
    expect(d.onlyCase().tasks.map((t) => t.done)).toEqual(d.onlyCase().tasks.map((_, i) => i >= 1 && i <= 3));
    d.type('done 1-999');
    expect(d.text()).toContain('There is no task "1-999"');
    expect(d.onlyCase().tasks[0]?.done).toBe(false);
  });

  it('while waiting for the wrap-up, "done 2" works and the plan is shown again; then a bare number ticks', () => {
    const d = atTasks();
    for (const line of ['next', 'English']) d.type(line);
    d.at('2026-12-01T09:00:00Z');
    d.type("I've sent it");
    expect(d.onlyCase().step).toBe('wrapWait');
    d.type('done 2');
    expect(d.onlyCase().tasks[1]).toMatchObject({ title: 'Blog', done: true, doneOn: '2026-12-01' });
    expect(d.replies.some((r) => r.kind === 'checklist')).toBe(true);
    d.type('1');
    expect(d.onlyCase().tasks[0]).toMatchObject({ title: 'Website', done: true });
    expect(d.onlyCase().step).toBe('wrapWait');
  });
});

describe('help per platform', () => {
  it('the console speaks of numbers and words; Slack and Discord of buttons', () => {
    const hints = { locale: 'en', timeZone: 'Europe/Berlin' } as const;
    const typed = new Driver(MONDAY, hints, { platform: 'console', tenant: '', id: 'ana' });
    typed.type('help');
    expect(typed.text()).toContain('by typing the number of a choice or its words');
    expect(typed.text()).not.toContain('button');
    for (const platform of ['slack', 'discord'] as const) {
      const chat = new Driver(MONDAY, hints, { platform, tenant: 'T1', id: 'U1' });
      chat.type('help');
      expect(chat.text()).toContain('with the buttons and menus');
    }
  });
});

describe('an answer that fits nothing', () => {
  it('says what would: the numbers and one choice\'s words, and asks again', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip']) d.type(line);
    d.type('banana');
    expect(d.text()).toContain('"banana" doesn\'t match any choice. Type a number from 1 to 2, or the words of a choice, e.g. "Yes, and nothing changed".');
    expect(d.onlyCase().step).toBe('raised');
    expect(d.replies.some((r) => r.kind === 'choices' && r.ref.question === 'raised')).toBe(true);
  });
});

describe('a waiting step', () => {
  it('a line typed before its choices were shown gets the choices, not "doesn\'t match"', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Yes, and nothing changed', '3 days']) d.type(line);
    expect(d.onlyCase().step).toBe('coolWait');
    d.type('1');
    expect(d.text()).not.toContain("doesn't match");
    expect(d.replies.some((r) => r.kind === 'choices' && r.ref.question === 'coolWait')).toBe(true);
    expect(d.onlyCase().step).toBe('coolWait');
  });
});

describe('first contact in the console', () => {
  it('says once which zone and language were taken from the computer, and how to change them', () => {
    const d = new Driver(MONDAY, { locale: 'de', timeZone: 'Europe/Vienna', timeZoneGuessed: true });
    d.type('start Acme');
    expect(d.text()).toContain('Laut diesem Computer ist deine Zeitzone Europe/Vienna, und ich spreche Deutsch mit dir.');
    expect(d.user.settings).toMatchObject({ timeZone: 'Europe/Vienna', timeZoneConfirmed: true });
    d.type('1,8');
    expect(d.text()).not.toContain('Laut diesem Computer');
  });
});
