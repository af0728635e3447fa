import { WRAP_CHECKS, type Case } from '../model/case.js';
import { choices, text, reject } from '../engine/replies.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { addDays, compareDates } from '../time/calendar.js';
import { formatDate } from '../i18n/format.js';
import { momentOf } from './dates.js';
import { close, goto } from './nav.js';
import { wrapUpDate } from './letter.js';
import { reasonText } from './talking-points.js';
import { checklist, openTasks } from './tasks.js';
import { invoiceLine } from './contract.js';

export function summary(c: Case, x: Ctx): string {
  const done = c.tasks.filter((t) => t.done).length;
  const lines = [
    x.say('summary.title', { client: c.client }),
    x.say('summary.reasons', { reasons: c.reasons.map((r) => x.say(`sign.${r}`)).join(', ') || '—' }),
    x.say('summary.reason', { reason: reasonText(c, x) }),
  ];
  if (c.notice.lastDay) lines.push(x.say('summary.lastDay', { date: formatDate(x.locale, c.notice.lastDay) }));
  lines.push(x.say('summary.tasks', { done, total: c.tasks.length }));
  const unpaid = c.contract.invoices.filter((i) => !i.paid).map((i) => invoiceLine(c, x, i.id));
  if (unpaid.length) lines.push(x.say('summary.unpaid', { list: unpaid.join('; ') }));
  if (c.pushbacks > 0) lines.push(x.say('summary.pushbacks', { count: c.pushbacks }));
  return lines.join('\n');
}

function finish(c: Case, x: Ctx): void {
  close(c, 'done', x.now);
  x.out.push(text(summary(c, x), 'success'));
  x.out.push(text(x.say('outcome.done', { client: c.client })));
}

export const wrapupSteps: Record<'wrapWait' | 'wrap' | 'wrapOpen', StepDef> = {
  wrapWait: {
    waiting: true,
    ask(c, x) {
      const at = wrapUpDate(c, x);
      return [
        choices(c, 'wrapWait', x.say('wrap.waiting', { client: c.client, when: at ? momentOf(x, at.toISOString()) : '—' }), [
          { value: 'now', label: x.say('wrap.now') },
          { value: 'tasks', label: x.say('wrap.showTasks') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'now') {
        // Early is allowed (plans change) but said plainly: the handover may not be done yet.
        if (c.notice.lastDay && compareDates(x.today, c.notice.lastDay) <= 0) {
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
        typedHint: x.say('accepts.several'),
      },
    ],
    answer(c, a, x) {
      const values = a.kind === 'multi' ? a.values : a.kind === 'choice' ? [a.value] : null;
      if (!values) return reject(x.say('common.pickOne'));
      c.wrapChecks = WRAP_CHECKS.filter((w) => values.includes(w));
      if (c.wrapChecks.length === WRAP_CHECKS.length) return finish(c, x);
      goto(c, 'wrapOpen');
    },
  },
  wrapOpen: {
    ask(c, x) {
      const missing = WRAP_CHECKS.filter((w) => !c.wrapChecks.includes(w)).map((w) => `• ${x.say(`wrap.${w}`)}`);
      return [
        choices(c, 'wrapOpen', x.say('wrap.open', { list: missing.join('\n') }), [
          { value: 'later', label: x.say('wrap.later'), style: 'primary' },
          { value: 'edit', label: x.say('wrap.edit') },
          { value: 'close', label: x.say('wrap.closeAnyway') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'close') return finish(c, x);
      if (a.value === 'edit') return goto(c, 'wrap');
      c.wrapRecheck = addDays(x.today, 1);
      // "Tomorrow" on a Friday means Monday morning: say the day it will really be.
      const at = wrapUpDate(c, x);
      x.out.push(text(x.say('wrap.laterNoted', { date: at ? momentOf(x, at.toISOString()) : formatDate(x.locale, c.wrapRecheck) })));
      goto(c, 'wrapWait');
    },
  },
};
