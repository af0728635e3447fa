/**
 * Reads a date a user typed in chat into a calendar date (and a time of day when given).
 *
 * Order matters: our own strict readers go first (numeric forms, then a small table of
 * relative words), chrono-node only after. chrono reads "01.12.2026" month-first in English,
 * rolls or drops impossible dates, and happily matches "tomorrow" inside "not tomorrow" or
 * "day after tomorrow" — so it never sees numeric dates, and we only take a chrono result
 * that accounts for the whole input.
 */
import { tzOffset } from '@date-fns/tz';
import * as chrono from 'chrono-node';
import type { Chrono, ParsedComponents, ParsedResult, ParsingComponents, ParsingReference } from 'chrono-node';
import type { Locale } from '../model/settings.js';
import { weekdayDate } from './weekday-words.js';
import { addDays, compareDates, daysInMonth, hhmm, isValidDate, isValidTime, localParts, todayIn, ymd } from './calendar.js';

export interface DateParseContext {
  locale: Locale;
  timeZone: string;
  now: Date;
}

export type DateParseResult =
  | { ok: true; date: string; time?: string }
  | { ok: false; error: 'empty' | 'impossible' | 'unrecognized' };

/** Short inputs the parser accepts, for showing next to a date question. */
/** Ways to write a date, per language; `{d}` is a date a week from today in that form. */
const EXAMPLE_FORMS: Record<Locale, string[]> = {
  en: ['{iso}', '{dot} 14:30', 'next Tuesday 3pm', 'in 2 weeks'],
  de: ['{dot}', '{dot} 14:30', 'morgen 10 Uhr', 'in 2 Wochen'],
  fr: ['{slash}', '{slash} 14h30', 'demain 14h', 'dans 2 semaines'],
  tr: ['{dot}', '{dot} 14:30', 'yarın 14:30', '3 gün sonra'],
  vi: ['{slash}', '{slash} 14:30', 'ngày mai 14:30', '3 ngày nữa'],
};

/**
 * Example answers for a date question, with a real date a week after `today` ("yyyy-MM-dd")
 * so a hint never shows a day already past.
 */
export function dateExamples(locale: Locale, today: string): string[] {
  const [y = '', m = '', d = ''] = addDays(today, 7).split('-');
  return EXAMPLE_FORMS[locale].map((f) => f.replace('{iso}', `${y}-${m}-${d}`).replace('{dot}', `${d}.${m}.${y}`).replace('{slash}', `${d}/${m}/${y}`));
}

// Real answers are a few words; the cap keeps regexes and chrono cheap on a pasted essay.
const MAX_INPUT_LENGTH = 200;
// Feb 29 recurs within 8 years; a bound keeps the search finite for anything else.
const MAX_YEARS_AHEAD = 8;

type Found = { date: string; time?: string };
/** A reader's verdict; null means "not my kind of input", so the next reader may try. */
type Attempt = Found | 'impossible' | null;

export function parseDateInput(text: string, ctx: DateParseContext): DateParseResult {
  const raw = text.replace(/\s+/g, ' ').trim();
  if (raw === '') return { ok: false, error: 'empty' };
  if (raw.length > MAX_INPUT_LENGTH) return { ok: false, error: 'unrecognized' };
  const today = todayIn(ctx.timeZone, ctx.now);
  const folded = fold(raw);

  const own = readNumeric(folded, today) ?? readRelativeWords(folded, today);
  if (own) return settle(own);

  // chrono reads numeric dates month-first in English: never let it near one.
  const viaChrono = DATE_TOKEN.test(folded) ? null : readWithChronos(raw, folded, ctx, today);
  if (viaChrono !== null && viaChrono !== 'impossible') return settle(viaChrono);
  return settle(viaChrono === 'impossible' || hasImpossibleToken(folded, today) ? 'impossible' : null);
}

function settle(attempt: Attempt): DateParseResult {
  if (attempt === null) return { ok: false, error: 'unrecognized' };
  if (attempt === 'impossible') return { ok: false, error: 'impossible' };
  return attempt.time ? { ok: true, date: attempt.date, time: attempt.time } : { ok: true, date: attempt.date };
}

