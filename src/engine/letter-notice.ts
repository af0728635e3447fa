import type { Case } from '../model/case.js';
import type { Locale } from '../model/settings.js';
import { formatDate } from '../i18n/format.js';
import { t } from '../i18n/translate.js';

/**
 * The notice period the letter may cite as the contract's: only when a clause was recorded and
 * the notice given honours it. A shorter notice must not claim to follow the clause.
 */
export function citedClause(c: Case): number | null {
  const clause = c.contract.hasContract === false ? null : (c.contract.noticeDays ?? null);
  if (!clause) return null;
  if (c.notice.kind === 'contract') return clause;
  return c.notice.days !== undefined && c.notice.days >= clause ? clause : null;
}

/** Without a clause to cite: the notice given, in the words that fit how it was chosen. */
function noticeGiven(c: Case, lang: Locale): string | null {
  if (c.notice.kind === 'twoWeeks') return t(lang, 'letter.notice.twoWeeks');
  if (c.notice.kind === 'natural') return t(lang, 'letter.notice.natural');
  return c.notice.days !== undefined ? t(lang, 'letter.notice.days', { count: c.notice.days }) : null;
}

/**
 * The opening paragraph: the notice itself in the letter language's usual legal form, with the
 * day the agreement ends, then the notice period (the contract's clause, or the one given).
 */
export function noticeParagraph(c: Case, lang: Locale): string {
  const lastDay = c.notice.lastDay ? formatDate(lang, c.notice.lastDay) : t(lang, 'letter.lastDayTbd');
  // A written contract is terminated; a collaboration without one is ended.
  const opening = t(lang, c.contract.hasContract === false ? 'letter.notice.noContract' : 'letter.notice.contract', { lastDay });
  const clause = citedClause(c);
  const period = clause !== null ? t(lang, 'letter.notice.clause', { count: clause }) : noticeGiven(c, lang);
  return period ? `${opening} ${period}` : opening;
}
