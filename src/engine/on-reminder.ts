import type { Case } from '../model/case.js';
import type { Inbound } from '../model/inbound.js';
import type { Reply } from '../model/reply.js';
import { invoiceLine } from '../flow/invoices.js';
import { dayOf, momentOf } from '../flow/dates.js';
import { goto } from '../flow/nav.js';
import { STEPS } from '../flow/steps.js';
import { talkingPoints } from '../flow/talking-points.js';
import { checklist, openTasks, taskTitle } from '../flow/tasks.js';
import { choices, text } from './replies.js';
import type { Ctx } from './types.js';

type ReminderInbound = Extract<Inbound, { kind: 'reminder' }>;

/**
 * `moot` with `planned: true`: the reminder was still in the plan but its reason is gone
 * (paid, done, the talk is over); it leaves the plan so nothing re-creates it.
 */
export type ReminderOutcome = { replies: Reply[] } | { moot: string; planned?: true };

/** Why a due reminder should not be sent, or null when it still should. */
export function whyMoot(c: Case, r: Pick<ReminderInbound, 'reminderId' | 'at'>): string | null {
  if (c.stage === 'closed') return 'case closed';
  const planned = c.reminders.find((p) => p.id === r.reminderId);
  if (!planned) return 'no longer planned';
  if (planned.at !== r.at) return 'date moved';
  return null;
}

/** A due reminder: the message with its buttons; the case moves on where the reminder says so. */
export function onReminder(c: Case, r: ReminderInbound, x: Ctx): ReminderOutcome {
  const moot = whyMoot(c, r);
  if (moot) return { moot };
  c.reminders = c.reminders.filter((p) => p.id !== r.reminderId);
  const replies: Reply[] = r.late ? [text(x.say('reminder.late', { when: momentOf(x, r.at) }), 'warning')] : [];
  switch (r.reminderKind) {
    case 'coolingEnd':
      goto(c, 'coolCheck');
      replies.push(...STEPS.coolCheck.ask(c, x));
      break;
    case 'raiseCheckIn':
      if (c.step !== 'raiseWait') return { moot: 'raise answered', planned: true };
      goto(c, 'raiseCheck');
      replies.push(...STEPS.raiseCheck.ask(c, x));
      break;
    case 'paymentCheck': {
      const inv = c.contract.invoices.find((i) => i.id === r.subject);
      if (!inv || inv.paid) return { moot: 'invoice paid', planned: true };
      replies.push(
        choices(c, `pay:${inv.id}`, x.say('remind.payment', { client: c.client, line: invoiceLine(c, x, inv.id) }), [
          { value: 'paid', label: x.say('remind.payment.paid'), style: 'primary' },
          { value: 'notYet', label: x.say('remind.payment.notYet') },
        ]),
      );
      break;
    }
    case 'conversationPrep':
      if (c.conversation.at && Date.parse(c.conversation.at) <= x.now.getTime()) return { moot: 'talk already happened', planned: true };
      replies.push(text(x.say('remind.prep', { client: c.client, when: momentOf(x, c.conversation.at ?? r.at) })));
      replies.push(text(talkingPoints(c, x)));
      break;
    case 'noticeSoon':
    case 'noticeLast': {
      const open = openTasks(c).length;
      const soon = r.reminderKind === 'noticeSoon';
      // "0 tasks are still open" reads like a count, not like the good news it is.
      const key = open === 0 ? (soon ? 'remind.noticeSoon.done' : 'remind.noticeLast.done') : soon ? 'remind.noticeSoon' : 'remind.noticeLast';
      replies.push(text(x.say(key, { client: c.client, date: dayOf(x, c.notice.lastDay ?? ''), count: open })));
      if (c.tasks.length) replies.push(checklist(c, x, false));
      break;
    }
    case 'taskDue': {
      const task = c.tasks.find((t) => t.id === r.subject);
      if (!task || task.done) return { moot: 'task done', planned: true };
      replies.push(
        choices(c, `task:${task.id}`, x.say('remind.task', { client: c.client, task: taskTitle(task, x.locale), date: dayOf(x, task.due) }), [
          { value: 'done', label: x.say('remind.task.done'), style: 'primary' },
          { value: 'snooze', label: x.say('remind.task.snooze') },
        ]),
      );
      break;
    }
    case 'talkCheckIn':
      if (c.conversation.checkIn) return { moot: 'talk checked in', planned: true };
      delete c.conversation.checkInRecheck;
      replies.push(
        choices(c, 'checkin', x.say('remind.checkIn', { client: c.client, when: momentOf(x, c.conversation.at ?? r.at) }), [
          { value: 'fine', label: x.say('checkin.fine'), style: 'primary' },
          { value: 'pushback', label: x.say('checkin.pushback') },
          { value: 'moved', label: x.say('checkin.moved') },
          { value: 'notYet', label: x.say('checkin.notYet') },
        ]),
      );
      break;
    case 'letterConfirm':
      if (!c.letter.sentAt || c.letter.confirmedAt || c.letter.confirmSkipped) return { moot: 'letter confirmed', planned: true };
      delete c.letter.confirmRecheck;
      replies.push(
        choices(c, 'letterConfirm', x.say('remind.letterConfirm', { client: c.client, when: momentOf(x, c.letter.sentAt) }), [
          { value: 'yes', label: x.say('letterConfirm.yes'), style: 'primary' },
          { value: 'notYet', label: x.say('letterConfirm.notYet') },
          { value: 'skip', label: x.say('letterConfirm.skip') },
        ]),
      );
      break;
    case 'wrapUp':
      delete c.wrapRecheck;
      goto(c, 'wrap');
      replies.push(...STEPS.wrap.ask(c, x));
      break;
  }
  return { replies };
}
