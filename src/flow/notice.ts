import type { Case, NoticeKind } from '../model/case.js';
import { choices, input, reject, text } from '../engine/replies.js';
import type { Ctx, Rejection, StepDef } from '../engine/types.js';
import { addDays, compareDates, daysBetween, localParts } from '../time/calendar.js';
import { isWorkday, workdayOnOrAfter } from '../time/working-hours.js';
import { formatShortDate } from '../i18n/format.js';
import { acceptsDates, acceptsDaysOrDate, dayOf, readDate, readDays } from './dates.js';
import { goto } from './nav.js';

const MAX_NOTICE_DAYS = 365;
/** Less than this, ongoing work leaves the client no fair time to find someone else. */
const SHORT_NOTICE_DAYS = 14;
/** More than this, the freelancer is staying far longer than a good handover needs. */
const LONG_NOTICE_DAYS = 90;
const SHORTENED_NOTICE_DAYS = 30;

/** A notice worth a second look: short for ongoing work, or months long. Null when it is fine. */
function noticeLength(c: Case, x: Ctx): 'short' | 'long' | null {
  const n = c.notice;
  if (n.lengthKept || !n.lastDay || n.kind === 'contract') return null;
  const days = daysBetween(talkDate(c, x), n.lastDay);
  // A natural stopping point (a project's end) is not ongoing work: short is fine there.
  if (days < SHORT_NOTICE_DAYS && n.kind !== 'natural') return 'short';
  if (days > LONG_NOTICE_DAYS) return 'long';
  return null;
}

/**
 * The notice to offer instead: two weeks (or 30 days for a months-long one), but never less
 * than the contract's clause, which the freelancer is bound by anyway.
 */
function fairerNotice(c: Case, long: boolean): { kind: NoticeKind; days: number } {
  const clause = c.contract.noticeDays ?? 0;
  const days = long ? SHORTENED_NOTICE_DAYS : SHORT_NOTICE_DAYS;
  return clause > days ? { kind: 'contract', days: clause } : { kind: long ? 'thirtyDays' : 'twoWeeks', days };
}

/** Once the last day stands: its length looked at, then on to the handover. */
function afterLastDay(c: Case, x: Ctx): void {
  if (noticeLength(c, x)) return goto(c, 'noticeLength');
  goto(c, c.tasks.length > 0 ? 'tasks' : 'projects');
}

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
  // Counted days that end on a day off move to the next working day: said, so "45 days" and the
  // date shown do not seem to disagree.
  const counted = days === undefined ? null : addDays(talk, days);
  if (counted && counted !== lastDay && !isWorkday(counted, x.settings)) x.out.push(text(x.say('notice.movedOffDay', { date: dayOf(x, counted) }), 'info'));
  const clause = c.contract.noticeDays;
  if (clause && compareDates(lastDay, addDays(talk, clause)) < 0) {
    x.out.push(text(x.say('notice.shorterThanContract', { count: clause }), 'warning'));
  }
  if (c.letter.sentAt && before && before !== lastDay) {
    // The client has that letter: what it said stays on record, only the current one is open again.
    c.letter.earlier = [...(c.letter.earlier ?? []), { sentAt: c.letter.sentAt, lastDay: before }].slice(-MAX_EARLIER_LETTERS);
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

const MAX_EARLIER_LETTERS = 5;

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
  afterLastDay(c, x);
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

export const noticeSteps: Record<'noticeKind' | 'noticeDate' | 'noticeDays' | 'lastDayOff' | 'noticeLength', StepDef> = {
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
      afterLastDay(c, x);
    },
  },
  noticeLength: {
    ask(c, x) {
      const long = noticeLength(c, x) === 'long';
      const lastDay = c.notice.lastDay ?? x.today;
      const count = daysBetween(talkDate(c, x), lastDay);
      const fair = fairerNotice(c, long);
      const better = lastDayAfter(c, x, fair.days);
      const label =
        fair.kind === 'contract'
          ? x.say('notice.giveContract', { count: fair.days, date: formatShortDate(x.locale, better) })
          : x.say(long ? 'notice.shorten' : 'notice.lengthen', { date: formatShortDate(x.locale, better) });
      return [
        choices(c, 'noticeLength', x.say(long ? 'notice.long' : 'notice.short', { client: c.client, count }), [
          { value: 'change', label, style: 'primary' },
          { value: 'keep', label: x.say('notice.keepLength', { date: formatShortDate(x.locale, lastDay) }) },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      const length = noticeLength(c, x);
      if (a.value === 'keep' || !length) {
        c.notice.lengthKept = true;
        return goto(c, c.tasks.length > 0 ? 'tasks' : 'projects');
      }
      const fair = fairerNotice(c, length === 'long');
      const rejected = applyLastDay(c, x, fair.kind, lastDayAfter(c, x, fair.days), fair.days);
      if (rejected) return rejected;
      goto(c, c.tasks.length > 0 ? 'tasks' : 'projects');
    },
  },
  noticeKind: {
    ask(c, x) {
      const clause = c.contract.noticeDays;
      return [
        choices(c, 'noticeKind', `${x.say('notice.ask')}\n${x.say('notice.naturalHint')}`, [
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
