import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { choices, text } from '../engine/replies.js';
import type { Ctx } from '../engine/types.js';
import { datedItems } from './dated-items.js';
import { calendarFile } from './export-case.js';

/** The side question of the offer; its one option hands over the calendar file. */
export const CALENDAR_QUESTION = 'calendar';
export const CALENDAR_OPTION = 'calendar';

/** What an imported calendar shows of a case: each item's key, date and whether it is cancelled. */
function calendarShape(c: Case): string {
  return datedItems(c)
    .map((i) => `${i.key}=${'instant' in i.at ? i.at.instant : i.at.date}${i.cancelled ? '/x' : ''}`)
    .join(' ');
}

function taken(c: Case, x: Ctx): void {
  c.calendarAt = x.now.toISOString();
  delete c.calendarStale;
}

/** True when this turn already hands over a calendar file (an export, the offer taken). */
const handsCalendar = (replies: readonly Reply[]): boolean => replies.some((r) => r.kind === 'file' && r.mime === 'text/calendar');

/**
 * After a turn that changed the case's dates: a calendar the freelancer imported earlier is
 * now wrong, and one they never took may be worth taking. An open case gets a button (a file
 * nobody asked for would be noise); a case that just closed, once exported, gets the file
 * itself, because its events must be cancelled and there is no later turn to ask in.
 */
export function calendarFollowUp(before: Case, after: Case, replies: readonly Reply[], x: Ctx): Reply[] {
  if (handsCalendar(replies)) {
    taken(after, x);
    return [];
  }
  const exported = before.calendarAt !== undefined;
  // Every turn passes here: a case whose calendar was never taken only needs its two planned
  // dates compared, not every dated item listed twice (that took a third of a step's time).
  if (!exported) {
    return after.stage !== 'closed' && plannedMoved(before, after) ? [offer(after, 'calendar.offer', x)] : [];
  }
  // Moved, added, removed or cancelled: anything the imported calendar now shows wrongly.
  const differs = calendarShape(before) !== calendarShape(after);
  if (after.stage === 'closed') {
    if (!differs) return [];
    taken(after, x);
    return [text(x.say('calendar.closed', { client: after.client }), 'info'), calendarFile(after, x)];
  }
  // Once offered and not taken, editing the plan task by task does not repeat it each time.
  if (!differs || (before.calendarStale && !plannedMoved(before, after))) return [];
  after.calendarStale = true;
  return [offer(after, 'calendar.outdated', x)];
}

const offer = (c: Case, key: 'calendar.offer' | 'calendar.outdated', x: Ctx): Reply =>
  choices(c, CALENDAR_QUESTION, x.say(key, { client: c.client }), [{ value: CALENDAR_OPTION, label: x.say('calendar.get') }]);

/** The talk or the last day, dated before and after, on another date now: what the freelancer moves on purpose. */
function plannedMoved(before: Case, after: Case): boolean {
  const moved = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== b;
  return moved(before.conversation.at, after.conversation.at) || moved(before.notice.lastDay, after.notice.lastDay);
}

/** The offer taken (now or from an old button): the calendar as the case stands now. */
export function answerCalendar(c: Case, value: string, x: Ctx): Reply[] {
  if (value !== CALENDAR_OPTION) return [text(x.say('common.pickOne'), 'error')];
  taken(c, x);
  return [text(x.say('calendar.here', { client: c.client })), calendarFile(c, x)];
}
