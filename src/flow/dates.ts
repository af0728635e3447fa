import { addDays, compareDates, instantAt, localParts } from '../time/calendar.js';
import { dateExamples, parseDateInput } from '../time/parse-date.js';
import { morningOf, nextWorkingInstant } from '../time/working-hours.js';
import { formatDate, formatInstant, formatTime } from '../i18n/format.js';
import type { Ctx } from '../engine/types.js';

const MAX_DAYS_AHEAD = 2 * 366;

/** What a date question accepts, shown with the question. */
export function acceptsDates(x: Ctx): string {
  return x.say('accepts.date', { examples: dateExamples(x.locale, x.today).join(' · ') });
}

/** For questions that take a number of days or a date. */
export function acceptsDaysOrDate(x: Ctx, maxDays: number): string {
  return x.say('accepts.daysOrDate', { max: maxDays, examples: dateExamples(x.locale, x.today).join(' · ') });
}

export type DateAnswer =
  | { ok: true; date: string; time?: string; instant: Date }
  | { ok: false; message: string };

/**
 * Parses a typed date for a question. Without a time of day the instant is the start of the
 * working day. Past dates are refused unless `allowPast`.
 */
export function readDate(raw: string, x: Ctx, opts: { allowPast?: boolean; allowToday?: boolean } = {}): DateAnswer {
  let parsed: ReturnType<typeof parseDateInput>;
  try {
    parsed = parseDateInput(raw, { locale: x.locale, timeZone: x.settings.timeZone, now: x.now });
  } catch {
    // "in 9999999 days" overflows the calendar: not a date anyone means.
    parsed = { ok: false, error: 'unrecognized' };
  }
  if (!parsed.ok) {
    const key = parsed.error === 'impossible' ? 'date.impossible' : 'date.unrecognized';
    return { ok: false, message: x.say(key, { input: raw.slice(0, 40) }) };
  }
  // Far-future dates are typos, and calendar arithmetic past year 9999 is undefined.
  if (compareDates(parsed.date, addDays(x.today, MAX_DAYS_AHEAD)) > 0) {
    return { ok: false, message: x.say('date.tooFar', { date: parsed.date }) };
  }
  const instant = parsed.time
    ? instantAt(parsed.date, parsed.time, x.settings.timeZone)
    : morningOf(parsed.date, x.settings);
  if (!opts.allowPast) {
    const cmp = compareDates(parsed.date, x.today);
    const past = parsed.time ? instant.getTime() <= x.now.getTime() : cmp < 0 || (cmp === 0 && !opts.allowToday);
    if (past) return { ok: false, message: x.say('date.past', { date: formatDate(x.locale, parsed.date) }) };
  }
  return parsed.time ? { ok: true, date: parsed.date, time: parsed.time, instant } : { ok: true, date: parsed.date, instant };
}

/** A whole number of days in [min, max], or null when the text is not one. */
// Units people add after a number of days or weeks, in the five languages.
const DAY_UNITS = /^(d|day|days|t|tag|tage|tagen|j|jour|jours|gun|gün|ngay|ngày)$/iu;
const WEEK_UNITS = /^(w|wk|week|weeks|woche|wochen|semaine|semaines|hafta|tuan|tuần)$/iu;

/** "30", "30 days", "30 jours", "14 gün", "2 Wochen" as a whole number of days in [min, max]. */
export function readDays(raw: string, min: number, max: number): number | null | 'range' {
  const m = /^\s*(\d{1,4})\s*(\p{L}+)?\.?\s*$/u.exec(raw);
  if (!m) return null;
  const unit = m[2] ?? '';
  const factor = !unit || DAY_UNITS.test(unit) ? 1 : WEEK_UNITS.test(unit) ? 7 : 0;
  if (!factor) return null;
  const n = Number(m[1]) * factor;
  return n < min || n > max ? 'range' : n;
}

/**
 * An instant as said in a sentence: "tomorrow at 09:00" only when it is tomorrow in the user's
 * zone, else the weekday and date.
 */
export function relativeMoment(x: Ctx, at: Date): string {
  const { date, time } = localParts(at, x.settings.timeZone);
  if (date === addDays(x.today, 1)) return x.say('when.tomorrow', { time: formatTime(x.locale, time) });
  if (date === x.today) return x.say('when.today', { time: formatTime(x.locale, time) });
  return x.say('when.on', { when: momentOf(x, at.toISOString()) });
}

export const dayOf = (x: Ctx, date: string): string => formatDate(x.locale, date);
export const momentOf = (x: Ctx, iso: string): string => formatInstant(x.locale, iso, x.settings.timeZone);

/** The cooling-off end N days from today: the start of that working day. */
export function coolingEnd(x: Ctx, days: number): Date {
  return nextWorkingInstant(morningOf(addDays(x.today, days), x.settings), x.settings);
}
