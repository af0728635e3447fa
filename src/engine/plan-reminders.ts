import type { Case, PlannedReminder, ReminderKind } from '../model/case.js';
import type { Effect } from '../model/effect.js';
import type { Settings } from '../model/settings.js';
import { addDays, instantAt, localParts } from '../time/calendar.js';
import { addWorkdays, morningNoLaterThan, morningOnOrAfter } from '../time/working-hours.js';
import { wrapUpDay } from '../flow/letter.js';

const NOTICE_WARNING_DAYS = 3;
/** Working days the client has to confirm receipt of the letter before the bot asks. */
export const LETTER_CONFIRM_WORKDAYS = 3;
/** Steps where the talk date is not settled yet: nothing hangs on it. */
const TALK_UNSETTLED = new Set(['talkAt', 'talkDayOff', 'moneyFirst', 'talkHold']);
/** Steps of the wrap-up itself: its nudge and the last-day warnings are done. */
const WRAPPING = new Set(['wrap', 'wrapOpen', 'wrapPaid', 'wrapMoney']);

export function reminderId(kind: ReminderKind, subject: string): string {
  return `${kind}-${subject}`;
}

function want(kind: ReminderKind, subject: string, at: Date | string): PlannedReminder {
  return { id: reminderId(kind, subject), kind, subject, at: typeof at === 'string' ? at : at.toISOString() };
}

// Every turn re-plans every reminder; each instant depends only on a few strings, so a small
// memo saves most of a turn's calendar and time-zone arithmetic.
const MEMO = new Map<string, string>();
const MEMO_MAX = 8192;

function memoIso(s: Settings, key: string, compute: () => Date): string {
  const full = `${s.timeZone}|${s.workdayStart}|${s.workdayEnd}|${s.workdays.join('')}|${key}`;
  let at = MEMO.get(full);
  if (at === undefined) {
    at = compute().toISOString();
    if (MEMO.size >= MEMO_MAX) MEMO.clear();
    MEMO.set(full, at);
  }
  return at;
}

/** Start of the last working day on or before `date`, before that day's end. */
const deadlineMorning = (date: string, s: Settings, endDay = date) =>
  memoIso(s, `by|${date}|${endDay}`, () => morningNoLaterThan(date, s, instantAt(endDay, s.workdayEnd, s.timeZone)));

const lateMorning = (date: string, s: Settings) => memoIso(s, `from|${date}`, () => morningOnOrAfter(date, s));

/** Every reminder the case's data calls for, ignoring whether its time has passed. */
export function desiredReminders(c: Case, s: Settings): PlannedReminder[] {
  if (c.stage === 'closed') return [];
  const out: PlannedReminder[] = [];
  if (c.stage === 'cooling' && c.step === 'coolWait' && c.coolingOffUntil) {
    out.push(want('coolingEnd', 'case', new Date(c.coolingOffUntil)));
  }
  if (c.step === 'raiseWait' && c.raise?.checkOn) out.push(want('raiseCheckIn', 'case', lateMorning(c.raise.checkOn, s)));
  for (const inv of c.contract.invoices) {
    if (!inv.paid) out.push(want('paymentCheck', inv.id, lateMorning(inv.recheckDate ?? inv.dueDate, s)));
  }
  const talk = c.conversation.at;
  if (talk && !TALK_UNSETTLED.has(c.step)) {
    const at = memoIso(s, `talk|${talk}`, () => {
      const talkInstant = new Date(talk);
      return morningNoLaterThan(localParts(talkInstant, s.timeZone).date, s, talkInstant);
    });
    out.push(want('conversationPrep', 'case', at));
    if (!c.conversation.checkIn) {
      const day = c.conversation.checkInRecheck ?? addDays(localParts(new Date(talk), s.timeZone).date, 1);
      out.push(want('talkCheckIn', 'case', lateMorning(day, s)));
    }
  }
  const last = c.notice.lastDay;
  const wrapping = WRAPPING.has(c.step);
  if (last && !wrapping) {
    // Warnings may move earlier, never past the end of the last day they warn about.
    out.push(want('noticeSoon', 'case', deadlineMorning(addDays(last, -NOTICE_WARNING_DAYS), s, last)));
    out.push(want('noticeLast', 'case', deadlineMorning(last, s)));
  }
  for (const task of c.tasks) {
    // Tasks due on the last day come with its reminder (it lists them): one message, not twelve.
    if (task.done || !task.due || (task.due === last && !task.snoozedTo)) continue;
    out.push(want('taskDue', task.id, task.snoozedTo ? lateMorning(task.snoozedTo, s) : deadlineMorning(task.due, s)));
  }
  const sent = c.letter.sentAt;
  // Asked alongside the wrap-up, never in its way: closing the case simply drops it.
  if (sent && !c.letter.confirmedAt && !c.letter.confirmSkipped) {
    const day = c.letter.confirmRecheck ?? addWorkdays(localParts(new Date(sent), s.timeZone).date, LETTER_CONFIRM_WORKDAYS, s);
    out.push(want('letterConfirm', 'case', lateMorning(day, s)));
  }
  const wrapDay = wrapUpDay(c);
  if (wrapDay && !wrapping) {
    out.push(want('wrapUp', 'case', lateMorning(wrapDay, s)));
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
  // ISO instants in one format order as strings: no Date parsing per reminder.
  const nowIso = now.toISOString();
  const old = new Map(c.reminders.map((r) => [r.id, r]));
  const reminders: PlannedReminder[] = [];
  const effects: Effect[] = [];
  for (const d of desiredReminders(c, s)) {
    const before = old.get(d.id);
    if (before && before.at === d.at) {
      reminders.push(before);
      old.delete(d.id);
    } else if (d.at > nowIso) {
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
