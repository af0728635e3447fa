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

/**
 * Normalises an amount as people type it: "1200", "1.200,50", "1,200.50", "1 200". Returns a
 * plain decimal string, or null when it is not a positive amount.
 */
export function normaliseAmount(raw: string): string | null {
  let s = raw.replace(/[\s\u00a0']/g, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  // A separator followed by exactly 1-2 digits is the decimal mark; others group thousands.
  if (lastSep >= 0 && s.length - lastSep - 1 <= 2) {
    s = s.slice(0, lastSep).replace(/[.,]/g, '') + '.' + s.slice(lastSep + 1);
  } else {
    s = s.replace(/[.,]/g, '');
  }
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0 || n >= 1e12) return null;
  return n.toFixed(2);
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
  if (!first || !/^\d[\d.,']*$/.test(first)) return null;
  const amount = [tokens[i++] ?? ''];
  while (tokens[i] && GROUP.test(tokens[i] ?? '') && tokens.length - i > 1) amount.push(tokens[i++] ?? '');
  if (!currency && tokens[i] && isCurrency(tokens[i] ?? '')) currency = tokens[i++];
  while (tokens[i] && DUE_WORDS.test(tokens[i] ?? '')) i++;
  const due = tokens.slice(i).join(' ');
  if (!due) return null;
  return currency ? { amount: amount.join(''), currency, due } : { amount: amount.join(''), due };
}
