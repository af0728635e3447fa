import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  daysInMonth,
  hhmm,
  instantAt,
  isValidDate,
  localParts,
  todayIn,
  weekdayOf,
  ymd,
} from '../src/time/calendar.js';

const HOST_ZONES = ['UTC', 'Pacific/Auckland', 'America/Los_Angeles', 'Asia/Kathmandu'];
const originalTz = process.env.TZ;

/** Node re-reads TZ when it is assigned, so each case can run under several host zones. */
function eachHostZone(fn: () => void): void {
  for (const zone of HOST_ZONES) {
    process.env.TZ = zone;
    fn();
  }
}

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

const iso = (d: Date): string => d.toISOString().slice(0, 16) + 'Z';

describe('host zone switching (sanity check for the other tests)', () => {
  it('changes what Date reports', () => {
    const probe = new Date('2026-01-15T12:00:00Z');
    process.env.TZ = 'UTC';
    const utc = probe.getTimezoneOffset();
    process.env.TZ = 'Pacific/Auckland';
    expect(probe.getTimezoneOffset()).not.toBe(utc);
  });
});

describe('isValidDate / daysInMonth', () => {
  it('knows month lengths and leap years', () => {
    expect(isValidDate(2024, 2, 29)).toBe(true);
    expect(isValidDate(2026, 2, 29)).toBe(false);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2000, 2, 29)).toBe(true);
    expect(isValidDate(2026, 4, 31)).toBe(false);
    expect(isValidDate(2026, 12, 31)).toBe(true);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
  });

  it('rejects out-of-range and fractional parts', () => {
    for (const [y, m, d] of [
      [2026, 13, 1],
      [2026, 0, 1],
      [2026, 1, 0],
      [2026, 1, 32],
      [0, 1, 1],
      [10000, 1, 1],
      [2026, 1.5, 1],
      [Number.NaN, 1, 1],
    ] as const) {
      expect(isValidDate(y, m, d), `${y}-${m}-${d}`).toBe(false);
    }
  });
});

