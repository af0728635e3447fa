import type { Locale } from '../model/settings.js';

/** A currency to pre-fill when the user gives none, by the language they use. */
export const DEFAULT_CURRENCY: Readonly<Record<Locale, string>> = {
  en: 'USD',
  de: 'EUR',
  fr: 'EUR',
  tr: 'TRY',
  vi: 'VND',
};

const SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  '₺': 'TRY',
  tl: 'TRY',
  '₫': 'VND',
  đ: 'VND',
  d: 'VND',
  dong: 'VND',
  '¥': 'JPY',
  euro: 'EUR',
  euros: 'EUR',
};

export interface InvoiceFields {
  amount: string;
  currency?: string;
  due: string;
}

export type AmountProblem = 'decimals' | 'format' | 'range';
export type AmountResult = { ok: true; amount: string } | { ok: false; problem: AmountProblem };

type Mark = '.' | ',';
/** The decimal mark of each locale; the other of '.' and ',' is its "foreign" decimal mark. */
const DECIMAL_MARK: Readonly<Record<Locale, Mark>> = { en: '.', de: ',', fr: ',', tr: ',', vi: ',' };
/** The locale's own thousands mark among '.' and ','; fr groups with spaces only. */
const GROUP_MARK: Readonly<Record<Locale, Mark | null>> = { en: ',', de: '.', fr: null, tr: '.', vi: '.' };
/** Largest integer part we store: below 1e12. */
const MAX_INT_DIGITS = 12;
// Spaces (plain, no-break, narrow no-break) and apostrophes (plain, typographic ’ as phones
// autocorrect it) group thousands in every locale.
const SPACES = ' \u00a0\u202f';
const APOSTROPHES = "'\u2019";
const ALLOWED = /^[0-9.,'\u2019 \u00a0\u202f]*$/;

const fail = (problem: AmountProblem): AmountResult => ({ ok: false, problem });
const count = (s: string, ch: string) => s.split(ch).length - 1;
const other = (m: Mark): Mark => (m === '.' ? ',' : '.');
/** Which kind of group separator a character is: spaces are one kind, apostrophes another. */
const kind = (ch: string) => (SPACES.includes(ch) ? ' ' : APOSTROPHES.includes(ch) ? "'" : ch);

/**
 * The digits of an integer part, or null when its grouping is malformed. Groups use one kind of
 * separator (`groupMark`, a space or an apostrophe); the first group has 1-3 digits and no
 * leading zero, every later group exactly 3. An ungrouped integer is any run of digits.
 */
function integerDigits(part: string, groupMark: Mark | null): string | null {
  if (/^[0-9]+$/.test(part)) return part;
  let sep: string | null = null;
  for (const ch of part) {
    if (ch >= '0' && ch <= '9') continue;
    const k = kind(ch);
    if ((k === '.' || k === ',') && k !== groupMark) return null;
    if (sep !== null && sep !== k) return null; // "1.200 000": mixed separators are a typo
    sep = k;
  }
  const groups = part.split(/[.,'\u2019 \u00a0\u202f]/);
  const [head = '', ...rest] = groups;
  if (!/^[1-9][0-9]{0,2}$/.test(head)) return null; // also refuses "", so leading separators
  if (!rest.every((g) => /^[0-9]{3}$/.test(g))) return null; // "" refuses doubled/trailing ones
  return groups.join('');
}

/**
 * Reads an amount as people of `locale` type it. `amount` is a plain decimal with two places:
 * "1200.50". Never guesses: a reading that could mean two different amounts is refused.
 *
 * Ambiguous cases, and why they go the way they do:
 * - One '.' or ',' followed by exactly 3 digits ("1.200", "1,200") follows the locale: its group
 *   mark → thousands (en "1,200" → 1200, de "1.200" → 1200); its decimal mark → three decimals,
 *   refused as `decimals` (en "1.200", de "1,200": never silently 1200 or 1.2). In fr '.' is
 *   neither (a fr user may mean the en decimal or the Belgian group) → `format`.
 * - The foreign decimal mark, once, followed by 1-2 digits at the end is a decimal in any
 *   locale (en "1200,50" → 1200.50, de "1200.5" → 1200.50): no convention groups by 1-2 digits.
 * - A '.' or ',' that appears twice or more can only group ("1.500.000" in en, "1,500,000" in
 *   de): nobody writes two decimal marks, so this cannot be misread; the groups must still be
 *   well formed ("1.200.50", "1,20,000" → `format`).
 * - Both marks ("1,200.50", "1.200,50"): the last is the decimal mark only if it is the locale's
 *   own or the foreign-decimal case above; the earlier one must then be its usual partner
 *   ('.' with ',') grouping well, in any locale. A last mark read as a group with the other mark
 *   before it (de "1,200.000") → `format`.
 * - A grouped number with a leading zero ("0.001" in de, "0,001" in en) → `format`, never 1.
 */
export function parseAmount(raw: string, locale: Locale): AmountResult {
  const s = raw.trim();
  if (!ALLOWED.test(s) || !/[0-9]/.test(s)) return fail('format');
  const at = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  let intPart = s;
  let frac = '';
  let groupMark: Mark | null = GROUP_MARK[locale];
  if (at >= 0) {
    const mark = s[at] as Mark;
    const tail = s.slice(at + 1);
    if (!/^[0-9]+$/.test(tail)) return fail('format'); // trailing mark, or "1,5 0"
    const once = count(s, mark) === 1;
    const own = mark === DECIMAL_MARK[locale];
    if (once && (own || tail.length <= 2)) {
      intPart = s.slice(0, at);
      frac = tail;
      groupMark = other(mark);
    } else if (once && mark !== GROUP_MARK[locale]) {
      return fail('format'); // fr "1.200": '.' is neither fr mark and could be either
    } else if (!once) {
      groupMark = mark;
    }
  }
  const digits = integerDigits(intPart, groupMark);
  if (digits === null) return fail('format');
  if (frac.length > 2) return fail('decimals');
  const int = digits.replace(/^0+/, '');
  if (int.length > MAX_INT_DIGITS) return fail('range');
  if (int === '' && !/[1-9]/.test(frac)) return fail('range');
  return { ok: true, amount: `${int || '0'}.${frac.padEnd(2, '0')}` };
}

/**
 * An example amount in the locale's own format, for hints and placeholders: "1,200.50",
 * "1.200,50", "1 200,50"; for a currency without minor units a sum people really invoice in
 * it, without decimals ("1.500.000" đồng, not "1.200,50").
 */
export function amountExample(locale: Locale, currency: string = DEFAULT_CURRENCY[locale]): string {
  const minor = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  return minor === 0 ? new Intl.NumberFormat(locale).format(1_500_000) : new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(1200.5);
}

export function normaliseCurrency(raw: string | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim().toLowerCase();
  const symbol = SYMBOLS[s];
  if (symbol) return symbol;
  const code = s.toUpperCase();
  return /^[A-Z]{3}$/.test(code) && currencyCodes().has(code) ? code : null;
}

let codes: Set<string> | null = null;
// "due", "the", "bis" are three letters too: only real ISO 4217 codes count.
function currencyCodes(): Set<string> {
  codes ??= new Set(Intl.supportedValuesOf('currency'));
  return codes;
}

const isCurrency = (token: string) => normaliseCurrency(token) !== null;
// A thousands group after the first number: "1 200,50", "1 500 000".
const GROUP = /^\d{3}(?:[.,]\d{1,2})?$/;
const DUE_WORDS = /^(due|on|fällig|am|échéance|le|vade|tarihi|hạn|ngày)$/i;

/**
 * Splits a typed invoice into fields: "1200 EUR 15.12.2026", "€1200 due 2026-12-15",
 * "1 200,50 € 15/12/2026", "1.500.000 đ 15/12/2026", "2400 TL yarın".
 */
export function splitInvoiceText(raw: string): InvoiceFields | null {
  const tokens = raw
    .replace(/([€$£₺₫¥])/gu, ' $1 ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let i = 0;
  let currency: string | undefined;
  if (tokens[i] && isCurrency(tokens[i] ?? '') && !/^\d/.test(tokens[i] ?? '')) currency = tokens[i++];
  const first = tokens[i];
  if (!first || !/^\d[\d.,'\u2019]*$/.test(first)) return null;
  const amount = [tokens[i++] ?? ''];
  while (tokens[i] && GROUP.test(tokens[i] ?? '') && tokens.length - i > 1) amount.push(tokens[i++] ?? '');
  if (!currency && tokens[i] && isCurrency(tokens[i] ?? '')) currency = tokens[i++];
  while (tokens[i] && DUE_WORDS.test(tokens[i] ?? '')) i++;
  const due = tokens.slice(i).join(' ');
  if (!due) return null;
  // Joined with a space, not glued: parseAmount then checks the grouping ("12345 678" is refused
  // rather than read as 12345678).
  const typed = amount.join(' ');
  return currency ? { amount: typed, currency, due } : { amount: typed, due };
}
