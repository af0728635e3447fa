// Data-dependent grammar as the user reads it: real catalog lines rendered with real names and dates.
import { describe, expect, it } from 'vitest';
import { formatDate, formatInstant, formatTime } from '../src/i18n/format.js';
import { t } from '../src/i18n/translate.js';

describe('French elision in rendered lines', () => {
  it('elides "de" and "que" before a vowel or mute h, not before a consonant or aspirated h', () => {
    expect(t('fr', 'assess.signs.ask', { client: 'Acme GmbH' })).toContain('vous séparer d’Acme GmbH\u202f?');
    expect(t('fr', 'assess.signs.ask', { client: 'Hôtel Lumière' })).toContain('séparer d’Hôtel Lumière');
    expect(t('fr', 'assess.signs.ask', { client: 'Bosch' })).toContain('séparer de Bosch');
    expect(t('fr', 'assess.signs.ask', { client: 'Hollande Bio' })).toContain('séparer de Hollande Bio');
    expect(t('fr', 'cooling.waiting', { client: 'Ikea', when: 'x' })).toContain('au sujet d’Ikea');
    expect(t('fr', 'handover.referralOptional', { client: 'Orange' })).toContain('noté qu’Orange a manqué');
    expect(t('fr', 'handover.referralOptional', { client: 'Bosch' })).toContain('noté que Bosch a manqué');
  });
});

describe('Turkish case suffixes in rendered lines', () => {
  it('puts the dative on the client name with apostrophe and vowel harmony', () => {
    expect(t('tr', 'remind.letterConfirm', { client: 'Acme', when: 'dün' })).toContain("Acme'ye gönderdin");
    expect(t('tr', 'remind.letterConfirm', { client: 'Bosch', when: 'dün' })).toContain("Bosch'a gönderdin");
    expect(t('tr', 'remind.letterConfirm', { client: '3M', when: 'dün' })).toContain("3M'ye gönderdin");
  });

  it('says a moment "… saat 09:00\'da", never "tarihinde" after a time', () => {
    const when = formatInstant('tr', '2026-12-07T06:00:00Z', 'Europe/Istanbul');
    expect(when).toBe('7 Aralık 2026 Pazartesi saat 09:00');
    expect(t('tr', 'cooling.set', { when })).toContain("7 Aralık 2026 Pazartesi saat 09:00'da sana yazacağım");
    expect(t('tr', 'when.tomorrow', { time: formatTime('tr', '14:00') })).toBe("yarın saat 14:00'te");
    expect(t('tr', 'when.tomorrow', { time: formatTime('tr', '09:30') })).toBe("yarın saat 09:30'da");
    expect(t('tr', 'when.today', { time: formatTime('tr', '10:00') })).toBe("bugün saat 10:00'da");
  });
});

describe('German dates take the article their case asks for', () => {
  const when = formatInstant('de', '2027-01-11T08:00:00Z', 'Europe/Berlin');
  it('reads "am Montag, dem 11. Januar 2027, um 9:00 Uhr" and "bis Montag, den …"', () => {
    expect(when).toBe('Montag, 11. Januar 2027, um 9:00 Uhr');
    expect(t('de', 'cooling.set', { when })).toContain('am Montag, dem 11. Januar 2027, um 9:00 Uhr bei dir');
    expect(t('de', 'cooling.waiting', { client: 'Acme', when })).toContain('bis Montag, den 11. Januar 2027, um 9:00 Uhr');
    expect(t('de', 'wrap.early', { date: formatDate('de', '2027-01-11'), count: 2 })).toContain('Arbeitstag ist Montag, der 11. Januar 2027');
  });
  it('leaves relative moments alone', () => {
    expect(t('de', 'when.tomorrow', { time: formatTime('de', '09:00') })).toBe('morgen um 9:00 Uhr');
  });
});

describe('dates and times in each language pattern', () => {
  it('writes the French hour "9 h", "14 h 30"', () => {
    expect(formatTime('fr', '09:00')).toBe('9\u00a0h');
    expect(formatTime('fr', '14:30')).toBe('14\u00a0h\u00a030');
    expect(formatInstant('fr', '2027-01-11T08:00:00Z', 'Europe/Paris')).toBe('lundi 11 janvier 2027 à 9\u00a0h');
  });
  it('writes the Vietnamese date "thứ Hai, ngày 11 tháng 01 năm 2027"', () => {
    expect(formatDate('vi', '2027-01-11')).toBe('thứ Hai, ngày 11 tháng 01 năm 2027');
    expect(formatDate('vi', '2026-12-07')).toBe('thứ Hai, ngày 07 tháng 12 năm 2026');
    expect(formatInstant('vi', '2027-01-11T02:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('9:00 thứ Hai, ngày 11 tháng 01 năm 2027');
  });
  it('takes the calendar day in the user zone, not UTC', () => {
    expect(formatInstant('de', '2027-01-10T23:30:00Z', 'Europe/Berlin')).toBe('Montag, 11. Januar 2027, um 0:30 Uhr');
  });
});

describe('French first of the month', () => {
  it('writes "1er" for the first day only', () => {
    expect(formatDate('fr', '2026-12-01')).toBe('mardi 1er décembre 2026');
    expect(formatDate('fr', '2027-01-11')).toBe('lundi 11 janvier 2027');
    expect(formatDate('fr', '2026-12-31')).toBe('jeudi 31 décembre 2026');
  });
});