describe('addDays / compareDates / weekdayOf', () => {
  it('crosses month, year and leap-day boundaries in any host zone', () => {
    eachHostZone(() => {
      expect(addDays('2026-11-23', 1)).toBe('2026-11-24');
      expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
      expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
      expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
      expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // Europe's spring-forward weekend
      expect(addDays('2026-09-26', 2)).toBe('2026-09-28'); // Auckland's
      expect(addDays('2026-11-23', 0)).toBe('2026-11-23');
      expect(addDays('2026-11-23', 365)).toBe('2027-11-23');
    });
  });

  it('compares as -1, 0, 1', () => {
    expect(compareDates('2026-11-23', '2026-11-24')).toBe(-1);
    expect(compareDates('2026-11-24', '2026-11-24')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
  });

  it('gives ISO weekdays', () => {
    eachHostZone(() => {
      expect(weekdayOf('2026-11-23')).toBe(1);
      expect(weekdayOf('2026-11-28')).toBe(6);
      expect(weekdayOf('2026-11-29')).toBe(7);
      expect(weekdayOf('2028-02-29')).toBe(2);
    });
  });

  it('throws on malformed dates instead of guessing', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-2-3', 1)).toThrow(RangeError);
    expect(() => addDays('2026-11-23', 1.5)).toThrow(RangeError);
    expect(() => compareDates('tomorrow', '2026-11-23')).toThrow(RangeError);
  });

  it('addDays(n) then addDays(-n) is the identity, and moves the weekday by n mod 7', () => {
    const dates = fc
      .record({ y: fc.integer({ min: 1900, max: 2200 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
      .filter(({ y, m, d }) => isValidDate(y, m, d))
      .map(({ y, m, d }) => ymd(y, m, d));
    fc.assert(
      fc.property(dates, fc.integer({ min: -4000, max: 4000 }), (date, n) => {
        const moved = addDays(date, n);
        expect(addDays(moved, -n)).toBe(date);
        expect(compareDates(moved, date)).toBe(Math.sign(n));
        expect((weekdayOf(date) - 1 + (((n % 7) + 7) % 7)) % 7).toBe(weekdayOf(moved) - 1);
      }),
    );
  });
});

describe('todayIn / localParts', () => {
  it('uses the zone, not UTC or the host, to decide the day', () => {
    eachHostZone(() => {
      const lateUtc = new Date('2026-11-23T23:30:00Z');
      expect(todayIn('Europe/Berlin', lateUtc)).toBe('2026-11-24');
      expect(todayIn('America/New_York', lateUtc)).toBe('2026-11-23');
      expect(todayIn('Asia/Ho_Chi_Minh', lateUtc)).toBe('2026-11-24');
      expect(localParts(lateUtc, 'Europe/Berlin')).toEqual({ date: '2026-11-24', time: '00:30' });
      expect(localParts(lateUtc, 'America/New_York')).toEqual({ date: '2026-11-23', time: '18:30' });
      expect(localParts(lateUtc, 'Asia/Kathmandu')).toEqual({ date: '2026-11-24', time: '05:15' });
    });
  });

  it('throws for an unknown zone or an invalid instant', () => {
    expect(() => localParts(new Date(), 'Nowhere/Special')).toThrow(RangeError);
    expect(() => localParts(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('instantAt', () => {
  it('handles ordinary times', () => {
    eachHostZone(() => {
      expect(iso(instantAt('2026-11-24', '09:00', 'Europe/Berlin'))).toBe('2026-11-24T08:00Z');
      expect(iso(instantAt('2026-07-01', '09:00', 'Europe/Berlin'))).toBe('2026-07-01T07:00Z');
      expect(iso(instantAt('2026-11-24', '09:00', 'Asia/Ho_Chi_Minh'))).toBe('2026-11-24T02:00Z');
      expect(iso(instantAt('2026-11-24', '09:00', 'Asia/Kathmandu'))).toBe('2026-11-24T03:15Z');
      expect(iso(instantAt('2026-11-24', '00:00', 'UTC'))).toBe('2026-11-24T00:00Z');
    });
  });

  it('Berlin spring forward (2026-03-29, 02:00 → 03:00): times in the gap land at its end', () => {
    eachHostZone(() => {
      expect(iso(instantAt('2026-03-29', '01:59', 'Europe/Berlin'))).toBe('2026-03-29T00:59Z');
      expect(iso(instantAt('2026-03-29', '02:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00Z');
      expect(iso(instantAt('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:00Z');
      expect(iso(instantAt('2026-03-29', '03:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00Z');
      expect(iso(instantAt('2026-03-29', '09:00', 'Europe/Berlin'))).toBe('2026-03-29T07:00Z');
      const inGap = instantAt('2026-03-29', '02:30', 'Europe/Berlin');
      expect(inGap.getTime()).toBeGreaterThan(instantAt('2026-03-29', '01:59', 'Europe/Berlin').getTime());
      expect(localParts(inGap, 'Europe/Berlin')).toEqual({ date: '2026-03-29', time: '03:00' });
    });
  });

  it('Berlin fall back (2026-10-25, 03:00 → 02:00): the first 02:30, and 09:00 is 08:00Z', () => {
    eachHostZone(() => {
      expect(iso(instantAt('2026-10-25', '09:00', 'Europe/Berlin'))).toBe('2026-10-25T08:00Z');
      expect(iso(instantAt('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30Z');
      expect(iso(instantAt('2026-10-25', '01:59', 'Europe/Berlin'))).toBe('2026-10-24T23:59Z');
      expect(iso(instantAt('2026-10-25', '03:00', 'Europe/Berlin'))).toBe('2026-10-25T02:00Z');
    });
  });

  it('New York 2026-03-08 (spring forward) and 2026-11-01 (fall back)', () => {
    eachHostZone(() => {
      expect(iso(instantAt('2026-03-07', '09:00', 'America/New_York'))).toBe('2026-03-07T14:00Z');
      expect(iso(instantAt('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:00Z');
      expect(iso(instantAt('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00Z');
      expect(iso(instantAt('2026-10-31', '09:00', 'America/New_York'))).toBe('2026-10-31T13:00Z');
      expect(iso(instantAt('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30Z');
      expect(iso(instantAt('2026-11-01', '09:00', 'America/New_York'))).toBe('2026-11-01T14:00Z');
    });
  });

  it('half-hour DST (Lord Howe, 2026-10-04 02:00 → 02:30)', () => {
    eachHostZone(() => {
      expect(iso(instantAt('2026-10-04', '02:15', 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30Z');
      expect(iso(instantAt('2026-10-04', '02:30', 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30Z');
    });
  });

  it('never goes backwards as the wall clock moves forward through a day', () => {
    for (const [zone, date] of [
      ['Europe/Berlin', '2026-03-29'],
      ['Europe/Berlin', '2026-10-25'],
      ['America/New_York', '2026-03-08'],
      ['Pacific/Auckland', '2026-09-27'],
    ] as const) {
      let previous = -Infinity;
      for (let minute = 0; minute < 24 * 60; minute += 5) {
        const at = instantAt(date, hhmm(Math.floor(minute / 60), minute % 60), zone).getTime();
        expect(at, `${zone} ${date} minute ${minute}`).toBeGreaterThanOrEqual(previous);
        previous = at;
      }
    }
  });

  it('round-trips through localParts for times that exist', () => {
    const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Ho_Chi_Minh', 'Europe/Istanbul', 'Pacific/Auckland', 'Asia/Kathmandu');
    fc.assert(
      fc.property(
        zones,
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, dayIndex, h, min) => {
          const date = addDays('2024-01-01', dayIndex);
          const time = hhmm(h, min);
          const back = localParts(instantAt(date, time, zone), zone);
          // Only a time inside a spring-forward gap may come back different, and then later.
          if (back.date !== date || back.time !== time) {
            expect(back.date).toBe(date);
            expect(back.time > time).toBe(true);
          }
        },
      ),
    );
  });

  it('throws for malformed input or an unknown zone', () => {
    expect(() => instantAt('2026-11-24', '9:00', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => instantAt('2026-11-24', '24:00', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => instantAt('2026-02-30', '09:00', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => instantAt('2026-11-24', '09:00', 'Nowhere/Special')).toThrow(RangeError);
  });
});
