import { describe, expect, it } from 'vitest';
import { languageName } from '../src/i18n/grammar/language-name.js';

describe('language names in the reader language', () => {
  it.each([
    ['de', 'en', 'German'], ['en', 'de', 'Englisch'], ['de', 'fr', 'allemand'], ['de', 'tr', 'Almanca'],
    ['de', 'vi', 'tiếng Đức'], ['vi', 'vi', 'tiếng Việt'], ['fr', 'en', 'French'],
  ] as const)('%s read in %s → %s', (lang, reader, out) => expect(languageName(lang, reader)).toBe(out));
});
