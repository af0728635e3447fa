import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { invoiceLine, markPaid, unpaid } from '../flow/invoices.js';
import { finishCase } from '../flow/wrapup.js';
import { choices, text } from './replies.js';
import { isOneOf } from './sanitize.js';
import type { Ctx } from './types.js';

/** True when a word after the client name picks invoices: "all" (any language), an id, a number. */
export function isInvoiceSelector(word: string, x: Pick<Ctx, 'say' | 'locale'>): boolean {
  return /^(?:i\d+|\d{1,2})$/.test(word) || isOneOf(word, x.say('paid.allWords'), x.locale);
}

/**
 * `paid <client> [all | n | id]`: marks unpaid invoices paid. With several and no pick, asks
 * which (each one, or all); with one, that one.
 */
export function paidCommand(c: Case, selector: string, x: Ctx): Reply[] {
  const open = unpaid(c);
  if (open.length === 0) return [text(x.say('paid.none', { client: c.client }), 'info')];
  const sel = selector.trim();
  let ids: string[] = [];
  if (sel && isOneOf(sel, x.say('paid.allWords'), x.locale)) ids = open.map((i) => i.id);
  else if (/^i\d+$/.test(sel)) ids = open.filter((i) => i.id === sel).map((i) => i.id);
  else if (/^\d{1,2}$/.test(sel)) ids = [open[Number(sel) - 1]?.id ?? ''].filter(Boolean);
  else if (open.length === 1) ids = [open[0]?.id ?? ''];
  if (ids.length === 0) {
    return [
      choices(c, 'paidWhich', x.say('paid.which', { client: c.client }), [
        ...open.map((i) => ({ value: i.id, label: invoiceLine(c, x, i.id) })),
        { value: 'all', label: x.say('paid.all') },
      ]),
    ];
  }
  markPaid(c, ids, x, finishCase);
  return [...x.out];
}
