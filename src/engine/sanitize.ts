/** Limits on what users type, so one paste can't bloat a case or a message. */
export const LIMITS = Object.freeze({
  clientName: 80,
  note: 1000,
  line: 200,
  lines: 15,
  reason: 300,
  openCases: 20,
  tasks: 40,
  invoices: 20,
  history: 50,
} as const);

// Control characters (but not newlines) can corrupt terminals and platform markup.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface Cleaned {
  value: string;
  truncated: boolean;
}

/** One line: control characters dropped, white space folded, capped at `max` characters. */
export function cleanLine(raw: string, max: number): Cleaned {
  const folded = raw.normalize('NFC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(folded);
  if (chars.length <= max) return { value: folded, truncated: false };
  return { value: chars.slice(0, max).join('').trimEnd() + '…', truncated: true };
}

export interface CleanedList {
  items: string[];
  /** How many non-empty items were typed: more than `items.length` when the list was cut. */
  total: number;
}

/**
 * Several lines (a list the user typed), each cleaned, empties dropped, at most `maxLines` kept.
 * With `locale`, each item starts with a capital as the first one usually does ("Website; admin
 * panel" lists "Admin panel"), in that language's casing (Turkish "iade" → "İade").
 */
export function cleanList(raw: string, maxLines: number, maxEach: number, locale?: string): CleanedList {
  const all = raw
    .split(/\r?\n|;/)
    .map((l) => cleanLine(l.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, ''), maxEach).value)
    .filter((l) => l.length > 0)
    .map((l) => (locale ? capitalFirst(l, locale) : l));
  return { items: all.slice(0, maxLines), total: all.length };
}

/**
 * The first letter in capitals when the first word is plain lower-case: "iPhone app",
 * "www.site.com" or "3 pages" stay as typed.
 */
export function capitalFirst(item: string, locale: string): string {
  const first = /^\S+/u.exec(item)?.[0] ?? '';
  if (!/^\p{Ll}+[,:.!?]?$/u.test(first)) return item;
  const head = Array.from(item)[0] ?? '';
  return head.toLocaleUpperCase(locale) + item.slice(head.length);
}

/**
 * The form a client name is compared in. Stored names went through `cleanLine` at `start`, so a
 * name typed later goes through the same function first: what was typed finds what was stored,
 * even when it was cut or had invisible characters.
 */
export function clientKey(typed: string): string {
  return foldClient(cleanLine(typed, LIMITS.clientName).value);
}

/** A stored (already cleaned) client name in comparable form. */
export function foldClient(stored: string): string {
  return stored.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** Free text kept as written (newlines allowed), capped. */
export function cleanText(raw: string, max: number): Cleaned {
  const value = raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .trim();
  const chars = Array.from(value);
  if (chars.length <= max) return { value, truncated: false };
  return { value: chars.slice(0, max).join('') + '…', truncated: true };
}

/**
 * A typed word as compared with catalog words: lower case, accents dropped, so "turkce",
 * "HİÇBİRİ" and "xoa" match "Türkçe", "hiçbiri" and "xóa" whatever the keyboard did.
 */
export function foldWord(raw: string, locale = 'en'): string {
  // Catalog words and labels are folded on every typed answer: remember the short ones.
  const key = raw.length <= 80 ? `${locale}|${raw}` : null;
  const hit = key ? FOLDED.get(key) : undefined;
  if (hit !== undefined) return hit;
  const folded = raw
    .trim()
    .toLocaleLowerCase(locale)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/ı/g, 'i')
    .replace(/[’‘ʼ`´]/g, "'")
    .replace(/[„“”«»]/g, '"')
    .replace(/\s+/g, ' ');
  if (key) {
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    FOLDED.set(key, folded);
  }
  return folded;
}

const FOLDED = new Map<string, string>();
const FOLDED_MAX = 4096;

/** True when a typed word is one of a catalog's "a|b|c" words, compared folded. */
export function isOneOf(word: string, catalogWords: string, locale: string): boolean {
  const w = foldWord(word, locale);
  return catalogWords.split('|').some((c) => foldWord(c, locale) === w);
}
