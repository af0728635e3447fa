import type { Locale } from '../../src/model/settings.js';
import { instantAt } from '../../src/time/calendar.js';
import { parseDateInput } from '../../src/time/parse-date.js';

/** What `wait …` asks for: the next reminder, a span, or an instant. */
export type WaitTarget = { kind: 'next' } | { kind: 'at'; at: Date } | { kind: 'bad' } | { kind: 'past'; at: Date } | { kind: 'tooFar' };

/** Far enough for any notice period and wrap-up; a typo of "3000 days" should not spin for minutes. */
export const MAX_WAIT_DAYS = 400;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Unit words of the five languages, folded (no accents, lower case); the console's own command.
const UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(m|min|mins|minute|minutes|minuten?|phut)$/, MINUTE],
  [/^(h|hr|hrs|hour|hours|std|stunden?|heures?|saat|gio)$/, HOUR],
  [/^(d|day|days|tag|tage|tagen|jours?|gun|ngay)$/, DAY],
  [/^(w|wk|week|weeks|wochen?|semaines?|hafta|tuan)$/, 7 * DAY],
];

const fold = (text: string): string =>
  text
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

// "until" in the five languages, so `wait until 15.12.` reads naturally in each (Turkish puts
// "kadar" after the date).
const UNTIL_BEFORE = new Set(['until', 'till', 'to', 'bis', "jusqu'au", "jusqu'a", 'jusqu’au', 'jusqu’a', 'den', 'toi']);
const UNTIL_AFTER = new Set(['kadar']);

/** The date part of "until 15.12.2026 10:00" / "15 Aralık'a kadar", as typed. */
function withoutUntil(arg: string): string {
  const words = arg.trim().split(/\s+/);
  if (words.length > 1 && UNTIL_BEFORE.has(fold(words[0] ?? ''))) words.shift();
  if (words.length > 1 && UNTIL_AFTER.has(fold(words.at(-1) ?? ''))) words.pop();
  return words.join(' ');
}

/** Reads the argument of `wait` in the user's zone; `now` is the console's clock. */
export function readWait(arg: string, ctx: { locale: Locale; timeZone: string; now: Date; workdayStart: string }): WaitTarget {
  const text = fold(arg.trim().replace(/\s+/g, ' '));
  if (text === '') return { kind: 'next' };
  const span = /^(\d{1,6})\s*([a-z]+)$/.exec(text);
  if (span) {
    const unit = UNITS.find(([re]) => re.test(span[2] ?? ''))?.[1];
    if (!unit) return { kind: 'bad' };
    const ms = Number(span[1]) * unit;
    if (ms <= 0) return { kind: 'bad' };
    if (ms > MAX_WAIT_DAYS * DAY) return { kind: 'tooFar' };
    return { kind: 'at', at: new Date(ctx.now.getTime() + ms) };
  }
  const parsed = parseDateInput(withoutUntil(arg), ctx);
  if (!parsed.ok) return { kind: 'bad' };
  // A day without a time means the start of that working day: when the reminders come.
  const at = instantAt(parsed.date, parsed.time ?? ctx.workdayStart, ctx.timeZone);
  if (at.getTime() <= ctx.now.getTime()) return { kind: 'past', at };
  if (at.getTime() - ctx.now.getTime() > MAX_WAIT_DAYS * DAY) return { kind: 'tooFar' };
  return { kind: 'at', at };
}
