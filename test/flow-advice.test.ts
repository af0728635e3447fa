import { describe, expect, it } from 'vitest';
import { talkingPoints } from '../src/flow/talking-points.js';
import { makeCtx } from '../src/engine/context.js';
import { defaultSettings } from '../src/model/settings.js';
import { Driver } from './helpers/driver.js';

const MONDAY = '2026-11-23T09:30:00Z'; // 10:30 in Berlin

const jobsOf = (d: Driver, kind: string) => [...d.jobs.values()].filter((j) => j.kind === kind);
const optionsOf = (d: Driver, question: string) =>
  d.replies.flatMap((r) => (r.kind === 'choices' && r.ref.question === question ? r.options : []));

/** Through the assessment with the given signs, to the cooling-off question. */
function assessed(signs: string, d = new Driver(MONDAY)): Driver {
  for (const line of ['start Acme', signs, 'skip', 'skip']) d.type(line);
  if (d.onlyCase().step === 'raised') d.type('Yes, and nothing changed');
  expect(d.onlyCase().step).toBe('coolLen');
  return d;
}

/** From cooling off to the notice question: no contract, nothing owed, a call, the general reason. */
function toNotice(d: Driver, talk = '2026-11-30 14:00'): Driver {
  for (const line of ['Skip cooling off', '2', 'no', '1', 'yes', '2', 'skip', '2', '1', talk]) d.type(line);
  expect(d.onlyCase().step).toBe('noticeKind');
  return d;
}

describe('assess: the signs and what they call for', () => {
  it('offers "overly demanding" and "no time for them"; price pressure gets its advice', () => {
    const d = new Driver(MONDAY);
    d.type('start Acme');
    const signs = d.replies.flatMap((r) => (r.kind === 'multi' ? r.options.map((o) => o.label) : []));
    expect(signs).toContain('Overly demanding: always expects more than we agreed');
    expect(signs).toContain('I no longer have the time for them');
    d.type('2,10');
    expect(d.onlyCase().reasons).toEqual(['pushesPrice', 'demanding']);
    d.type('skip');
    expect(d.text()).toContain("perhaps Acme simply can't afford you any more");
    expect(d.text()).toContain("Don't sell yourself short");
  });

  it('the gut check is recorded and comes back in pushback with the reasons', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'They keep changing the scope.']) d.type(line);
    expect(d.text()).toContain('what would it mean for your income, your creative work, your business?');
    d.type('I would lose a fifth of my income but win back my weekends');
    expect(d.onlyCase().gut).toBe('I would lose a fifth of my income but win back my weekends');
    d.type('Yes, and nothing changed');
    toNotice(d);
    for (const line of ['1', 'Website', 'No one comes to mind']) d.type(line);
    d.at('2026-12-01T09:00:00Z');
    d.type('pushback');
    expect(d.text()).toContain('• Pays late');
    expect(d.text()).toContain('• “They keep changing the scope.”');
    expect(d.text()).toContain('• Your gut check: “I would lose a fifth of my income but win back my weekends”');
    // And in status, with everything else recorded.
    d.type('status Acme');
    expect(d.text()).toContain('• “They keep changing the scope.”');
    expect(d.text()).toContain('• Your gut check: “I would lose a fifth of my income but win back my weekends”');
  });

  it('"have you raised it?": not yet → a check-in on the chosen day; it got better → kept, its own outcome in list', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip']) d.type(line);
    expect(d.onlyCase().step).toBe('raised');
    d.type('Not yet');
    expect(optionsOf(d, 'raisePlan').map((o) => o.label)).toEqual(['In 7 days', 'In 14 days', 'In 30 days', 'No, I want to end it now']);
    d.type('In 14 days');
    expect(d.onlyCase()).toMatchObject({ step: 'raiseWait', raise: { told: false, checkOn: '2026-12-07', days: 14 } });
    expect(d.text()).toContain("I'll ask you on Mon, Dec 7, 2026, 9:00 AM whether anything changed");
    expect(jobsOf(d, 'raiseCheckIn')[0]?.at).toBe('2026-12-07T08:00:00.000Z');
    // Nothing else is planned while the freelancer gives the client a chance.
    expect(jobsOf(d, 'coolingEnd')).toEqual([]);
    d.fire('raiseCheckIn');
    expect(d.text()).toContain('You raised the problems with Acme. Did it change anything?');
    d.type('It got better');
    expect(d.onlyCase()).toMatchObject({ stage: 'closed', outcome: 'improved' });
    expect(d.jobs.size).toBe(0);
    d.type('list');
    expect(d.text()).toContain('Acme (kept: raising it helped)');
  });

  it('nothing changed → on to cooling off; "too early" asks again after the same number of days', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Not yet', 'In 7 days']) d.type(line);
    d.fire('raiseCheckIn');
    d.type('Too early');
    expect(d.onlyCase().raise?.checkOn).toBe('2026-12-07');
    expect(jobsOf(d, 'raiseCheckIn')[0]?.at).toBe('2026-12-07T08:00:00.000Z');
    d.fire('raiseCheckIn');
    d.type('Nothing changed');
    expect(d.text()).toContain('you gave it a fair chance');
    expect(d.onlyCase()).toMatchObject({ step: 'coolLen', raise: { told: true } });
  });

  it('is not asked when the signs are the freelancer\'s side (no time, outgrown)', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '5,11', 'skip', 'skip']) d.type(line);
    expect(d.onlyCase().reasons).toEqual(['outgrown', 'noTime']);
    expect(d.onlyCase().step).toBe('coolLen');
  });
});

