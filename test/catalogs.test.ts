import { describe, expect, it } from 'vitest';
import { CATALOGS, t } from '../src/i18n/translate.js';
import type { Message, MessageKey } from '../src/i18n/types.js';
import { draftLetter } from '../src/engine/letter.js';
import { LOCALES } from '../src/model/settings.js';
import { MODIFIERS } from '../src/i18n/grammar/modifiers.js';
import { Driver } from './helpers/driver.js';

const textsOf = (m: Message): string[] => (typeof m === 'string' ? [m] : Object.values(m).filter((v): v is string => typeof v === 'string'));
// `{client|de}` names the placeholder `client`; the modifier after the bar is the language's grammar.
const PLACEHOLDER = /\{(\w+)(?:\|(\w+))?\}/g;
const placeholders = (m: Message): string[] =>
  [...new Set(textsOf(m).flatMap((s) => [...s.matchAll(PLACEHOLDER)].map((x) => x[1] ?? '')))].sort();

describe('catalogs', () => {
  const keys = Object.keys(CATALOGS.en) as MessageKey[];

  it.each(LOCALES)('%s has every key, none empty, with the same placeholders as English', (locale) => {
    const catalog = CATALOGS[locale];
    expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const m = catalog[key];
      const texts = typeof m === 'string' ? [m] : Object.values(m);
      for (const s of texts) expect(typeof s === 'string' && s.trim().length > 0, `${locale} ${key}`).toBe(true);
      expect(placeholders(m), `${locale} ${key}`).toEqual(placeholders(CATALOGS.en[key]));
    }
  });

  it.each(LOCALES)('%s uses only the placeholder modifiers its grammar defines', (locale) => {
    for (const key of keys) {
      for (const s of textsOf(CATALOGS[locale][key])) {
        for (const [, name, mod] of s.matchAll(PLACEHOLDER)) {
          if (mod) expect(Object.keys(MODIFIERS[locale]), `${locale} ${key} {${name}|${mod}}`).toContain(mod);
        }
      }
    }
  });

  it.each(LOCALES)('%s plural messages have every form its language needs', (locale) => {
    const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const key of keys) {
      const m = CATALOGS[locale][key];
      if (typeof m === 'string') continue;
      expect(m.other, `${locale} ${key}`).toBeTruthy();
      for (const f of forms) if (f !== 'zero' && f !== 'two' && f !== 'few') expect(m[f] ?? m.other, `${locale} ${key} ${f}`).toBeTruthy();
    }
  });

  it('chooses plural forms by count', () => {
    expect(t('en', 'cooling.days', { count: 1 })).toBe('1 day');
    expect(t('en', 'cooling.days', { count: 7 })).toBe('7 days');
  });

  it.each(LOCALES)('the letter renders in %s with the case data and no leftover placeholder', (lang) => {
    const d = new Driver('2026-11-23T09:30:00Z');
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes', '30', 'no', '1']) d.type(line);
    d.send({ kind: 'submit', caseId: d.onlyCase().id, form: 'invoice', fields: { amount: '1200', currency: 'EUR', due: '2026-12-15' } });
    for (const line of ['2', 'skip', '1', '1', '2026-11-30 14:00', '2', '1', 'Website', '3', 'accessibility']) d.type(line);
    const letter = draftLetter(d.onlyCase(), lang);
    expect(letter).not.toMatch(/\{\w+\}/);
    // The last day as each language writes it in a letter's sentence.
    const lastDay = {
      en: 'Monday, December 14, 2026',
      de: 'zum Montag, dem 14. Dezember 2026',
      fr: 'lundi 14 décembre 2026',
      tr: '14 Aralık 2026 Pazartesi',
      vi: 'thứ Hai, ngày 14 tháng 12 năm 2026',
    }[lang];
    expect(letter).toContain(lastDay);
    expect(letter).toContain('Website');
    expect(letter).toContain('accessibility');
    expect(letter).toMatch(/1[.,\s\u00a0\u202f]?200/);
  });

  it('the letter uses formal address in each language', () => {
    const d = new Driver('2026-11-23T09:30:00Z');
    d.type('start Acme');
    const c = d.onlyCase();
    expect(draftLetter(c, 'de')).toMatch(/\bSie\b|\bIhnen\b|\bIhr/);
    expect(draftLetter(c, 'fr')).toMatch(/\bvous\b/);
    expect(draftLetter(c, 'tr')).toMatch(/Sayın|siz/i);
    expect(draftLetter(c, 'vi')).toContain('Kính gửi Quý Công ty');
  });
});