/** Lower case without diacritics, so "yarin", "ngay mai" and "apres-demain" match too. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------
// Times of day

const TIME_SRC = String.raw`\d{1,2}(?:[:.h]\d{2}(?::\d{2})?)?\s*(?:uhr|h|am|pm)?`;
const TIME_PARTS = /^(\d{1,2})(?:[:.h](\d{2})(?::(\d{2}))?)?\s*(uhr|h|am|pm)?$/;
const TIME_WORD = String.raw`(?:at|um|gegen|a|vers|saat|luc|vao luc|vao)`;
const CONNECT = String.raw`(?:\s*,\s*|\s+)(?:${TIME_WORD}\s+)?`;

/** "14:30", "14.30", "14h30", "14h", "14 Uhr", "3pm" → "HH:mm"; a bare "14" is not a time. */
function readClock(token: string): string | 'impossible' | null {
  const m = TIME_PARTS.exec(token.trim());
  if (!m) return null;
  const [, hours, minutes, seconds, suffix] = m;
  if (minutes === undefined && suffix === undefined) return null;
  let h = Number(hours);
  const min = Number(minutes ?? '0');
  if (suffix === 'am' || suffix === 'pm') {
    if (h < 1 || h > 12) return 'impossible';
    h = (h % 12) + (suffix === 'pm' ? 12 : 0);
  }
  return isValidTime(h, min) && Number(seconds ?? '0') <= 59 ? hhmm(h, min) : 'impossible';
}

function withClock(date: string, token: string | undefined): Attempt {
  if (token === undefined) return { date };
  const time = readClock(token);
  if (time === null) return null;
  return time === 'impossible' ? time : { date, time };
}

// ---------------------------------------------------------------------------------------
// Numeric dates: ISO year-first, everything else day-first

const LEAD = String.raw`(?:(?:on|am|le|den|ngay|vao|by|bis|zum|until)\s+){0,2}`;
const TAIL = String.raw`(?:(?:t|${CONNECT})(${TIME_SRC}))?`;
const ISO_RE = new RegExp(String.raw`^${LEAD}(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TAIL}\.?$`);
const DMY_RE = new RegExp(String.raw`^${LEAD}(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})${TAIL}\.?$`);
// "5.12." needs its final dot so that a time like "14.30" is not read as a date.
const DM_RE = new RegExp(String.raw`^${LEAD}(\d{1,2})(?:\.(\d{1,2})\.|/(\d{1,2}))${TAIL}$`);
/** Anything chrono would read as a numeric date (and likely month-first). */
const DATE_TOKEN = /\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\.\d{1,2}\.(?!\d)|\d{1,2}\/\d{1,2}/;

function readNumeric(folded: string, today: string): Attempt {
  const iso = ISO_RE.exec(folded);
  if (iso) return datedAttempt(Number(iso[1]), Number(iso[3]), Number(iso[4]), iso[5]);
  const dmy = DMY_RE.exec(folded);
  if (dmy) return datedAttempt(fullYear(dmy[4] ?? ''), Number(dmy[3]), Number(dmy[1]), dmy[5]);
  const dm = DM_RE.exec(folded);
  if (!dm) return null;
  const month = Number(dm[2] ?? dm[3]);
  const year = upcomingYear(month, Number(dm[1]), today);
  return year === null ? 'impossible' : datedAttempt(year, month, Number(dm[1]), dm[4]);
}

function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function datedAttempt(y: number, m: number, d: number, timeToken: string | undefined): Attempt {
  if (!isValidDate(y, m, d)) return 'impossible';
  return withClock(ymd(y, m, d), timeToken);
}

/** The year of the next (m, d) that is today or later; null when no year has that day. */
function upcomingYear(m: number, d: number, today: string): number | null {
  if (!Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(d) || d < 1) return null;
  if (d > daysInMonth(2000, m)) return null;
  const thisYear = Number(today.slice(0, 4));
  for (let y = thisYear; y <= thisYear + MAX_YEARS_AHEAD; y++) {
    if (isValidDate(y, m, d) && compareDates(ymd(y, m, d), today) >= 0) return y;
  }
  return null;
}