describe('notice', () => {
  it('the notice question names a project\'s end as a natural moment', () => {
    const d = toNotice(assessed('1,8'));
    expect(d.text()).toContain('If a project of theirs ends soon, its end is a natural moment to stop.');
  });

  it('shorter than two weeks: a note and a choice to give two weeks', () => {
    const d = toNotice(assessed('1,8'));
    d.type('7');
    expect(d.onlyCase()).toMatchObject({ step: 'noticeLength', notice: { days: 7, lastDay: '2026-12-07' } });
    expect(d.text()).toContain('That leaves Acme only 7 days. For ongoing work, about two weeks is fair');
    expect(optionsOf(d, 'noticeLength').map((o) => o.label)).toEqual(['Give two weeks (until Dec 14)', 'Keep Dec 7']);
    d.type('1');
    expect(d.onlyCase()).toMatchObject({ step: 'projects', notice: { kind: 'twoWeeks', days: 14, lastDay: '2026-12-14' } });
  });

  it('kept short, it is not asked again; a natural stopping point may be short', () => {
    const d = toNotice(assessed('1,8'));
    d.type('7');
    d.type('Keep Dec 7');
    expect(d.onlyCase()).toMatchObject({ step: 'projects', notice: { lastDay: '2026-12-07', lengthKept: true } });

    const e = toNotice(assessed('1,8'));
    e.type('3'); // a natural stopping point
    e.type('2026-12-04');
    expect(e.onlyCase()).toMatchObject({ step: 'projects', notice: { kind: 'natural', lastDay: '2026-12-04' } });
  });

  it('longer than three months: no need to stay that long, 30 days offered', () => {
    const d = toNotice(assessed('1,8'));
    d.type('120');
    expect(d.text()).toContain("That is 120 days of notice, more than three months. You don't need to stay that long");
    d.type('1');
    expect(d.onlyCase()).toMatchObject({ step: 'projects', notice: { kind: 'thirtyDays', days: 30, lastDay: '2026-12-30' } });
  });
});

