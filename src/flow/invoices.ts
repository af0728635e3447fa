import type { Case, Invoice } from '../model/case.js';
import type { Option } from '../model/reply.js';
import { text } from '../engine/replies.js';
import type { Ctx } from '../engine/types.js';
import { formatMoney } from '../i18n/format.js';
import { addDays, compareDates } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { dayOf, momentOf } from './dates.js';
import { goto } from './nav.js';

export function unpaid(c: Case): Invoice[] {
  return c.contract.invoices.filter((i) => !i.paid);
}

export function invoiceLine(c: Case, x: Ctx, id: string): string {
  const inv = c.contract.invoices.find((i) => i.id === id);
  if (!inv) return '';
  return x.say('invoice.line', { amount: formatMoney(x.locale, inv.amount, inv.currency), due: dayOf(x, inv.dueDate) });
}

/** The unpaid invoices as a bulleted list, one per line. */
export function unpaidList(c: Case, x: Ctx): string {
  return unpaid(c)
    .map((i) => `• ${invoiceLine(c, x, i.id)}`)
    .join('\n');
}

/**
 * Invoices that make a talk on `talkDay` come before the money: due after the talk, or already
 * overdue. Once the client knows you are leaving, paying you is no longer their priority.
 */
export function moneyAtRisk(c: Case, talkDay: string, today: string): Invoice[] {
  return unpaid(c).filter((i) => compareDates(i.dueDate, talkDay) > 0 || compareDates(i.dueDate, today) < 0);
}

/** The day an unpaid invoice's payment check is planned for. */
export function checkDay(inv: Invoice): string {
  return inv.recheckDate ?? inv.dueDate;
}

/** The next payment check among the unpaid invoices, as an instant, or null when none is owed. */
export function nextPaymentCheck(c: Case, x: Ctx): string | null {
  const days = unpaid(c)
    .map(checkDay)
    .sort(compareDates);
  const first = days[0];
  return first ? morningOnOrAfter(first, x.settings).toISOString() : null;
}

/** Makes sure every unpaid invoice has a payment check still to come (an overdue one: tomorrow). */
export function keepCheckingPayments(c: Case, x: Ctx): void {
  for (const inv of unpaid(c)) {
    if (compareDates(checkDay(inv), x.today) <= 0) inv.recheckDate = addDays(x.today, 1);
  }
}

/**
 * Marks invoices paid and says which; a held talk or a wrap-up that waited for the money moves
 * on when nothing is owed any more. `finish` closes the case (passed in: wrap-up owns it).
 */
export function markPaid(c: Case, ids: readonly string[], x: Ctx, finish: (c: Case, x: Ctx) => void): void {
  const lines: string[] = [];
  for (const inv of c.contract.invoices) {
    if (inv.paid || !ids.includes(inv.id)) continue;
    lines.push(invoiceLine(c, x, inv.id));
    inv.paid = true;
    inv.paidOn = x.today;
    delete inv.recheckDate;
  }
  if (lines.length === 0) return;
  x.out.push(text(x.say('paid.noted', { list: lines.join('; ') }), 'success'));
  if (unpaid(c).length > 0) {
    // Part of the money came in: say what the talk or the case still waits for, and until when.
    const next = nextPaymentCheck(c, x);
    const still = { client: c.client, list: unpaidList(c, x), when: next ? momentOf(x, next) : '—' };
    if (c.step === 'talkHold') x.out.push(text(x.say('money.stillHeld', still), 'info'));
    else if (c.step === 'wrapMoney') x.out.push(text(x.say('wrap.stillOwed', still), 'info'));
    return;
  }
  if (c.step === 'talkHold') {
    x.out.push(text(x.say('money.paidAskTalk', { client: c.client })));
    sayHeldTime(c, x);
    goto(c, 'talkAt');
  } else if (c.step === 'wrapMoney') {
    if (!c.wrapChecks.includes('invoicePaid')) c.wrapChecks.push('invoicePaid');
    finish(c, x);
  }
}

/** The talk's time the user had planned before holding it: asked for a date again, they see it. */
export function sayHeldTime(c: Case, x: Ctx): void {
  if (c.conversation.heldAt) x.out.push(text(x.say('talk.heldWas', { when: momentOf(x, c.conversation.heldAt) }), 'info'));
}

/** "Mark paid" buttons, one per unpaid invoice; values are `paid:<invoice id>`. */
export function markPaidOptions(c: Case, x: Ctx): Option[] {
  return unpaid(c).map((i) => ({
    value: `paid:${i.id}`,
    label: x.say('paid.button', { amount: formatMoney(x.locale, i.amount, i.currency) }),
  }));
}

export const paymentCheckMoment = (inv: Invoice, x: Ctx): string => momentOf(x, morningOnOrAfter(checkDay(inv), x.settings).toISOString());
