import type { Case, NoticeKind } from '../model/case.js';
import { choices, input, reject, text } from '../engine/replies.js';
import type { Ctx, Rejection, StepDef } from '../engine/types.js';
import { addDays, compareDates, localParts } from '../time/calendar.js';
import { isWorkday, workdayOnOrAfter } from '../time/working-hours.js';
import { formatShortDate } from '../i18n/format.js';
import { acceptsDates, acceptsDaysOrDate, dayOf, readDate, readDays } from './dates.js';
import { goto } from './nav.js';

const MAX_NOTICE_DAYS = 365;

/** The talk's calendar date in the user's zone; notice counts from it. */
export function talkDate(c: Case, x: Ctx): string {
  return c.conversation.at ? localParts(new Date(c.conversation.at), x.settings.timeZone).date : x.today;
}

/**
 * Sets the last working day, with everything that hangs on it: tasks due on the old last day
 * follow, none stays after it, and a letter already sent with the old date must be redone.
 * Does not move the case to another step.
 */
export function applyLastDay(c: Case, x: Ctx, kind: NoticeKind, lastDay: string, days?: number): Rejection | void {
  const problem = lastDayProblem(c, x, lastDay);
  if (problem) return problem;
  const talk = talkDate(c, x);
  const before = c.notice.lastDay ?? c.notice.previousLastDay;
  c.notice = days === undefined ? { kind, lastDay } : { kind, days, lastDay };
  for (const t of c.tasks) {
    if (t.done) continue;
    if (t.due === before || compareDates(t.due, lastDay) > 0) t.due = lastDay;
  }
  x.out.push(text(x.say('notice.set', { date: dayOf(x, lastDay) }), 'success'));
  const clause = c.contract.noticeDays;
  if (clause && compareDates(lastDay, addDays(talk, clause)) < 0) {
    x.out.push(text(x.say('notice.shorterThanContract', { count: clause }), 'warning'));
  }
  if (c.letter.sentAt && before && before !== lastDay) {
    delete c.letter.sentAt;
    x.out.push(text(x.say('notice.resend'), 'warning'));
  }
}

/** Why a last day can't be: before the talk, or in the past. */
function lastDayProblem(c: Case, x: Ctx, lastDay: string): Rejection | null {
  const talk = talkDate(c, x);
  if (compareDates(lastDay, talk) < 0) {
    return reject(x.say('notice.beforeTalk', { date: dayOf(x, lastDay), talk: dayOf(x, talk) }));
  }
  if (compareDates(lastDay, x.today) < 0) return reject(x.say('date.past', { date: dayOf(x, lastDay) }));
  return null;
}

/** The last day for a notice of `days` from the talk; a day off moves to the next working day. */
export function lastDayAfter(c: Case, x: Ctx, days: number): string {
  return workdayOnOrAfter(addDays(talkDate(c, x), days), x.settings);
}

/** After the notice is chosen: on to the handover, or back to the plan when one exists. */
function setLastDay(c: Case, x: Ctx, kind: NoticeKind, lastDay: string, days?: number): Rejection | void {
  // A date the user named on a day off gets a choice; counted notice already lands on a workday.
  if (days === undefined && !isWorkday(lastDay, x.settings)) {
    const problem = lastDayProblem(c, x, lastDay);
    if (problem) return problem;
    c.notice.pendingLastDay = lastDay;
    c.notice.pendingKind = kind;
    return goto(c, 'lastDayOff');
  }
  delete c.notice.pendingLastDay;
  delete c.notice.pendingKind;
  const rejected = applyLastDay(c, x, kind, lastDay, days);
  if (rejected) return rejected;
  goto(c, c.tasks.length > 0 ? 'tasks' : 'projects');
}

const byDays = (c: Case, x: Ctx, kind: NoticeKind, days: number) => setLastDay(c, x, kind, lastDayAfter(c, x, days), days);

