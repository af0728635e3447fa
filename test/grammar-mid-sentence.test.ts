// The user's own reason continues the letter's sentence ("because …", "car …", "vì …").
import { describe, expect, it } from 'vitest';
import { midSentence } from '../src/i18n/grammar/mid-sentence.js';
import { spelledAtStart } from '../src/i18n/grammar/number-words.js';
import { t } from '../src/i18n/translate.js';

describe('a reason typed as a sentence, put mid-sentence', () => {
  it.each([
    ['vi', 'Tôi muốn tập trung vào giáo dục', 'tôi muốn tập trung vào giáo dục'],
    ['vi', 'Công ty đổi hướng', 'Công ty đổi hướng'],
    ['en', 'My priorities changed', 'my priorities changed'],
    ['en', 'It’s time for something new', 'it’s time for something new'],
    ['en', 'I want to focus on design', 'I want to focus on design'],
    ['en', "Acme's budget was cut", "Acme's budget was cut"],
    ['fr', 'J’ai envie de changer', 'j’ai envie de changer'],
    ['fr', 'Je souhaite me recentrer', 'je souhaite me recentrer'],
    ['fr', 'Paris me manque', 'Paris me manque'],
  ] as const)('%s: %s', (locale, typed, expected) => expect(midSentence(locale, typed)).toBe(expected));

  it('is what the letters use', () => {
    expect(t('vi', 'letter.reason', { reason: 'Tôi muốn tập trung vào giáo dục' })).toBe('Tôi đưa ra quyết định này vì tôi muốn tập trung vào giáo dục.');
    expect(t('fr', 'letter.reason', { reason: 'Je souhaite me recentrer' })).toBe('J’ai pris cette décision, car je souhaite me recentrer.');
    expect(t('en', 'letter.reason', { reason: 'My priorities changed' })).toBe('I have made this decision because my priorities changed.');
  });
});

describe('a count that opens a sentence', () => {
  it('is written out up to twelve in English and French, digits after', () => {
    expect(spelledAtStart('en', '2')).toBe('Two');
    expect(spelledAtStart('fr', '11')).toBe('Onze');
    expect(spelledAtStart('fr', '13')).toBe('13');
    expect(t('fr', 'assess.heard', { count: 3 })).toBe('Merci. Trois signes réunis, c’est un vrai motif.');
    expect(t('en', 'tasks.tickedCount', { count: 14 })).toBe('14 tasks done. Nice.');
  });
});
