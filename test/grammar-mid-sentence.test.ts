// The user's own reason continues the letter's sentence ("because …", "car …", "vì …").
import { describe, expect, it } from 'vitest';
import { midSentence } from '../src/i18n/grammar/mid-sentence.js';
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
