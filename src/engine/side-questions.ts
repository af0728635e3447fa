import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { addDays } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { answerTaskText, answerTasks } from '../flow/handover.js';
import { momentOf } from '../flow/dates.js';
import { checklist, saveTask, setDone, snoozeTask } from '../flow/tasks.js';
import { answerChange, answerNewTalk, askNewTalk } from './change-dates.js';
import { answerPushback, pushback } from './pushback.js';
import { answerCalendar, CALENDAR_QUESTION } from '../export/calendar-offer.js';
import { markPaid, unpaid } from '../flow/invoices.js';
import { finishCase } from '../flow/wrapup.js';
import { letterReplies } from '../flow/letter.js';
import { relativeMoment } from '../flow/dates.js';
import { addWorkdays, workdayOnOrAfter } from '../time/working-hours.js';
import { input, isSkip, text } from './replies.js';
import { cleanList, LIMITS } from './sanitize.js';
import type { Answer, Ctx } from './types.js';

const PAYMENT_RECHECK_DAYS = 3;
/**
 * After "not yet" on the letter's receipt: two working days, time enough for a follow-up email
 * to be answered without the question turning into a daily chore.
 */
const CONFIRM_RECHECK_WORKDAYS = 2;
const TASK_STAGES = new Set(['handover', 'letter', 'wrapup']);

/**
 * Questions asked outside the main line of steps — a reminder's buttons, the task list, a
 * pushback — stay answerable while the case has moved on. Returns null when `question` is
 * not one of them.
 */
/** "How did the talk go?": on to the letter, to pushback, to a new date, or ask again. */
function answerCheckIn(c: Case, value: string, x: Ctx): Reply[] {
  if (c.conversation.checkIn || !c.conversation.at) return [text(x.say('common.staleDone'), 'info')];
  switch (value) {
    case 'fine': {
      c.conversation.checkIn = 'fine';
      const replies = [text(x.say('checkin.fineNoted', { client: c.client }), 'success')];
      if (c.letter.sentAt) return replies;
      // Anything else agreed in the talk belongs in the letter: ask before (re)drafting it.
      return [...replies, input(c, 'agreed', x.say('talk.agreed.ask', { client: c.client }), 'text', x.say('accepts.lines'), true)];
    }
    case 'pushback':
      c.conversation.checkIn = 'pushback';
      return pushback(c, x);
    case 'moved':
      return [askNewTalk(c, x)];
    case 'notYet': {
      c.conversation.checkInRecheck = workdayOnOrAfter(addDays(x.today, 1), x.settings);
      return [text(x.say('checkin.askAgain', { when: relativeMoment(x, morningOnOrAfter(c.conversation.checkInRecheck, x.settings)) }))];
    }
    default:
      return [text(x.say('common.pickOne'), 'error')];
  }
}

/** The terms agreed in the talk: kept as typed, then the letter (or the way to it). */
function answerAgreed(c: Case, a: Answer, x: Ctx): Reply[] {
  const out: Reply[] = [];
  if (a.kind === 'text' && !isSkip(x, a.text)) {
    const list = cleanList(a.text, LIMITS.lines, LIMITS.line, x.locale);
    c.conversation.agreed = list.items;
    if (list.total > list.items.length) out.push(text(x.say('common.listCut', { kept: list.items.length, total: list.total }), 'warning'));
    if (list.items.length) out.push(text(x.say('talk.agreed.noted', { count: list.items.length }), 'success'));
  }
  if (c.letter.sentAt) return out;
  const lang = c.letter.language;
  return lang ? [...out, ...letterReplies(c, x, lang)] : [...out, text(x.say('checkin.letterNext'))];
}

/** "Did they confirm receipt?": recorded, asked again later, or dropped; the wrap-up never waits on it. */
function answerLetterConfirm(c: Case, value: string, x: Ctx): Reply[] {
  if (!c.letter.sentAt || c.letter.confirmedAt || c.letter.confirmSkipped) return [text(x.say('common.staleDone'), 'info')];
  switch (value) {
    case 'yes':
      c.letter.confirmedAt = x.now.toISOString();
      delete c.letter.confirmRecheck;
      return [text(x.say('letterConfirm.yesNoted'), 'success')];
    case 'notYet':
      c.letter.confirmRecheck = addWorkdays(x.today, CONFIRM_RECHECK_WORKDAYS, x.settings);
      return [text(x.say('letterConfirm.askAgain', { when: relativeMoment(x, morningOnOrAfter(c.letter.confirmRecheck, x.settings)) }))];
    case 'skip':
      c.letter.confirmSkipped = true;
      delete c.letter.confirmRecheck;
      return [text(x.say('letterConfirm.skipNoted'))];
    default:
      return [text(x.say('common.pickOne'), 'error')];
  }
}

export function answerSide(c: Case, question: string, a: Answer, x: Ctx): Reply[] | null {
  const [kind, subject = ''] = question.split(':');
  const value = a.kind === 'choice' ? a.value : a.kind === 'text' ? a.text.trim().toLowerCase() : '';
  if (kind === 'pay') {
    const inv = c.contract.invoices.find((i) => i.id === subject);
    if (!inv) return [text(x.say('common.staleDone'), 'info')];
    if (value === 'paid') {
      if (inv.paid) return [text(x.say('common.staleDone'), 'info')];
      markPaid(c, [inv.id], x, finishCase);
      return [...x.out];
    }
    inv.recheckDate = addDays(x.today, PAYMENT_RECHECK_DAYS);
    return [text(x.say('remind.payment.recheck', { when: momentOf(x, morningOnOrAfter(inv.recheckDate, x.settings).toISOString()) }))];
  }
  if (kind === 'paidWhich') {
    const ids = value === 'all' ? unpaid(c).map((i) => i.id) : unpaid(c).some((i) => i.id === value) ? [value] : [];
    if (ids.length === 0) return [text(x.say('common.staleDone'), 'info')];
    markPaid(c, ids, x, finishCase);
    return [...x.out];
  }
  if (kind === 'checkin') return answerCheckIn(c, value, x);
  if (kind === 'agreed') return answerAgreed(c, a, x);
  if (kind === 'letterConfirm') return answerLetterConfirm(c, value, x);
  if (kind === 'task') {
    const rejected = value === 'snooze' ? snoozeTask(c, subject, addDays(x.today, 1), x) : setDone(c, subject, true, x);
    if (rejected) return rejected.rejected;
    if (value === 'snooze') return [text(x.say('remind.task.snoozed', { when: momentOf(x, morningOnOrAfter(addDays(x.today, 1), x.settings).toISOString()) }))];
    return [...x.out];
  }
  if (kind === 'pushback') return answerPushback(c, value, x);
  if (kind === CALENDAR_QUESTION) return answerCalendar(c, value, x);
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
