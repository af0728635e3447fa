import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { choices, text } from '../engine/replies.js';
import type { Ctx } from '../engine/types.js';
import { datedItems, type DatedItem } from './dated-items.js';
import { calendarFile } from './export-case.js';

/** The side question of the offer; its one option hands over the calendar file. */
export const CALENDAR_QUESTION = 'calendar';
export const CALENDAR_OPTION = 'calendar';

const when = (i: DatedItem): string => ('instant' in i.at ? i.at.instant : i.at.date);

/** The dates the freelancer moves on purpose (see plannedMoved); a calendar without them is wrong, not just thin. */
const PLANNED = new Set<DatedItem['kind']>(['talk', 'lastDay']);

interface CalendarChange {
  /** An item that was dated before sits on another date now. */
  moved: DatedItem['kind'][];
  /** Anything an imported calendar would show differently: moved, added, removed or cancelled. */
  differs: boolean;
}

function calendarChange(before: Case, after: Case): CalendarChange {
  const old = new Map(datedItems(before).map((i) => [i.key, i]));
  const now = datedItems(after);
  const moved = now.filter((i) => old.has(i.key) && when(old.get(i.key) as DatedItem) !== when(i)).map((i) => i.kind);
  const differs =
    moved.length > 0 ||
    now.length !== old.size ||
    now.some((i) => old.get(i.key)?.cancelled !== i.cancelled);
  return { moved, differs };
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
  const change = calendarChange(before, after);
  if (after.stage === 'closed') {
    if (!change.differs) return [];
    taken(after, x);
    return [text(x.say('calendar.closed', { client: after.client }), 'info'), calendarFile(after, x)];
  }
  const planned = change.moved.some((k) => PLANNED.has(k));
  // Once offered and not taken, editing the plan task by task does not repeat it each time.
  if (!change.differs || (before.calendarStale && !planned)) return [];
  after.calendarStale = true;
  return [offer(after, 'calendar.outdated', x)];
}

const offer = (c: Case, key: 'calendar.offer' | 'calendar.outdated', x: Ctx): Reply =>
  choices(c, CALENDAR_QUESTION, x.say(key, { client: c.client }), [{ value: CALENDAR_OPTION, label: x.say('calendar.get') }]);

/** The talk or the last day, dated before and after, on another date now. */
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
