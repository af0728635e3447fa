import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { addDays } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { answerTaskText, answerTasks } from '../flow/handover.js';
import { momentOf } from '../flow/dates.js';
import { checklist, saveTask, setDone, snoozeTask } from '../flow/tasks.js';
import { answerChange, answerNewTalk } from './change-dates.js';
import { answerPushback } from './pushback.js';
import { text } from './replies.js';
import type { Answer, Ctx } from './types.js';

const PAYMENT_RECHECK_DAYS = 3;
const TASK_STAGES = new Set(['handover', 'letter', 'wrapup']);

/**
 * Questions asked outside the main line of steps — a reminder's buttons, the task list, a
 * pushback — stay answerable while the case has moved on. Returns null when `question` is
 * not one of them.
 */
export function answerSide(c: Case, question: string, a: Answer, x: Ctx): Reply[] | null {
  const [kind, subject = ''] = question.split(':');
  const value = a.kind === 'choice' ? a.value : a.kind === 'text' ? a.text.trim().toLowerCase() : '';
  if (kind === 'pay') {
    const inv = c.contract.invoices.find((i) => i.id === subject);
    if (!inv) return [text(x.say('common.staleDone'), 'info')];
    if (value === 'paid') {
      inv.paid = true;
      return [text(x.say('remind.payment.paidNoted'), 'success')];
    }
    inv.recheckDate = addDays(x.today, PAYMENT_RECHECK_DAYS);
    return [text(x.say('remind.payment.recheck', { when: momentOf(x, morningOnOrAfter(inv.recheckDate, x.settings).toISOString()) }))];
  }
  if (kind === 'task') {
    const rejected = value === 'snooze' ? snoozeTask(c, subject, addDays(x.today, 1), x) : setDone(c, subject, true, x);
    if (rejected) return rejected.rejected;
    if (value === 'snooze') return [text(x.say('remind.task.snoozed', { when: momentOf(x, morningOnOrAfter(addDays(x.today, 1), x.settings).toISOString()) }))];
    return [...x.out];
  }
  if (kind === 'pushback') return answerPushback(c, value, x);
  if (kind === 'change') return answerChange(c, value, x) ?? [text(x.say('common.staleDone'), 'info')];
  if (kind === 'changeTalk' && c.stage !== 'closed' && c.conversation.at) {
    return answerNewTalk(c, a.kind === 'text' ? a.text : '', x);
  }
  if ((kind === 'tasks' || kind === 'taskForm') && TASK_STAGES.has(c.stage) && c.step !== 'tasks' && c.step !== 'taskForm') {
    const rejected =
      a.kind === 'submit' ? saveTask(c, a.fields, x) : a.kind === 'text' ? answerTaskText(c, a.text, x) : answerTasks(c, value, x);
    if (rejected) return rejected.rejected;
    const shownForm = x.out.some((r) => r.kind === 'form');
    return shownForm ? [...x.out] : [...x.out, checklist(c, x, false)];
  }
  return null;
}
