import type { IsoWeekday, Settings } from '../model/settings.js';
import { addDays, instantAt, localParts, weekdayOf } from './calendar.js';

/** The subset of settings that decides when a reminder may arrive. */
export type WorkingTime = Pick<Settings, 'timeZone' | 'workdayStart' | 'workdayEnd' | 'workdays'>;

// A week always contains a working day once settings are validated; the bound only guards
// against a corrupted record with no working days at all.
const MAX_SCAN_DAYS = 8;

export function isWorkday(date: string, w: WorkingTime): boolean {
  return w.workdays.length === 0 || w.workdays.includes(weekdayOf(date) as IsoWeekday);
}

/** First working day on or after `date`. */
export function workdayOnOrAfter(date: string, w: WorkingTime): string {
  let d = date;
  for (let i = 0; i < MAX_SCAN_DAYS && !isWorkday(d, w); i++) d = addDays(d, 1);
  return d;
}

/** Last working day on or before `date`. */
export function workdayOnOrBefore(date: string, w: WorkingTime): string {
  let d = date;
  for (let i = 0; i < MAX_SCAN_DAYS && !isWorkday(d, w); i++) d = addDays(d, -1);
  return d;
}

/** The `n`th working day after `date` (not counting `date` itself); n >= 1. */
export function addWorkdays(date: string, n: number, w: WorkingTime): string {
  let d = date;
  for (let i = 0; i < n; i++) d = workdayOnOrAfter(addDays(d, 1), w);
  return d;
}

export function morningOf(date: string, w: WorkingTime): Date {
  return instantAt(date, w.workdayStart, w.timeZone);
}

/** Start of the first working day on or after `date`: for things that may come late. */
export function morningOnOrAfter(date: string, w: WorkingTime): Date {
  return morningOf(workdayOnOrAfter(date, w), w);
}

/**
 * Start of the last working day on or before `date`, and strictly before `deadline` when
 * given: a warning may move earlier, never past what it warns about.
 */
export function morningNoLaterThan(date: string, w: WorkingTime, deadline?: Date): Date {
  let day = workdayOnOrBefore(date, w);
  let at = morningOf(day, w);
  for (let i = 0; deadline && at.getTime() >= deadline.getTime() && i < MAX_SCAN_DAYS; i++) {
    day = workdayOnOrBefore(addDays(day, -1), w);
    at = morningOf(day, w);
  }
  return at;
}

export function isWithinWorkingHours(instant: Date, w: WorkingTime): boolean {
  const { date, time } = localParts(instant, w.timeZone);
  return isWorkday(date, w) && time >= w.workdayStart && time < w.workdayEnd;
}

/** The instant itself when it falls in working hours, else the next working morning. */
export function nextWorkingInstant(instant: Date, w: WorkingTime): Date {
  if (isWithinWorkingHours(instant, w)) return instant;
  const { date, time } = localParts(instant, w.timeZone);
  const from = time < w.workdayStart ? date : addDays(date, 1);
  return morningOnOrAfter(from, w);
}
