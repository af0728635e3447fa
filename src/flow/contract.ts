import type { Case } from '../model/case.js';
import { choices, input, isSkip, text, yesNo, reject } from '../engine/replies.js';
import { cleanList, LIMITS } from '../engine/sanitize.js';
import type { Ctx, Rejection, StepDef } from '../engine/types.js';
import { addDays, compareDates } from '../time/calendar.js';
import { acceptsDates, readDate, readDays, relativeMoment } from './dates.js';
import { invoiceLine, unpaid } from './invoices.js';
import { isWorkday, morningOnOrAfter } from '../time/working-hours.js';
import { amountExample, DEFAULT_CURRENCY, normaliseCurrency, parseAmount, splitInvoiceText, type InvoiceFields } from './invoice-input.js';
import { goto, nextSeq } from './nav.js';

const MAX_CLAUSE_DAYS = 365;


function addInvoice(c: Case, f: InvoiceFields, x: Ctx): Rejection | void {
  const parsed = parseAmount(f.amount, x.locale);
  if (!parsed.ok) {
    const key = parsed.problem === 'decimals' ? 'invoice.tooManyDecimals' : 'invoice.badAmount';
    return reject(x.say(key, { input: f.amount.slice(0, 30), example: amountExample(x.locale) }));
  }
  const amount = parsed.amount;
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
  const line = invoiceLine(c, x, id);
  // Said as the day it will really be: "tomorrow" on a Friday is Monday for the payment check.
  if (overdue) x.out.push(text(x.say('invoice.addedOverdue', { line, when: relativeMoment(x, morningOnOrAfter(addDays(x.today, 1), x.settings)) }), 'success'));
  // A due date on a day off is checked the next working morning: said as that day.
  else if (!isWorkday(due.date, x.settings)) x.out.push(text(x.say('invoice.addedDayOff', { line, when: relativeMoment(x, morningOnOrAfter(due.date, x.settings)) }), 'success'));
  else x.out.push(text(x.say('invoice.added', { line }), 'success'));
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
          { id: 'amount', label: x.say('invoice.form.amount'), input: 'number', placeholder: amountExample(x.locale) },
          { id: 'currency', label: x.say('invoice.form.currency'), input: 'text', value: DEFAULT_CURRENCY[x.locale], optional: true },
          { id: 'due', label: x.say('invoice.form.due'), input: 'date', placeholder: acceptsDates(x) },
        ],
        submitLabel: x.say('common.save'),
        typedLine: true,
      },
      text(x.say('invoice.typed', { currency: DEFAULT_CURRENCY[x.locale], example: amountExample(x.locale) })),
    ],
    answer(c, a, x) {
      if (a.kind === 'submit') {
        // The whole invoice typed into one field ("3 450,50 EUR 18.12.2026" at the currency or
        // date prompt, pasted into a modal's box) is the answer, as it is on a line of its own.
        const pasted = Object.values(a.fields)
          .map((v) => (/\S\s+\S/.test(v) ? splitInvoiceText(v) : null))
          .find((f) => f?.currency !== undefined);
        if (pasted) return addInvoice(c, pasted, x);
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
      if (a.kind === 'text' && !isSkip(x, a.text)) {
        const list = cleanList(a.text, LIMITS.lines, LIMITS.line, x.locale);
        c.contract.looseEnds = list.items;
        if (list.total > list.items.length) x.out.push(text(x.say('common.listCut', { kept: list.items.length, total: list.total }), 'warning'));
        if (list.items.length) x.out.push(text(x.say('contract.looseEnds.noted', { count: list.items.length }), 'success'));
      }
      if (unpaid(c).length > 0) x.out.push(text(x.say('contract.waitForMoney'), 'warning'));
      x.out.push(text(x.say('contract.done')));
      goto(c, 'channel');
    },
  },
};
