import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/model/reply.js';
import { compareDates, localParts } from '../src/time/calendar.js';
import { isWithinWorkingHours } from '../src/time/working-hours.js';
import { Driver } from './helpers/driver.js';

const LINES = [
  'start Acme', 'start Beta', '1,8', '1', '2', '3', '4', '5', '10', 'yes', 'no', 'skip', 'next', '30', '500',
  'done 1', 'undo 2', 'remove 3', 'add Call them | 2026-12-02', 'rename 1 X', 'date 2 2027-01-05',
  '2026-12-01 14:00', '2026-02-30', '2025-01-01', 'tomorrow 10:00', 'in 2 weeks', '1200 EUR 15.12.2026',
  'status', 'status Acme', 'list', 'letter', 'pushback', 'cancel Acme', 'settings', 'help', '/nope', 'forget', '',
  '@everyone', 'x'.repeat(300),
];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Istanbul', 'Asia/Ho_Chi_Minh'];

type Action =
  | { kind: 'type'; line: string }
  | { kind: 'click'; pick: number }
  | { kind: 'fire'; pick: number }
  | { kind: 'wait'; minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...LINES).map((line) => ({ kind: 'type' as const, line })) },
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

function checkInvariants(d: Driver, effectsBefore: number): void {
  const s = d.user.settings;
  for (const e of d.effects.slice(effectsBefore)) {
    if (e.kind !== 'schedule') continue;
    // Every reminder scheduled is in the future and inside the user's working hours.
    expect(Date.parse(e.reminder.at)).toBeGreaterThan(d.now.getTime());
    expect(isWithinWorkingHours(new Date(e.reminder.at), s)).toBe(true);
  }
  for (const c of d.cases.values()) {
    if (c.notice.lastDay && c.conversation.at) {
      expect(compareDates(c.notice.lastDay, localParts(new Date(c.conversation.at), s.timeZone).date)).toBeGreaterThanOrEqual(0);
    }
    const jobs = [...d.jobs.values()].filter((j) => j.caseId === c.id).map((j) => `${j.id}@${j.at}`).sort();
    const planned = c.reminders.map((r) => `${r.id}@${r.at}`).sort();
    // The jobs mirror the case's plan exactly; a closed case has none.
    expect(jobs).toEqual(planned);
    if (c.stage === 'closed') expect(jobs).toEqual([]);
  }
  for (const id of d.user.openCases) expect(d.cases.get(id)?.stage).not.toBe('closed');
}

describe('random event sequences (property)', () => {
  const reached = new Set<string>();
  it('never throws, never plans a last day before the talk, keeps reminders future, in working hours, and mirrored', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.array(action, { minLength: 20, maxLength: 150, size: 'max' }), (zone, actions) => {
        const d = new Driver('2026-11-23T09:30:00Z', { locale: 'en', timeZone: zone });
        let replies: Reply[] = [];
        for (const a of actions) {
          const before = d.effects.length;
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
          checkInvariants(d, before);
          for (const c of d.cases.values()) reached.add(c.stage === 'closed' ? `closed:${c.outcome}` : c.stage);
        }
      }),
      // A fixed seed keeps CI reproducible (the coverage check below must not flake);
      // PROPERTY_SEED=<n> explores other sequences.
      { numRuns: 400, seed: Number(process.env.PROPERTY_SEED ?? 20261123) },
    );
    // The random walks must really get through the flow, or the property proves little.
    for (const stage of ['assess', 'cooling', 'contract', 'conversation', 'notice', 'handover', 'letter', 'wrapup', 'closed:kept', 'closed:cancelled']) {
      expect(reached).toContain(stage);
    }
  });
});
