import type { Case, PlannedReminder, ReminderKind } from '../model/case.js';
import type { Effect } from '../model/effect.js';
import type { Settings } from '../model/settings.js';
import { addDays, instantAt, localParts } from '../time/calendar.js';
import { morningNoLaterThan, morningOnOrAfter } from '../time/working-hours.js';
import { wrapUpDate } from '../flow/letter.js';

const NOTICE_WARNING_DAYS = 3;

export function reminderId(kind: ReminderKind, subject: string): string {
  return `${kind}-${subject}`;
}

function want(kind: ReminderKind, subject: string, at: Date | string): PlannedReminder {
  return { id: reminderId(kind, subject), kind, subject, at: typeof at === 'string' ? at : at.toISOString() };
}

// Every turn re-plans every task; the instant depends only on these strings, so a small
// memo saves most of a turn's time-zone arithmetic.
const TASK_AT = new Map<string, string>();
const TASK_AT_MAX = 4096;

function taskReminderAt(due: string, snoozedTo: string | undefined, s: Settings): string {
  const key = `${s.timeZone}|${s.workdayStart}|${s.workdayEnd}|${s.workdays.join('')}|${due}|${snoozedTo ?? ''}`;
  let at = TASK_AT.get(key);
  if (at === undefined) {
    const when = snoozedTo ? morningOnOrAfter(snoozedTo, s) : morningNoLaterThan(due, s, instantAt(due, s.workdayEnd, s.timeZone));
    at = when.toISOString();
    if (TASK_AT.size >= TASK_AT_MAX) TASK_AT.clear();
    TASK_AT.set(key, at);
  }
  return at;
}

/** Every reminder the case's data calls for, ignoring whether its time has passed. */
export function desiredReminders(c: Case, s: Settings): PlannedReminder[] {
  if (c.stage === 'closed') return [];
  const out: PlannedReminder[] = [];
  if (c.stage === 'cooling' && c.step === 'coolWait' && c.coolingOffUntil) {
    out.push(want('coolingEnd', 'case', new Date(c.coolingOffUntil)));
  }
  for (const inv of c.contract.invoices) {
    if (!inv.paid) out.push(want('paymentCheck', inv.id, morningOnOrAfter(inv.recheckDate ?? inv.dueDate, s)));
  }
  const talk = c.conversation.at;
  if (talk && c.step !== 'talkAt') {
    const talkInstant = new Date(talk);
    const talkDay = localParts(talkInstant, s.timeZone).date;
    out.push(want('conversationPrep', 'case', morningNoLaterThan(talkDay, s, talkInstant)));
  }
  const last = c.notice.lastDay;
  if (last && c.step !== 'wrap' && c.step !== 'wrapOpen') {
    // Warnings may move earlier, never past the end of the last day they warn about.
    const endOfLastDay = instantAt(last, s.workdayEnd, s.timeZone);
    out.push(want('noticeSoon', 'case', morningNoLaterThan(addDays(last, -NOTICE_WARNING_DAYS), s, endOfLastDay)));
    out.push(want('noticeLast', 'case', morningNoLaterThan(last, s, endOfLastDay)));
  }
  for (const task of c.tasks) {
    if (task.done || !task.due) continue;
    out.push(want('taskDue', task.id, taskReminderAt(task.due, task.snoozedTo, s)));
  }
  const wrap = wrapUpDate(c, { settings: s });
  if (wrap && c.step !== 'wrap' && c.step !== 'wrapOpen') {
    out.push(want('wrapUp', 'case', wrap));
  }
  return out;
}

/**
 * Keeps the plan in step with the case. A reminder already planned at the same instant
 * stays even when that instant has passed (the worker may be delivering it right now);
 * a new or moved one is planned only for the future, so nothing is ever scheduled late.
 */
export function reconcileReminders(
  c: Case,
  s: Settings,
  now: Date,
): { reminders: PlannedReminder[]; effects: Effect[] } {
  const old = new Map(c.reminders.map((r) => [r.id, r]));
  const reminders: PlannedReminder[] = [];
  const effects: Effect[] = [];
  for (const d of desiredReminders(c, s)) {
    const before = old.get(d.id);
    if (before && before.at === d.at) {
      reminders.push(before);
      old.delete(d.id);
    } else if (Date.parse(d.at) > now.getTime()) {
      reminders.push(d);
      effects.push({ kind: 'schedule', caseId: c.id, reminder: d });
      old.delete(d.id);
    }
  }
  for (const gone of old.values()) effects.push({ kind: 'cancel', caseId: c.id, reminderId: gone.id });
  // ISO instants of one format sort as plain strings; localeCompare would be slower and no truer.
  reminders.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { reminders, effects };
}
