import type { Locale } from '../model/settings.js';

// Intl formatters are costly to build and the engine formats on every turn.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** A calendar date "yyyy-MM-dd", e.g. "Tuesday, 1 December 2026" in the reader's language. */
export function formatDate(locale: Locale, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Noon UTC, formatted in UTC: the calendar date can't shift whatever the host zone.
  const at = new Date(Date.UTC(y, m - 1, d, 12));
  return dateFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(at);
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
  return dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
}

/** An instant in the user's zone, with the time, e.g. "Tue, 1 Dec 2026, 09:00". */
export function formatInstant(locale: Locale, iso: string, timeZone: string): string {
  return dateFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

/** A wall-clock time "HH:mm" as the reader's language writes it: "9:00 AM", "09:00". */
export function formatTime(locale: Locale, time: string): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, h, m)));
}

export function formatMoney(locale: Locale, amount: string, currency: string): string {
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
  const text = f.format(Number(amount));
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

export function formatList(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}
