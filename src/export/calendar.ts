import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Case } from '../model/case.js';
import type { Settings } from '../model/settings.js';
import { formatMoney } from '../i18n/format.js';
import { t } from '../i18n/translate.js';
import { taskTitle } from '../flow/tasks.js';
import { addDays, instantAt, localParts } from '../time/calendar.js';
import { datedItems, type DatedItem } from './dated-items.js';

const TALK_MINUTES = 45;
const UID_DOMAIN = 'offboard';
// SEQUENCE counts seconds since this instant (2023-11-14), so it stays small and only grows.
const REVISION_EPOCH = 1_700_000_000;

/** Start and end as ical-generator strings: wall-clock time in the zone, UTC without one, or dates. */
function eventSpan(item: DatedItem, zone: string | null): { start: string; end: string } {
  if ('date' in item.at) return { start: item.at.date, end: addDays(item.at.date, 1) };
  const start = new Date(item.at.instant);
  const end = new Date(start.getTime() + (item.kind === 'talk' ? TALK_MINUTES : 15) * 60_000);
  if (!zone) return { start: start.toISOString(), end: end.toISOString() };
  const wall = (d: Date) => {
    const p = localParts(d, zone);
    return `${p.date}T${p.time}:00`;
  };
  return { start: wall(start), end: wall(end) };
}

/**
 * UTC under any of its names: written as UTC times ("…Z"). With "Etc/UTC" as a named zone,
 * ical-generator left DTSTART without TZID, a floating time that a calendar reads in its own zone.
 */
function isUtc(zone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|UCT|GMT|Zulu|Universal|Greenwich)(?:[+-]0)?$/i.test(zone);
}

function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : undefined;
  return text && text.includes('BEGIN:VTIMEZONE') ? text : null;
}

function summary(c: Case, item: DatedItem, s: Settings): string {
  const lang = s.locale;
  const client = c.client;
  switch (item.kind) {
    case 'coolingEnd':
      return t(lang, 'cal.coolingEnd', { client });
    case 'talk':
      return t(lang, 'cal.talk', { client });
    case 'payment': {
      const inv = c.contract.invoices.find((i) => i.id === item.subject);
      return t(lang, 'cal.payment', { client, amount: inv ? formatMoney(lang, inv.amount, inv.currency) : '' });
    }
    case 'task': {
      const task = c.tasks.find((x) => x.id === item.subject);
      return t(lang, 'cal.task', { client, task: task ? taskTitle(task, lang) : '' });
    }
    case 'lastDay':
      return t(lang, 'cal.lastDay', { client });
    case 'wrapUp':
      return t(lang, 'cal.wrapUp', { client });
  }
}

/**
 * The alarm at the working-day start of the event's day, as seconds before a point of the event.
 * All-day events count back from their end (the next midnight): ical-generator writes a negative
 * offset from the start as one from the end anyway. A timed event earlier than the working day
 * rings at its own start.
 */
function alarm(item: DatedItem, s: Settings): { trigger: number; relatesTo: 'START' | 'END' } {
  const [h = 9, m = 0] = s.workdayStart.split(':').map(Number);
  if ('date' in item.at) return { trigger: 86_400 - (h * 3600 + m * 60), relatesTo: 'END' };
  const start = new Date(item.at.instant);
  const morning = instantAt(localParts(start, s.timeZone).date, s.workdayStart, s.timeZone);
  return { trigger: Math.max(0, Math.round((start.getTime() - morning.getTime()) / 1000)), relatesTo: 'START' };
}

/**
 * The case's dates as an iCalendar file: timed events in the user's zone (with its VTIMEZONE),
 * all-day events as plain dates, an alarm at the start of the user's working day, UIDs that stay
 * the same from one export to the next, and dropped items as STATUS:CANCELLED.
 */
export function caseCalendar(c: Case, s: Settings, now: Date): { ics: string; events: number } {
  const zone = !isUtc(s.timeZone) && vtimezone(s.timeZone) ? s.timeZone : null;
  const cal = ical({
    name: t(s.locale, 'export.calendarTitle', { client: c.client }),
    prodId: { company: 'offboard', product: 'offboard', language: s.locale.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    ...(zone ? { timezone: { name: zone, generator: vtimezone } } : {}),
  });
  const items = datedItems(c);
  for (const item of items) {
    // Strings, not Dates: ical-generator reads a Date's fields in the host's zone.
    const span = eventSpan(item, zone);
    const event = cal.createEvent({
      id: `${c.id}-${item.key}@${UID_DOMAIN}`,
      start: span.start,
      end: span.end,
      allDay: 'date' in item.at,
      summary: summary(c, item, s),
      stamp: now,
      // Every export is a newer revision: a calendar takes the moved date instead of keeping the old.
      sequence: Math.max(0, Math.floor(Date.parse(c.updatedAt) / 1000) - REVISION_EPOCH),
      status: item.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...('instant' in item.at && zone ? { timezone: zone } : {}),
    } as ICalEventData);
    if (!item.cancelled) {
      const when = alarm(item, s);
      // Set after the trigger: ical-generator's trigger() clears what relatesTo was given with it.
      event.createAlarm({ type: ICalAlarmType.display, trigger: when.trigger, description: event.summary() }).relatesTo(when.relatesTo);
    }
  }
  return { ics: cal.toString(), events: items.length };
}
