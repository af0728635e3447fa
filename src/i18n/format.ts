import type { Locale } from '../model/settings.js';

// Intl formatters are costly to build and the engine formats on every turn.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/**
 * A calendar date "yyyy-MM-dd" written out in the reader's language: "Monday, January 11, 2027",
 * "lundi 11 janvier 2027", "11 Ocak 2027 Pazartesi", and for Vietnamese the administrative form
 * "thứ Hai, ngày 11 tháng 01 năm 2027" (Intl's "Thứ Hai, 11 tháng 1, 2027" reads English-ordered).
 */
export function formatDate(locale: Locale, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Noon UTC, formatted in UTC: the calendar date can't shift whatever the host zone.
  const at = new Date(Date.UTC(y, m - 1, d, 12));
  if (locale === 'vi') {
    const weekday = dateFormat('vi', { weekday: 'long', timeZone: 'UTC' }).format(at);
    const two = (n: number): string => String(n).padStart(2, '0');
    return `${weekday.charAt(0).toLocaleLowerCase('vi')}${weekday.slice(1)}, ngày ${two(d)} tháng ${two(m)} năm ${y}`;
  }
  const text = dateFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(at);
  return locale === 'fr' ? frenchFirstOfMonth(text) : text;
}

/** French writes the first of the month as an ordinal: "mardi 1er décembre", "1er déc.". */
function frenchFirstOfMonth(text: string): string {
  return text.replace(/(^|\s)1(?=\s)/u, '$1' + '1er');
}

/** A short calendar date, e.g. "1 Dec" / "01.12." for lists. */
export function formatShortDate(locale: Locale, date: string): string {
  const key = `${locale}|${date}`;
  const hit = SHORT_DATES.get(key);
  if (hit !== undefined) return hit;
  if (SHORT_DATES.size >= 4096) SHORT_DATES.clear();
  const text = formatShortDateUncached(locale, date);
  SHORT_DATES.set(key, text);
  return text;
}

const SHORT_DATES = new Map<string, string>();

function formatShortDateUncached(locale: Locale, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d, 12));
  const text = dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
  return locale === 'fr' ? frenchFirstOfMonth(text) : text;
}

/**
 * An instant in the user's zone, date and time as each language says them in a sentence:
 * "Montag, 11. Januar 2027, um 9:00 Uhr", "lundi 11 janvier 2027 à 9 h",
 * "11 Ocak 2027 Pazartesi saat 09:00", "9:00 thứ Hai, ngày 11 tháng 01 năm 2027".
 */
export function formatInstant(locale: Locale, iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (locale === 'en') {
    // "9:00 AM": a 12-hour clock has no leading zero in English.
    return dateFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone }).format(at);
  }
  const parts = dateFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  const date = formatDate(locale, `${part('year')}-${part('month')}-${part('day')}`);
  const time = formatTime(locale, `${part('hour')}:${part('minute')}`);
  switch (locale) {
    case 'de': return `${date}, um ${time} Uhr`;
    case 'fr': return `${date} à ${time}`;
    case 'tr': return `${date} saat ${time}`;
    case 'vi': return `${time} ${date}`;
  }
}

/**
 * A wall-clock time "HH:mm" as the reader's language writes it: "9:00 AM" (en), "9:00" (de, before
 * "Uhr"), "9 h" / "9 h 30" (fr), "09:00" (tr), "9:00" (vi).
 */
export function formatTime(locale: Locale, time: string): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const mm = String(m).padStart(2, '0');
  switch (locale) {
    case 'fr': return m === 0 ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${mm}`;
    case 'de':
    case 'vi': return `${h}:${mm}`;
    default: return dateFormat(locale, { hour: locale === 'en' ? 'numeric' : '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, h, m)));
  }
}

// Amounts are formatted on every turn that lists invoices (the status, the "Mark paid" buttons
// a typed line is compared with): the formatted text is kept, a bounded set of it.
const moneyTexts = new Map<string, string>();
const MONEY_TEXTS = 2_000;

export function formatMoney(locale: Locale, amount: string, currency: string): string {
  const textKey = `${locale}|${currency}|${amount}`;
  const known = moneyTexts.get(textKey);
  if (known !== undefined) return known;
  const key = `n|${locale}|${currency}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown currency code: show the number and the code as typed.
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    cache.set(key, f);
  }
  const number = f.format(Number(amount));
  const text = f.resolvedOptions().style === 'currency' ? number : `${number} ${currency}`;
  if (moneyTexts.size >= MONEY_TEXTS) moneyTexts.clear();
  moneyTexts.set(textKey, text);
  return text;
}

const lists = new Map<Locale, Intl.ListFormat>();

/** "A, B and C" in the locale's words; one formatter per locale (building one costs more than using it). */
export function formatList(locale: Locale, items: string[]): string {
  let f = lists.get(locale);
  if (!f) {
    f = new Intl.ListFormat(locale, { type: 'conjunction' });
    lists.set(locale, f);
  }
  return f.format(items);
}
