import type { Case } from '../model/case.js';
import { choices, input, isSkip, text, yesNo, reject } from '../engine/replies.js';
import { cleanLines, LIMITS } from '../engine/sanitize.js';
import type { Ctx, Rejection, StepDef } from '../engine/types.js';
import { formatMoney } from '../i18n/format.js';
import { addDays, compareDates } from '../time/calendar.js';
import { acceptsDates, dayOf, readDate, readDays } from './dates.js';
import { DEFAULT_CURRENCY, normaliseAmount, normaliseCurrency, splitInvoiceText, type InvoiceFields } from './invoice-input.js';
import { goto, nextSeq } from './nav.js';

const MAX_CLAUSE_DAYS = 365;

export function unpaid(c: Case) {
  return c.contract.invoices.filter((i) => !i.paid);
}

export function invoiceLine(c: Case, x: Ctx, id: string): string {
  const inv = c.contract.invoices.find((i) => i.id === id);
  if (!inv) return '';
  return x.say('invoice.line', { amount: formatMoney(x.locale, inv.amount, inv.currency), due: dayOf(x, inv.dueDate) });
}

function addInvoice(c: Case, f: InvoiceFields, x: Ctx): Rejection | void {
  const amount = normaliseAmount(f.amount);
  if (!amount) return reject(x.say('invoice.badAmount', { input: f.amount.slice(0, 30) }));
  const currency = f.currency?.trim() ? normaliseCurrency(f.currency) : DEFAULT_CURRENCY[x.locale];
  if (!currency) return reject(x.say('invoice.badCurrency', { input: (f.currency ?? '').slice(0, 10) }));
  // An overdue invoice is real and common: a past due date is accepted and checked tomorrow.
  const due = readDate(f.due, x, { allowPast: true });
  if (!due.ok) return reject(due.message);
  if (c.contract.invoices.length >= LIMITS.invoices) {
    return reject(x.say('common.tooMany', { max: LIMITS.invoices }));
  }
  const overdue = compareDates(due.date, x.today) < 0;
  const id = nextSeq(c, 'i');
  c.contract.invoices.push(
    overdue
      ? { id, amount, currency, dueDate: due.date, paid: false, recheckDate: addDays(x.today, 1) }
      : { id, amount, currency, dueDate: due.date, paid: false },
  );
  x.out.push(text(x.say(overdue ? 'invoice.addedOverdue' : 'invoice.added', { line: invoiceLine(c, x, id) }), 'success'));
  goto(c, 'invoices');
}

export const contractSteps: Record<
  'hasContract' | 'clause' | 'clauseDays' | 'noContract' | 'delivered' | 'invoices' | 'invoice' | 'looseEnds',
  StepDef
> = {
  hasContract: {
    ask: (c, x) => [choices(c, 'hasContract', x.say('contract.has', { client: c.client }), yesNo(x))],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      c.contract.hasContract = a.value === 'yes';
      goto(c, c.contract.hasContract ? 'clause' : 'noContract');
    },
  },
  clause: {
    ask: (c, x) => [
      choices(c, 'clause', x.say('contract.clause'), [
        { value: 'yes', label: x.say('contract.clause.yes') },
        { value: 'no', label: x.say('contract.clause.no') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'yes') return goto(c, 'clauseDays');
      c.contract.noticeDays = null;
      goto(c, 'delivered');
    },
  },
  clauseDays: {
    ask: (c, x) => [input(c, 'clauseDays', x.say('contract.clause.days'), 'number', x.say('accepts.days', { min: 1, max: MAX_CLAUSE_DAYS }))],
    answer(c, a, x) {
      const days = readDays(a.kind === 'text' ? a.text : '', 1, MAX_CLAUSE_DAYS);
      if (days === null || days === 'range') return reject(x.say('contract.clause.bad', { max: MAX_CLAUSE_DAYS }));
      c.contract.noticeDays = days;
      x.out.push(text(x.say('contract.clause.noted', { count: days })));
      goto(c, 'delivered');
    },
  },
  noContract: {
    ask: (c, x) => [
      choices(c, 'noContract', x.say('contract.none', { client: c.client }), [
        { value: 'gathered', label: x.say('contract.none.gathered'), style: 'primary' },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      c.contract.noticeDays = null;
      goto(c, 'delivered');
    },
  },
  delivered: {
    ask: (c, x) => [choices(c, 'delivered', x.say('contract.delivered'), yesNo(x))],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      c.contract.paidWorkDelivered = a.value === 'yes';
      if (!c.contract.paidWorkDelivered) x.out.push(text(x.say('contract.delivered.no'), 'warning'));
      goto(c, 'invoices');
    },
  },
  invoices: {
    ask(c, x) {
      const open = unpaid(c);
      const listed = open.map((i) => `• ${invoiceLine(c, x, i.id)}`).join('\n');
      const body = open.length === 0 ? x.say('contract.invoices') : x.say('contract.invoices.more', { list: listed });
      return [
        choices(c, 'invoices', body, [
          { value: 'add', label: x.say(open.length === 0 ? 'contract.invoices.add' : 'contract.invoices.addAnother') },
          { value: 'done', label: x.say(open.length === 0 ? 'contract.invoices.none' : 'contract.invoices.done'), style: 'primary' },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind === 'submit') return addInvoice(c, { amount: a.fields['amount'] ?? '', currency: a.fields['currency'] ?? '', due: a.fields['due'] ?? '' }, x);
      if (a.kind === 'text') {
        const typed = splitInvoiceText(a.text);
        if (typed) return addInvoice(c, typed, x);
        return reject(x.say('common.pickOne'));
      }
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      goto(c, a.value === 'add' ? 'invoice' : 'looseEnds');
    },
  },
  invoice: {
    ask: (c, x) => [
      {
        kind: 'form',
        ref: { caseId: c.id, question: 'invoice' },
        title: x.say('invoice.form.title'),
        fields: [
          { id: 'amount', label: x.say('invoice.form.amount'), input: 'number', placeholder: '1200.00' },
          { id: 'currency', label: x.say('invoice.form.currency'), input: 'text', value: DEFAULT_CURRENCY[x.locale], optional: true },
          { id: 'due', label: x.say('invoice.form.due'), input: 'date', placeholder: acceptsDates(x) },
        ],
        submitLabel: x.say('common.save'),
        typedLine: true,
      },
      text(x.say('invoice.typed', { currency: DEFAULT_CURRENCY[x.locale] })),
    ],
    answer(c, a, x) {
      if (a.kind === 'submit') {
        return addInvoice(c, { amount: a.fields['amount'] ?? '', currency: a.fields['currency'] ?? '', due: a.fields['due'] ?? '' }, x);
      }
      if (a.kind === 'text') {
        if (isSkip(x, a.text)) return goto(c, 'invoices');
        const typed = splitInvoiceText(a.text);
        if (!typed) return reject(x.say('invoice.unreadable'));
        return addInvoice(c, typed, x);
      }
      goto(c, 'invoices');
    },
  },
  looseEnds: {
    ask: (c, x) => [input(c, 'looseEnds', x.say('contract.looseEnds'), 'text', x.say('accepts.lines'), true)],
    answer(c, a, x) {
      if (a.kind === 'text' && !isSkip(x, a.text)) c.contract.looseEnds = cleanLines(a.text, LIMITS.lines, LIMITS.line);
      if (unpaid(c).length > 0) x.out.push(text(x.say('contract.waitForMoney'), 'warning'));
      x.out.push(text(x.say('contract.done')));
      goto(c, 'channel');
    },
  },
};
