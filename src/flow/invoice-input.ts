import type { Locale } from '../model/settings.js';

/** A currency to pre-fill when the user gives none, by the language they use. */
export const DEFAULT_CURRENCY: Readonly<Record<Locale, string>> = {
  en: 'USD',
  de: 'EUR',
  fr: 'EUR',
  tr: 'TRY',
  vi: 'VND',
};

const SYMBOLS: Readonly<Record<string, string>> = { '€': 'EUR', $: 'USD', '£': 'GBP', '₺': 'TRY', '₫': 'VND', '¥': 'JPY' };

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
  const s = raw.trim();
  if (SYMBOLS[s]) return SYMBOLS[s] ?? null;
  return /^[a-z]{3}$/i.test(s) ? s.toUpperCase() : null;
}

/** Splits "1200 EUR 15.12.2026", "€1200 due 2026-12-15" or "1.200,50 15/12/2026" into fields. */
export function splitInvoiceText(raw: string): InvoiceFields | null {
  const m = /^\s*([€$£₺₫¥])?\s*([\d][\d.,\s']*?)\s*([€$£₺₫¥]|[a-z]{3}\b)?\s+(.+)$/iu.exec(raw);
  if (!m) return null;
  const currency = m[1] ?? m[3];
  const due = (m[4] ?? '').replace(/^(due|fällig|échéance|vade|hạn)\s*:?\s*/i, '');
  return currency ? { amount: m[2] ?? '', currency, due } : { amount: m[2] ?? '', due };
}
