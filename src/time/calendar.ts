/**
 * Calendar dates as 'yyyy-MM-dd' strings and wall-clock times as 'HH:mm' strings.
 *
 * Date arithmetic runs in UTC on the y-m-d so that nothing depends on the host's zone:
 * the same code gives the same answers on a laptop in Auckland and a server in UTC.
 */
import { tzOffset } from '@date-fns/tz';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'yyyy-MM-dd' from numeric parts (not validated). */
export function ymd(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** 'HH:mm' from numeric parts (not validated). */
export function hhmm(h: number, min: number): string {
  return `${pad(h)}:${pad(min)}`;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** True for a real day of the Gregorian calendar (years 1–9999, which is all we can print). */
export function isValidDate(y: number, m: number, d: number): boolean {
  if (![y, m, d].every(Number.isInteger)) return false;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function isValidTime(h: number, min: number): boolean {
  return Number.isInteger(h) && Number.isInteger(min) && h >= 0 && h <= 23 && min >= 0 && min <= 59;
}

// Malformed dates are a programming error upstream, so they throw instead of guessing.
function splitDate(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  const parts: [number, number, number] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  if (!m || !isValidDate(...parts)) throw new RangeError(`Not a calendar date: ${JSON.stringify(date)}`);
  return parts;
}

function splitTime(time: string): [number, number] {
  const m = TIME_RE.exec(time);
  const parts: [number, number] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || !isValidTime(...parts)) throw new RangeError(`Not a time of day: ${JSON.stringify(time)}`);
  return parts;
}

function dateFromUtc(ms: number): string {
  const d = new Date(ms);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function utcMidnight(date: string): number {
  const [y, m, d] = splitDate(date);
  // Date.UTC maps years 0–99 onto 1900–1999; setUTCFullYear does not.
  const at = new Date(Date.UTC(2000, m - 1, d));
  at.setUTCFullYear(y);
  return at.getTime();
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  return dateFromUtc(utcMidnight(date) + n * DAY_MS);
}

/** Whole calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
}

/** Negative, zero or positive like a sort comparator; always -1, 0 or 1. */
export function compareDates(a: string, b: string): number {
  return Math.sign(utcMidnight(a) - utcMidnight(b));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  const day = new Date(utcMidnight(date)).getUTCDay();
  return (day === 0 ? 7 : day) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** Minutes east of UTC; throws for a zone Intl does not know rather than silently using UTC. */
function offsetAt(timeZone: string, ms: number): number {
  const offset = tzOffset(timeZone, new Date(ms));
  if (Number.isNaN(offset)) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
  return offset;
}

/** The calendar date and wall-clock time an instant shows in a zone. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid instant');
  // Zone offsets are whole minutes, so every instant of one UTC minute has the same local
  // date and HH:mm: the minute is an exact cache key.
  const key = `${timeZone}|${Math.floor(ms / MINUTE_MS)}`;
  const hit = LOCAL_PARTS.get(key);
  if (hit) return { ...hit };
  const shifted = new Date(ms + offsetAt(timeZone, ms) * MINUTE_MS);
  const parts = {
    date: dateFromUtc(shifted.getTime()),
    time: hhmm(shifted.getUTCHours(), shifted.getUTCMinutes()),
  };
  if (LOCAL_PARTS.size >= LOCAL_PARTS_MAX) LOCAL_PARTS.clear();
  LOCAL_PARTS.set(key, parts);
  return { ...parts };
}

const LOCAL_PARTS = new Map<string, { date: string; time: string }>();
const LOCAL_PARTS_MAX = 4096;

export function todayIn(timeZone: string, now: Date): string {
  return localParts(now, timeZone).date;
}

/**
 * The instant at which the wall clock in `timeZone` shows `time` on `date`.
 *
 * - Normal times: the one instant that shows them.
 * - Repeated times (autumn fall-back, e.g. 02:30 on 2026-10-25 in Berlin): the first
 *   occurrence, so a reminder never arrives an hour later than the user could expect.
 * - Skipped times (spring-forward gap, e.g. 02:30 on 2026-03-29 in Berlin): the first
 *   instant after the gap (03:00 local). Not "shift by the gap length" (03:30), which is
 *   what `Date`/`TZDate` do: that would put 02:30 after 03:15 and break the ordering of
 *   times within the day, which working-hours checks rely on.
 *
 * The offsets are worked out with `tzOffset` rather than `new TZDate(y, m, d, h, min, zone)`
 * because TZDate's choice between the two occurrences of a repeated time depends on the
 * host's zone (checked with @date-fns/tz 1.5: Berlin 02:30 on 2026-10-25 gives 01:30Z on a
 * UTC host and 00:30Z on an Auckland host).
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const key = `${timeZone}|${date}|${time}`;
  const hit = INSTANT_CACHE.get(key);
  if (hit !== undefined) return new Date(hit);
  const at = computeInstantAt(date, time, timeZone);
  if (INSTANT_CACHE.size >= INSTANT_CACHE_MAX) INSTANT_CACHE.clear();
  INSTANT_CACHE.set(key, at.getTime());
  return at;
}

// Pure in (date, time, zone) for the life of the process (tzdata is fixed at start-up).
const INSTANT_CACHE = new Map<string, number>();
const INSTANT_CACHE_MAX = 4096;

function computeInstantAt(date: string, time: string, timeZone: string): Date {
  const [h, min] = splitTime(time);
  const wall = utcMidnight(date) + (h * 60 + min) * MINUTE_MS;
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const matches = [...new Set([before, after, offsetAt(timeZone, wall)])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((ms) => localMs(ms, timeZone) === wall);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(firstInstantWithOffset(timeZone, after, wall - after * MINUTE_MS, wall - before * MINUTE_MS));
}

function localMs(ms: number, timeZone: string): number {
  return ms + offsetAt(timeZone, ms) * MINUTE_MS;
}

/**
 * Binary search, in whole minutes, for the transition into `offset` inside [lo, hi]: the
 * end of a gap. Transitions fall on whole minutes in every zone still in use.
 */
function firstInstantWithOffset(timeZone: string, offset: number, lo: number, hi: number): number {
  let low = Math.floor(lo / MINUTE_MS);
  let high = Math.ceil(hi / MINUTE_MS);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, mid * MINUTE_MS) === offset) high = mid;
    else low = mid + 1;
  }
  return high * MINUTE_MS;
}
