import type { WorkingTime } from '../time/working-hours.js';
import { nextWorkingInstant } from '../time/working-hours.js';

/**
 * How far behind its planned time a reminder may arrive and still count as on time. A queue
 * catching up after a busy minute is not "late" to a person; a worker down for an hour is.
 */
export const DEFAULT_LATE_AFTER_MS = 10 * 60_000;

export type DeliveryTiming =
  | { kind: 'onTime' }
  | { kind: 'late' }
  /** Overdue, and now is outside the user's working hours: wait for this instant. */
  | { kind: 'defer'; until: Date };

/**
 * On-time reminders go out at the instant the engine planned (already a working hour, or a
 * time the user chose). Overdue ones are marked late and held to the next working morning,
 * so coming back from downtime at 3 am wakes nobody.
 */
export function deliveryTiming(plannedAt: string, now: Date, w: WorkingTime, lateAfterMs = DEFAULT_LATE_AFTER_MS): DeliveryTiming {
  if (now.getTime() - Date.parse(plannedAt) <= lateAfterMs) return { kind: 'onTime' };
  const next = nextWorkingInstant(now, w);
  return next.getTime() > now.getTime() ? { kind: 'defer', until: next } : { kind: 'late' };
}
