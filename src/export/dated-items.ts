import type { Case } from '../model/case.js';
import { wrapUpDay } from '../flow/letter.js';

/** One dated thing of a case, as the calendar shows it. */
export interface DatedItem {
  /** Stable per case and item, so a re-import updates the event instead of adding one. */
  key: string;
  kind: 'coolingEnd' | 'talk' | 'payment' | 'task' | 'lastDay' | 'wrapUp';
  /** An instant (UTC ISO) for timed items, or a calendar date "yyyy-MM-dd" for all-day ones. */
  at: { instant: string } | { date: string };
  /** Invoice or task id, when the item is about one. */
  subject?: string;
  cancelled: boolean;
}

/** Outcomes where the plan was dropped: its dates no longer happen. */
const DROPPED = new Set(['kept', 'improved', 'faded', 'cancelled']);

/** Every date the case knows, whether or not a reminder is still planned for it. */
export function datedItems(c: Case): DatedItem[] {
  const dropped = c.outcome !== undefined && DROPPED.has(c.outcome);
  const items: DatedItem[] = [];
  const add = (item: Omit<DatedItem, 'cancelled'>, cancelled = false) => items.push({ ...item, cancelled: dropped || cancelled });
  if (c.coolingOffUntil) add({ key: 'coolingEnd', kind: 'coolingEnd', at: { instant: c.coolingOffUntil } });
  if (c.conversation.at) add({ key: 'talk', kind: 'talk', at: { instant: c.conversation.at } });
  // A paid invoice needs no check any more: the event stays, cancelled, so a calendar drops it.
  for (const inv of c.contract.invoices) add({ key: `payment-${inv.id}`, kind: 'payment', subject: inv.id, at: { date: inv.recheckDate ?? inv.dueDate } }, inv.paid);
  for (const task of c.tasks) if (task.due) add({ key: `task-${task.id}`, kind: 'task', subject: task.id, at: { date: task.due } });
  if (c.notice.lastDay) add({ key: 'lastDay', kind: 'lastDay', at: { date: c.notice.lastDay } });
  const wrap = wrapUpDay(c);
  if (wrap) add({ key: 'wrapUp', kind: 'wrapUp', at: { date: wrap } });
  return items;
}

/** The dates a case will need but does not have yet, for "export what it has, say what is missing". */
export function missingDates(c: Case): ('talk' | 'lastDay')[] {
  if (c.stage === 'closed') return [];
  const missing: ('talk' | 'lastDay')[] = [];
  if (!c.conversation.at) missing.push('talk');
  if (!c.notice.lastDay) missing.push('lastDay');
  return missing;
}
