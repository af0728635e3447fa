import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../src/model/settings.js';
import { localParts } from '../src/time/calendar.js';
import { isWithinWorkingHours, morningNoLaterThan, morningOnOrAfter, nextWorkingInstant } from '../src/time/working-hours.js';
import { Driver } from './helpers/driver.js';

const berlin = defaultSettings({ timeZone: 'Europe/Berlin' });
const newYork = defaultSettings({ timeZone: 'America/New_York' });
const everyDay = (zone: string) => defaultSettings({ timeZone: zone, workdays: [1, 2, 3, 4, 5, 6, 7] });

describe('working mornings across DST', () => {
  it('Berlin: 09:00 local on both sides of the spring and autumn changes', () => {
    const s = everyDay('Europe/Berlin');
    expect(morningOnOrAfter('2026-03-28', s).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(morningOnOrAfter('2026-03-29', s).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(morningOnOrAfter('2026-10-25', s).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(morningOnOrAfter('2026-10-24', s).toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });

  it('New York: 09:00 local on both sides of the changes', () => {
    const s = everyDay('America/New_York');
    expect(morningOnOrAfter('2026-03-07', s).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(morningOnOrAfter('2026-03-08', s).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(morningOnOrAfter('2026-10-31', s).toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(morningOnOrAfter('2026-11-01', s).toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('Istanbul and Ho Chi Minh City have fixed offsets', () => {
    expect(morningOnOrAfter('2026-03-30', everyDay('Europe/Istanbul')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(morningOnOrAfter('2026-03-30', everyDay('Asia/Ho_Chi_Minh')).toISOString()).toBe('2026-03-30T02:00:00.000Z');
  });

  it('weekends: things that may come late move on, deadlines move earlier', () => {
    // 2026-03-28/29 is a weekend; Berlin changes to summer time on the Sunday.
    expect(morningOnOrAfter('2026-03-28', berlin).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(morningNoLaterThan('2026-03-29', berlin).toISOString()).toBe('2026-03-27T08:00:00.000Z');
    expect(morningNoLaterThan('2026-11-02', newYork, new Date('2026-11-02T14:00:00Z')).toISOString()).toBe('2026-10-30T13:00:00.000Z');
  });

  it('an instant outside working hours moves to the next working morning', () => {
    expect(nextWorkingInstant(new Date('2026-11-23T20:00:00Z'), berlin).toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(nextWorkingInstant(new Date('2026-11-27T19:00:00Z'), berlin).toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(nextWorkingInstant(new Date('2026-11-24T03:00:00Z'), berlin).toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(isWithinWorkingHours(new Date('2026-11-24T10:00:00Z'), berlin)).toBe(true);
  });
});

describe('reminders of a case around DST', () => {
  it.each([
    ['Europe/Berlin', '2026-10-19T09:00:00Z'],
    ['America/New_York', '2026-10-26T14:00:00Z'],
    ['Europe/Istanbul', '2026-10-19T09:00:00Z'],
    ['Asia/Ho_Chi_Minh', '2026-10-19T03:00:00Z'],
  ])('in %s every planned reminder lands at 09:00 local on a weekday', (zone, now) => {
    const d = new Driver(now, { locale: 'en', timeZone: zone });
    for (const line of ['start Acme', '1', 'skip', 'skip', '1', '2', '?', '1', 'yes', 'yes', '10', 'no', '1']) d.type(line);
    d.type('900 USD in 10 days');
    for (const line of ['2', 'skip', '1', '1', 'in 7 days 11:00', 'Go ahead anyway', '1', 'Site', '4', 'next']) d.type(line);
    const jobs = [...d.jobs.values()];
    expect(jobs.length).toBeGreaterThanOrEqual(5);
    for (const j of jobs) {
      const local = localParts(new Date(j.at), zone);
      expect(local.time, `${j.kind} ${j.at}`).toBe('09:00');
      const weekday = new Date(`${local.date}T12:00:00Z`).getUTCDay();
      expect(weekday === 0 || weekday === 6, `${j.kind} on ${local.date}`).toBe(false);
    }
  });
});
