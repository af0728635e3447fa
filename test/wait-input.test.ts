import { describe, expect, it } from 'vitest';
import { readWait } from '../adapters/console/wait-input.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const ctx = (locale: 'en' | 'de' | 'fr' | 'tr' | 'vi') => ({ locale, timeZone: 'Europe/Berlin', now: NOW, workdayStart: '09:00' });
const at = (iso: string) => ({ kind: 'at', at: new Date(iso) });

describe('reading `wait …` in the console', () => {
  it('alone it means the next planned reminder', () => {
    expect(readWait('', ctx('en'))).toEqual({ kind: 'next' });
  });

  it('a span in any of the five languages, from the console clock', () => {
    expect(readWait('3 days', ctx('en'))).toEqual(at('2026-11-26T09:00:00Z'));
    expect(readWait('2 Tage', ctx('de'))).toEqual(at('2026-11-25T09:00:00Z'));
    expect(readWait('1 semaine', ctx('fr'))).toEqual(at('2026-11-30T09:00:00Z'));
    expect(readWait('3 gün', ctx('tr'))).toEqual(at('2026-11-26T09:00:00Z'));
    expect(readWait('3 ngày', ctx('vi'))).toEqual(at('2026-11-26T09:00:00Z'));
    expect(readWait('4 hours', ctx('en'))).toEqual(at('2026-11-23T13:00:00Z'));
  });

  it('a date (with "until" or "bis"), in the user\'s zone; a day alone means the start of the working day', () => {
    expect(readWait('until 2026-12-15 10:00', ctx('en'))).toEqual(at('2026-12-15T09:00:00Z'));
    expect(readWait('bis 15.12.2026', ctx('de'))).toEqual(at('2026-12-15T08:00:00Z'));
    expect(readWait('15/12/2026', ctx('fr'))).toEqual(at('2026-12-15T08:00:00Z'));
  });

  it('refuses what it cannot do, each with its own answer', () => {
    expect(readWait('a bit', ctx('en'))).toEqual({ kind: 'bad' });
    expect(readWait('0 days', ctx('en'))).toEqual({ kind: 'bad' });
    expect(readWait('3 fortnights', ctx('en'))).toEqual({ kind: 'bad' });
    expect(readWait('until 2026-11-01', ctx('en'))).toMatchObject({ kind: 'past' });
    expect(readWait('500 days', ctx('en'))).toEqual({ kind: 'tooFar' });
    expect(readWait('until 2029-01-01', ctx('en'))).toEqual({ kind: 'tooFar' });
  });
});