/** "21", "in 3 weeks", "2026-12-18": a custom notice as days from the talk or a last day. */
function customNotice(c: Case, raw: string, x: Ctx): Rejection | void {
  const days = readDays(raw, 1, MAX_NOTICE_DAYS);
  if (days === 'range') return reject(x.say('notice.custom.range', { max: MAX_NOTICE_DAYS }));
  if (days !== null) return byDays(c, x, 'custom', days);
  const when = readDate(raw, x, { allowPast: true });
  if (!when.ok) return reject(when.message);
  return setLastDay(c, x, 'custom', when.date);
}

export const noticeSteps: Record<'noticeKind' | 'noticeDate' | 'noticeDays' | 'lastDayOff', StepDef> = {
  lastDayOff: {
    ask(c, x) {
      const day = c.notice.pendingLastDay ?? x.today;
      const next = workdayOnOrAfter(day, x.settings);
      return [
        choices(c, 'lastDayOff', x.say('notice.dayOff', { date: dayOf(x, day) }), [
          { value: 'keep', label: x.say('dayOff.keep', { date: formatShortDate(x.locale, day) }) },
          { value: 'move', label: x.say('dayOff.move', { date: formatShortDate(x.locale, next) }), style: 'primary' },
        ]),
      ];
    },
    answer(c, a, x) {
      const day = c.notice.pendingLastDay;
      if (a.kind !== 'choice' || !day) return reject(x.say('common.pickOne'));
      const kind = c.notice.pendingKind ?? 'custom';
      delete c.notice.pendingLastDay;
      delete c.notice.pendingKind;
      const chosen = a.value === 'move' ? workdayOnOrAfter(day, x.settings) : day;
      const rejected = applyLastDay(c, x, kind, chosen);
      if (rejected) {
        // Time passed since the choice was offered: the notice question again, with why.
        x.out.push(...rejected.rejected);
        return goto(c, 'noticeKind');
      }
      goto(c, c.tasks.length > 0 ? 'tasks' : 'projects');
    },
  },
  noticeKind: {
    ask(c, x) {
      const clause = c.contract.noticeDays;
      return [
        choices(c, 'noticeKind', x.say('notice.ask'), [
          { value: 'twoWeeks', label: x.say('notice.twoWeeks'), style: 'primary' },
          { value: 'thirtyDays', label: x.say('notice.thirtyDays') },
          { value: 'natural', label: x.say('notice.natural') },
          ...(clause ? [{ value: 'contract', label: x.say('notice.contract', { count: clause }) }] : []),
          { value: 'custom', label: x.say('notice.custom') },
        ]),
      ];
    },
    answer(c, a, x) {
      // A typed date or number of days is a custom notice, without the detour.
      if (a.kind === 'text') return a.text.trim() ? customNotice(c, a.text, x) : reject(x.say('common.pickOne'));
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      switch (a.value) {
        case 'twoWeeks':
          return byDays(c, x, 'twoWeeks', 14);
        case 'thirtyDays':
          return byDays(c, x, 'thirtyDays', 30);
        case 'contract':
          if (c.contract.noticeDays) return byDays(c, x, 'contract', c.contract.noticeDays);
          return reject(x.say('common.pickOne'));
        case 'natural':
          return goto(c, 'noticeDate');
        default:
          return goto(c, 'noticeDays');
      }
    },
  },
  noticeDate: {
    ask: (c, x) => [input(c, 'noticeDate', x.say('notice.natural.ask'), 'date', acceptsDates(x))],
    answer(c, a, x) {
      const when = readDate(a.kind === 'text' ? a.text : '', x, { allowPast: true });
      if (!when.ok) return reject(when.message);
      return setLastDay(c, x, 'natural', when.date);
    },
  },
  noticeDays: {
    ask: (c, x) => [input(c, 'noticeDays', x.say('notice.custom.ask'), 'text', acceptsDaysOrDate(x, MAX_NOTICE_DAYS))],
    answer: (c, a, x) => customNotice(c, a.kind === 'text' ? a.text : '', x),
  },
};