describe('referrals only where they fit', () => {
  it('with a disrespectful client, no referral is the default and the refer task is left off', () => {
    const d = toNotice(assessed('9'));
    for (const line of ['1', 'Website']) d.type(line);
    expect(d.text()).toContain('You owe them no referral');
    expect(optionsOf(d, 'referral')[0]).toMatchObject({ value: 'none', label: 'No referral', style: 'primary' });
    d.type('1');
    expect(d.onlyCase().tasks.map((t) => t.kind)).not.toContain('refer');
    expect(d.onlyCase().referrals).toEqual([]);
  });

  it('the freelancer can still suggest someone: the referral and its task are added', () => {
    const d = toNotice(assessed('9'));
    for (const line of ['1', 'Website', 'A freelancer I know', 'Jo Bloggs']) d.type(line);
    expect(d.onlyCase().referrals).toEqual([{ kind: 'colleague', detail: 'Jo Bloggs' }]);
    d.type('status Acme');
    expect(d.text()).toContain('Referral: A freelancer I know — Jo Bloggs');
    expect(d.onlyCase().tasks.filter((t) => t.kind === 'refer')).toHaveLength(1);
  });

  it('otherwise the referral is offered as before, with its task', () => {
    const d = toNotice(assessed('1,8'));
    for (const line of ['1', 'Website']) d.type(line);
    expect(optionsOf(d, 'referral').at(-1)).toMatchObject({ value: 'none', label: 'No one comes to mind' });
    expect(d.onlyCase().tasks.map((t) => t.kind)).toContain('refer');
  });
});

describe('the talk', () => {
  const pointsOf = (d: Driver) =>
    talkingPoints(d.onlyCase(), makeCtx(new Date(MONDAY), { settings: defaultSettings({ locale: 'en', timeZone: 'Europe/Berlin' }), history: [] }));

  it('talking points: what went unmet, why parting suits both, one reason only, stay professional, goodwill', () => {
    const d = toNotice(assessed('1,8'));
    expect(d.text()).toContain('Your talking points:');
    const points = pointsOf(d);
    expect(points).toContain('which expectations were not met');
    expect(points).toContain('why parting is the better path for both of you');
    expect(points).toContain('Every extra detail only opens a debate');
    expect(points).toContain('future clients may ask them about you');
    expect(points).toContain("I'll send it to you");
  });

  it('no goodwill line for a disrespectful client', () => {
    const points = pointsOf(toNotice(assessed('9')));
    expect(points).toContain('future clients may ask them about you');
    expect(points).not.toContain("I'll send it to you");
  });

  it('after the talk went fine: anything else agreed goes on the case, then the letter', () => {
    const d = toNotice(assessed('1,8'));
    for (const line of ['1', 'Website', 'No one comes to mind', 'next', 'English']) d.type(line);
    d.fire('talkCheckIn');
    d.type('It went fine');
    expect(d.text()).toContain('Did you and Acme agree on anything else');
    d.type('Final delivery of the icons on 4 December; A handover call on 8 December');
    expect(d.onlyCase().conversation.agreed).toEqual(['Final delivery of the icons on 4 December', 'A handover call on 8 December']);
    expect(d.text()).toContain('Noted 2 agreed points: they go into the letter.');
    const letter = d.replies.find((r) => r.kind === 'file');
    expect(letter?.kind === 'file' && letter.content).toContain('We have also agreed on the following:\n- Final delivery of the icons on 4 December\n- A handover call on 8 December');
  });
});

describe('notice against the contract', () => {
  it('a short notice with a 30-day clause offers the contract\'s 30 days, not two weeks', () => {
    const d = new Driver(MONDAY);
    for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Yes, and nothing changed', 'Skip cooling off', '2', 'yes', 'yes', '30', 'yes', '2', 'skip', '2', '1', '2026-11-30 14:00']) d.type(line);
    d.type('Something else…');
    d.type('7');
    expect(optionsOf(d, 'noticeLength')[0]?.label).toBe("Give the contract's 30 days (until Dec 30)");
    d.type('1');
    expect(d.onlyCase()).toMatchObject({ step: 'projects', notice: { kind: 'contract', days: 30, lastDay: '2026-12-30' } });
    expect(d.text()).not.toContain('shorter');
  });
});
