import { WRAP_CHECKS, type Case, type TaskKind, type WrapCheck } from '../model/case.js';
import { choices, text, reject, yesNo } from '../engine/replies.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { addDays, localParts } from '../time/calendar.js';
import { formatDate } from '../i18n/format.js';
import { momentOf, relativeMoment } from './dates.js';
import { close, goto } from './nav.js';
import { wrapUpDate } from './letter.js';
import { noticeRuns } from './stage-name.js';
import { reasonText } from './talking-points.js';
import { checklist, markDone, openTasks, taskTitle } from './tasks.js';
import { invoiceLine, keepCheckingPayments, markPaid, nextPaymentCheck, unpaid, unpaidList } from './invoices.js';
import { severalHint } from '../engine/numbering.js';

/** Each wrap-up check stands for handover tasks: ticking one ticks them, so the two agree. */
const CHECK_TASKS: Readonly<Record<WrapCheck, readonly TaskKind[]>> = {
  invoicePaid: ['finalInvoice'],
  accessRevoked: ['revokeAccess'],
  handedOver: ['returnFiles', 'handCredentials', 'briefReplacement'],
  thanksSent: [],
};

export function summary(c: Case, x: Ctx): string {
  const done = c.tasks.filter((t) => t.done).length;
  const lines = [
    x.say('summary.title', { client: c.client }),
    x.say('summary.reasons', { reasons: c.reasons.map((r) => x.say(`sign.${r}`)).join(', ') || '—' }),
    x.say('summary.reason', { reason: reasonText(c, x) }),
  ];
  if (c.notice.lastDay) lines.push(x.say('summary.lastDay', { date: formatDate(x.locale, c.notice.lastDay) }));
  if (c.tasks.length) lines.push(x.say('summary.tasks', { done, total: c.tasks.length }));
  const open = openTasks(c).map((t) => taskTitle(t, x.locale));
  if (open.length) lines.push(x.say('summary.openTasks', { list: open.join('; ') }));
  const paid = c.contract.invoices.filter((i) => i.paid).map((i) => invoiceLine(c, x, i.id));
  if (paid.length) lines.push(x.say('summary.paid', { list: paid.join('; ') }));
  const owed = unpaid(c).map((i) => invoiceLine(c, x, i.id));
  if (owed.length) lines.push(x.say('summary.unpaid', { list: owed.join('; ') }));
  if (c.pushbacks > 0) lines.push(x.say('summary.pushbacks', { count: c.pushbacks }));
  return lines.join('\n');
}

/**
 * Ends the wrap-up. With money still owed the case does not close: it waits for the payment
 * (its checks stay planned) unless the user lets it go. The closing words never contradict the
 * summary: "parted well" only with nothing owed and nothing left open.
 */
export function finishCase(c: Case, x: Ctx): void {
  if (unpaid(c).length > 0) {
    keepCheckingPayments(c, x);
    const next = nextPaymentCheck(c, x);
    x.out.push(text(summary(c, x)));
    x.out.push(text(x.say('wrap.moneyOwed', { client: c.client, when: next ? relativeMoment(x, new Date(next)) : '—' }), 'warning'));
    goto(c, 'wrapMoney');
    return;
  }
  closeDone(c, x);
}

function closeDone(c: Case, x: Ctx, writtenOff?: string): void {
  close(c, 'done', x.now);
  x.out.push(text(summary(c, x), writtenOff ? 'info' : 'success'));
  const open = openTasks(c).length;
  const missing = WRAP_CHECKS.filter((w) => !c.wrapChecks.includes(w)).length;
  if (writtenOff) x.out.push(text(x.say('outcome.doneUnpaid', { client: c.client, list: writtenOff })));
  else if (open > 0 || missing > 0) x.out.push(text(x.say('outcome.doneOpen', { client: c.client, count: open + missing })));
  else x.out.push(text(x.say('outcome.done', { client: c.client })));
}

/** After the wrap-up checks are saved: closed when all are ticked, else what is still open. */
function afterChecks(c: Case, x: Ctx): void {
  for (const check of c.wrapChecks) {
    for (const task of c.tasks) if (CHECK_TASKS[check].includes(task.kind)) markDone(task, true, x.today);
  }
  // The handover plan is part of the wrap-up too: open tasks are named before anything closes.
  if (c.wrapChecks.length === WRAP_CHECKS.length && openTasks(c).length === 0) return finishCase(c, x);
  goto(c, 'wrapOpen');
}

