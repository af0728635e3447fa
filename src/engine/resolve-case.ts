import type { Case } from '../model/case.js';
import type { UserState } from '../model/user.js';
import { clientKey, foldClient } from './sanitize.js';

/**
 * Finds the case a command names: exact client name first, then a unique prefix, then a
 * unique word of the name it starts, among open cases before closed ones. No name: the case in focus, or the only open one.
 */
export function resolveCase(user: UserState, cases: readonly Case[], arg: string): Case | 'ambiguous' | null {
  const open = cases.filter((c) => c.stage !== 'closed');
  if (!arg.trim()) {
    const focused = user.focus.kind === 'case' ? open.find((c) => c.id === (user.focus as { caseId: string }).caseId) : undefined;
    if (focused) return focused;
    if (open.length === 1) return open[0] ?? null;
    return open.length > 1 ? 'ambiguous' : null;
  }
  const want = clientKey(arg);
  const closed = cases.filter((c) => c.stage === 'closed').sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  for (const pool of [open, closed]) {
    const exact = pool.find((c) => foldClient(c.client) === want);
    if (exact) return exact;
    const prefix = pool.filter((c) => foldClient(c.client).startsWith(want));
    if (prefix.length === 1) return prefix[0] ?? null;
    if (prefix.length > 1) return 'ambiguous';
  }
  // Then a word inside the name ("Épi" for "Boulangerie L'Épi d'Or", "Yazılım" for "Yıldız
  // Yazılım A.Ş."): people name a client by its telling word, not always by its first one.
  for (const pool of [open, closed]) {
    const inside = pool.filter((c) => startsAWord(foldClient(c.client), want));
    if (inside.length === 1) return inside[0] ?? null;
    if (inside.length > 1) return 'ambiguous';
  }
  return null;
}

// Where a word may start: after a space, an apostrophe, a hyphen or other punctuation.
const WORD_START = /(?:^|[\s'’\-.,&/()]+)(?=\S)/gu;

function startsAWord(stored: string, typed: string): boolean {
  // A phone types ’ where the name was saved with ' (or the reverse): the same apostrophe here.
  const name = stored.replace(/’/g, "'");
  const want = typed.replace(/’/g, "'");
  for (const m of name.matchAll(WORD_START)) if (name.startsWith(want, (m.index ?? 0) + m[0].length)) return true;
  return false;
}