/** A single malformed piece ("25:00", "2026-02-30") makes the whole answer impossible. */
function hasImpossibleToken(folded: string, today: string): boolean {
  const dates = folded.match(/\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/g) ?? [];
  const clocks = folded.match(/(?<![\d.:])\d{1,2}(?:[:h]\d{2}|\s*uhr)(?![\d:])/g) ?? [];
  return dates.some((t) => readNumeric(t, today) === 'impossible') || clocks.some((t) => readClock(t) === 'impossible');
}

// ---------------------------------------------------------------------------------------
// Relative words, our own table: all of Turkish and Vietnamese, and the common phrases of the
// other languages so that "demain 14h" or "tomorrow 14h30" work the same everywhere.

const DAY_WORDS: ReadonlyMap<string, number> = new Map([
  ...words(-1, 'yesterday', 'gestern', 'hier', 'dun', 'hom qua'),
  ...words(0, 'today', 'heute', "aujourd'hui", 'aujourdhui', 'bugun', 'hom nay'),
  ...words(1, 'tomorrow', 'morgen', 'demain', 'yarin', 'ngay mai'),
  ...words(
    2,
    'day after tomorrow',
    'the day after tomorrow',
    'ubermorgen',
    'uebermorgen',
    'apres-demain',
    'apres demain',
    'obur gun',
    'oburgun',
    'yarindan sonra',
    'ngay kia',
    'ngay mot',
  ),
]);

function words(offset: number, ...phrases: string[]): Array<[string, number]> {
  return phrases.map((p) => [p, offset]);
}

const N = String.raw`(\d{1,3})`;
const COUNT_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`^in ${N} (days?|weeks?|tag|tage|tagen|woche|wochen)$`),
  new RegExp(String.raw`^${N} (days?|weeks?) from (?:now|today)$`),
  new RegExp(String.raw`^dans ${N} (jours?|semaines?)$`),
  new RegExp(String.raw`^${N} (gun|hafta) sonra$`),
  new RegExp(String.raw`^${N} (ngay|tuan) (?:nua|sau)$`),
  new RegExp(String.raw`^sau ${N} (ngay|tuan)(?: nua)?$`),
];
const WEEK_UNITS = new Set(['week', 'weeks', 'woche', 'wochen', 'semaine', 'semaines', 'hafta', 'tuan']);

function dayOffset(phrase: string): number | null {
  const known = DAY_WORDS.get(phrase);
  if (known !== undefined) return known;
  for (const re of COUNT_PATTERNS) {
    const m = re.exec(phrase);
    if (m) return Number(m[1]) * (WEEK_UNITS.has(m[2] ?? '') ? 7 : 1);
  }
  return null;
}

const TIME_LAST = new RegExp(String.raw`^(.+?)${CONNECT}(${TIME_SRC})$`);
const TIME_FIRST = new RegExp(String.raw`^(?:${TIME_WORD}\s+)?(${TIME_SRC})(?:\s*,\s*|\s+)(.+)$`);

