import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { formatMoney, formatShortDate } from '../i18n/format.js';
import { dayOf, momentOf } from '../flow/dates.js';
import { openTasks, taskTitle } from '../flow/tasks.js';
import { stageName } from '../flow/stage-name.js';
import { reasonText } from '../flow/talking-points.js';
import { changeReplies } from './change-dates.js';
import { text } from './replies.js';
import type { Ctx } from './types.js';

/** One line for `list`: the client, the stage, the next reminder. */
export function caseLine(c: Case, x: Ctx): string {
  const stage = stageName(c, x);
  const next = c.reminders[0];
  return next
    ? x.say('list.lineNext', { client: c.client, stage, when: momentOf(x, next.at), what: x.say(`reminder.${next.kind}`) })
    : x.say('list.line', { client: c.client, stage });
}

/** Everything recorded on a case, for `status`. */
export function statusReplies(c: Case, x: Ctx): Reply[] {
  const lines: string[] = [x.say('status.title', { client: c.client, stage: stageName(c, x) })];
  if (c.outcome && c.closedAt) lines.push(x.say('status.closed', { outcome: x.say(`outcomeName.${c.outcome}`), date: momentOf(x, c.closedAt) }));
  if (c.reasons.length) lines.push(x.say('summary.reasons', { reasons: c.reasons.map((r) => x.say(`sign.${r}`)).join(', ') }));
  // What the freelancer wrote in their own words comes back here, not only in pushback.
  if (c.note) lines.push(x.say('pushback.note', { note: c.note }));
  if (c.gut) lines.push(x.say('pushback.gut', { gut: c.gut }));
  if (c.coolingOffUntil && c.stage === 'cooling') lines.push(x.say('status.cooling', { when: momentOf(x, c.coolingOffUntil) }));
  if (c.contract.noticeDays) lines.push(x.say('contract.clause.noted', { count: c.contract.noticeDays }));
  for (const inv of c.contract.invoices.filter((i) => !i.paid)) {
    lines.push(x.say('status.unpaid', { amount: formatMoney(x.locale, inv.amount, inv.currency), due: dayOf(x, inv.dueDate) }));
  }
  // A paid invoice stays in the record: the case is also what the freelancer keeps.
  for (const inv of c.contract.invoices.filter((i) => i.paid)) {
    const amount = formatMoney(x.locale, inv.amount, inv.currency);
    lines.push(inv.paidOn ? x.say('status.paidOn', { amount, date: dayOf(x, inv.paidOn) }) : x.say('status.paid', { amount }));
  }
  // Before the handover plan exists, what the contract check recorded: the plan takes both in later.
  if (c.tasks.length === 0) {
    if (c.contract.paidWorkDelivered === false) lines.push(x.say('status.undelivered'));
    if (c.contract.looseEnds.length) lines.push(x.say('status.looseEnds', { list: c.contract.looseEnds.join('; ') }));
  }
  for (const r of c.referrals) lines.push(x.say('status.referral', { who: r.detail ? `${x.say(`referral.${r.kind}`)} — ${r.detail}` : x.say(`referral.${r.kind}`) }));
  if (!c.conversation.at && c.conversation.heldAt) lines.push(x.say('status.talkHeld', { when: momentOf(x, c.conversation.heldAt) }));
  if (c.conversation.at) lines.push(x.say('status.talk', { when: momentOf(x, c.conversation.at), channel: x.say(`channel.${c.conversation.channel ?? 'call'}`) }));
  if (c.conversation.reason) lines.push(x.say('summary.reason', { reason: reasonText(c, x) }));
  if (c.notice.lastDay) lines.push(x.say('summary.lastDay', { date: dayOf(x, c.notice.lastDay) }));
  if (c.tasks.length) {
    lines.push(x.say('status.tasks', { open: openTasks(c).length, total: c.tasks.length }));
    for (const t of openTasks(c)) lines.push(`  • ${taskTitle(t, x.locale)} (${formatShortDate(x.locale, t.due)})`);
  }
  for (const e of c.letter.earlier ?? []) lines.push(x.say('status.letterEarlier', { when: momentOf(x, e.sentAt), date: dayOf(x, e.lastDay) }));
  if (c.letter.sentAt) {
    lines.push(x.say('status.letterSent', { when: momentOf(x, c.letter.sentAt) }));
    if (c.letter.confirmedAt) lines.push(x.say('status.letterConfirmed', { when: momentOf(x, c.letter.confirmedAt) }));
    // A closed case no longer waits on anything: "pending" would only be noise there.
    else if (!c.letter.confirmSkipped && c.stage !== 'closed') lines.push(x.say('status.letterConfirmPending'));
  }
  if (c.pushbacks) lines.push(x.say('summary.pushbacks', { count: c.pushbacks }));
  if (c.reminders.length) {
    lines.push(x.say('status.reminders'));
    for (const r of c.reminders) {
      const task = r.kind === 'taskDue' ? c.tasks.find((t) => t.id === r.subject) : undefined;
      const what = task ? x.say('status.reminderLine', { when: x.say('reminder.taskDue'), what: taskTitle(task, x.locale) }) : x.say(`reminder.${r.kind}`);
      lines.push(`  • ${x.say('status.reminderLine', { when: momentOf(x, r.at), what })}`);
    }
  }
  for (const p of c.problems.slice(-3)) lines.push(x.say('status.problem', { when: momentOf(x, p.at), code: p.code }));
  return [text(lines.join('\n')), ...changeReplies(c, x)];
}
