import type { Case } from '../model/case.js';
import type { UserState } from '../model/user.js';
import { clientKey, foldClient } from './sanitize.js';

/**
 * Finds the case a command names: exact client name first, then a unique prefix, among
 * open cases before closed ones. No name: the case in focus, or the only open one.
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
  return null;
}