function readRelativeWords(folded: string, today: string): Attempt {
  const text = folded.replace(/[.!]+$/, '');
  const splits: Array<[string, string | undefined]> = [[text, undefined]];
  const last = TIME_LAST.exec(text);
  if (last) splits.push([last[1] ?? '', last[2]]);
  const first = TIME_FIRST.exec(text);
  if (first) splits.push([first[2] ?? '', first[1]]);
  for (const [phrase, clock] of splits) {
    const offset = dayOffset(phrase);
    if (offset !== null) return withClock(addDays(today, offset), clock);
    // "perşembe günü", "thứ Năm tuần sau": weekdays chrono does not read in these languages.
    const weekday = weekdayDate(phrase.replace(/ gunu$/, ''), today);
    if (weekday !== null) return withClock(weekday, clock);
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// chrono-node, for everything else in en, de, fr (and vi)

const CHRONO_BY_LOCALE: Partial<Record<Locale, Chrono>> = {
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  vi: chrono.vi.casual,
};

/** Words that may surround a date without changing it ("on Dec 5", "am 5. Dezember"). */
const FILLER = new Set(['on', 'at', 'by', 'the', 'until', 'am', 'um', 'bis', 'zum', 'den', 'le', 'a', 'pour', 'vao', 'luc', 'saat']);
/** Markers of a past weekday; without one, a weekday means the coming one. */
const PAST_MARKER = /\b(?:last|past|previous|letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?|dernier|derniere|passe|passee|precedent|truoc)\b/;

/**
 * Tries the user's chrono and then English (people mix). 'impossible' when nothing fit and
 * some reading had a named but impossible day such as "Feb 30" (chrono drops those silently).
 */
function readWithChronos(raw: string, folded: string, ctx: DateParseContext, today: string): Attempt {
  const own = CHRONO_BY_LOCALE[ctx.locale];
  const parsers = own ? [own, chrono.en.casual] : [chrono.en.casual];
  const texts = folded === raw.toLowerCase() ? [raw] : [raw, folded];
  // chrono then computes in the user's wall clock (as a fixed offset) instead of the host's.
  const ref: ParsingReference = { instant: ctx.now, timezone: tzOffset(ctx.timeZone, ctx.now) };
  let impossible = false;
  for (const parser of parsers) {
    for (const text of texts) {
      const attempt = readWithChrono(parser, text, ref, today, ctx.timeZone);
      if (attempt === 'impossible') impossible = true;
      else if (attempt) return attempt;
    }
  }
  return impossible ? 'impossible' : null;
}

function readWithChrono(base: Chrono, text: string, ref: ParsingReference, today: string, zone: string): Attempt {
  const parser = base.clone();
  let impossible = false;
  // Runs on the raw matches, before chrono's own filter throws invalid days away unseen.
  parser.refiners.unshift({
    refine: (_context, results) => {
      for (const r of results) if (!settleYear(r.start, today)) impossible = true;
      return results;
    },
  });
  for (const result of parser.parse(text, ref)) {
    if (!coversInput(text, result)) continue;
    const attempt = fromChrono(result, today, zone);
    if (attempt) return attempt;
  }
  return impossible ? 'impossible' : null;
}

/**
 * Checks a day with a known month and gives a year-less one the upcoming year (today
 * counts). chrono's own forwardDate compares the host-shifted reference with true instants,
 * so its answer changes with the host zone, and it rolls "today, earlier than now" a year on.
 */
function settleYear(c: ParsingComponents, today: string): boolean {
  const month = c.get('month');
  const day = c.get('day');
  if (!c.isCertain('month') || !c.isCertain('day') || month === null || day === null) return true;
  const year = c.get('year');
  if (c.isCertain('year')) return year !== null && isValidDate(year, month, day);
  const upcoming = upcomingYear(month, day, today);
  if (upcoming === null) return false;
  c.imply('year', upcoming);
  return true;
}

function coversInput(text: string, result: ParsedResult): boolean {
  const rest = text.slice(0, result.index) + ' ' + text.slice(result.index + result.text.length);
  return fold(rest)
    .split(/[\s,.;:!?()]+/)
    .every((word) => word === '' || FILLER.has(word));
}

function fromChrono(result: ParsedResult, today: string, zone: string): Attempt {
  const c = result.start;
  const weekdayOnly = c.isCertain('weekday') && !c.isCertain('day') && !c.isCertain('month');
  // A month alone ("May"), a year or a bare time is not a date.
  if (result.end || !(c.isCertain('day') || weekdayOnly || c.tags().has('result/relativeDate'))) return null;
  const [y, m, d] = [c.get('year'), c.get('month'), c.get('day')];
  if (y === null || m === null || d === null || !isValidDate(y, m, d)) return 'impossible';
  let date = ymd(y, m, d);
  // chrono takes a bare weekday as the closest one, which may be behind us.
  if (weekdayOnly && compareDates(date, today) < 0 && !PAST_MARKER.test(fold(result.text))) date = addDays(date, 7);
  return withChronoTime(c, date, zone);
}

function withChronoTime(c: ParsedComponents, date: string, zone: string): Attempt {
  const h = c.get('hour');
  const min = c.get('minute') ?? 0;
  if (!c.isCertain('hour') || h === null) return { date };
  if (!isValidTime(h, min)) return 'impossible';
  const time = hhmm(h, min);
  const offset = c.get('timezoneOffset');
  if (!c.isCertain('timezoneOffset') || offset === null) return { date, time };
  // "3pm UTC": chrono gives that zone's wall clock; the user's zone is what we report.
  return localParts(new Date(Date.parse(`${date}T${time}:00Z`) - offset * 60_000), zone);
}