export const wrapupSteps: Record<'wrapWait' | 'wrap' | 'wrapOpen' | 'wrapPaid' | 'wrapMoney', StepDef> = {
  wrapWait: {
    waiting: true,
    ask(c, x) {
      const at = wrapUpDate(c, x);
      const when = at ? momentOf(x, at.toISOString()) : '—';
      const now = { value: 'now', label: x.say('wrap.now') };
      const tasks = { value: 'tasks', label: x.say('wrap.showTasks') };
      const lastDay = c.notice.lastDay;
      if (!lastDay || !noticeRuns(c, x)) return [choices(c, 'wrapWait', x.say('wrap.waiting', { client: c.client, when }), [now, tasks])];
      // The notice still runs (the letter can go out weeks before the last day): what is left is
      // the handover, so it is named and offered first; wrapping up early stays possible.
      const open = openTasks(c).length;
      const date = formatDate(x.locale, lastDay);
      if (open === 0) return [choices(c, 'wrapWait', x.say('wrap.waitingNoticeDone', { date, when }), [now, tasks])];
      return [choices(c, 'wrapWait', x.say('wrap.waitingNotice', { date, when, count: open }), [{ ...tasks, style: 'primary' as const }, now])];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'now') {
        // Early is allowed (plans change) but said plainly: the handover may not be done yet.
        if (c.notice.lastDay && noticeRuns(c, x)) {
          x.out.push(text(x.say('wrap.early', { date: formatDate(x.locale, c.notice.lastDay), count: openTasks(c).length }), 'warning'));
        }
        return goto(c, 'wrap');
      }
      // "tasks": the plan stays editable while the case waits for its wrap-up.
      x.out.push(checklist(c, x, false), text(x.say('tasks.help')));
    },
  },
  wrap: {
    ask: (c, x) => [
      {
        kind: 'multi',
        ref: { caseId: c.id, question: 'wrap' },
        text: x.say('wrap.ask', { client: c.client }),
        options: WRAP_CHECKS.map((w) => ({ value: w, label: x.say(`wrap.${w}`) })),
        selected: c.wrapChecks,
        submitLabel: x.say('common.save'),
        typedHint: severalHint(x, WRAP_CHECKS.length),
      },
    ],
    answer(c, a, x) {
      const values = a.kind === 'multi' ? a.values : a.kind === 'choice' ? [a.value] : null;
      if (!values) return reject(x.say('common.pickOne'));
      c.wrapChecks = WRAP_CHECKS.filter((w) => values.includes(w));
      // "Final invoice paid" is a statement about the recorded invoices: confirm it on them.
      if (c.wrapChecks.includes('invoicePaid') && unpaid(c).length > 0) return goto(c, 'wrapPaid');
      afterChecks(c, x);
    },
  },
  wrapPaid: {
    ask: (c, x) => [choices(c, 'wrapPaid', x.say('wrap.confirmPaid', { list: unpaidList(c, x) }), yesNo(x))],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'yes') {
        markPaid(c, unpaid(c).map((i) => i.id), x, finishCase);
      } else {
        c.wrapChecks = c.wrapChecks.filter((w) => w !== 'invoicePaid');
        x.out.push(text(x.say('wrap.notPaidNoted'), 'info'));
      }
      afterChecks(c, x);
    },
  },
  wrapOpen: {
    ask(c, x) {
      const missing = WRAP_CHECKS.filter((w) => !c.wrapChecks.includes(w)).map((w) => `• ${x.say(`wrap.${w}`)}`);
      const tasks = openTasks(c);
      missing.push(...tasks.map((t) => `• ${taskTitle(t, x.locale)}`));
      const next = laterDay(c, x);
      const tomorrow = next === addDays(x.today, 1);
      return [
        choices(c, 'wrapOpen', x.say('wrap.open', { list: missing.join('\n') }), [
          { value: 'later', label: tomorrow ? x.say('wrap.later') : x.say('wrap.laterOn', { date: formatDate(x.locale, next) }), style: 'primary' },
          ...(tasks.length ? [{ value: 'tasksDone', label: x.say('wrap.tasksDone') }] : []),
          { value: 'edit', label: x.say('wrap.edit') },
          { value: 'close', label: x.say('wrap.closeAnyway') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'close') return finishCase(c, x);
      if (a.value === 'edit') return goto(c, 'wrap');
      if (a.value === 'tasksDone') {
        for (const t of openTasks(c)) markDone(t, true, x.today);
        return afterChecks(c, x);
      }
      c.wrapRecheck = addDays(x.today, 1);
      // Said as the day it will really be: after the last day, and Monday when tomorrow is Saturday.
      const at = wrapUpDate(c, x);
      x.out.push(text(x.say('wrap.laterNoted', { when: at ? relativeMoment(x, at) : x.say('when.on', { when: formatDate(x.locale, c.wrapRecheck) }) })));
      goto(c, 'wrapWait');
    },
  },
  wrapMoney: {
    waiting: true,
    ask(c, x) {
      const next = nextPaymentCheck(c, x);
      return [
        choices(c, 'wrapMoney', x.say('wrap.waitingMoney', { client: c.client, list: unpaidList(c, x), when: next ? momentOf(x, next) : '—' }), [
          { value: 'paid', label: x.say('money.holding.paid'), style: 'primary' },
          { value: 'writeOff', label: x.say('wrap.writeOff') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'paid') return markPaid(c, unpaid(c).map((i) => i.id), x, finishCase);
      const list = unpaid(c).map((i) => invoiceLine(c, x, i.id)).join('; ');
      closeDone(c, x, list);
    },
  },
};

/** The calendar day "remind me later" lands on: tomorrow, or the first day after the last day. */
function laterDay(c: Case, x: Ctx): string {
  const probe: Case = { ...c, wrapRecheck: addDays(x.today, 1) };
  const at = wrapUpDate(probe, x);
  return at ? localParts(at, x.settings.timeZone).date : addDays(x.today, 1);
}
