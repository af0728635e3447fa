import { LOCALES, type Locale } from '../model/settings.js';
import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { choices, text, reject } from '../engine/replies.js';
import { draftLetter, letterFilename } from '../engine/letter.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { addDays } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { momentOf } from './dates.js';
import { goto } from './nav.js';

export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  tr: 'Türkçe',
  vi: 'Tiếng Việt',
};

export function languageOptions(preferred: Locale) {
  return LOCALES.map((l) => (l === preferred ? { value: l, label: LANGUAGE_NAMES[l], style: 'primary' as const } : { value: l, label: LANGUAGE_NAMES[l] }));
}

/** The letter as a file plus a word on what to do with it. */
export function letterReplies(c: Case, x: Ctx, lang: Locale): Reply[] {
  return [
    text(x.say('letter.intro', { language: LANGUAGE_NAMES[lang] })),
    { kind: 'file', filename: letterFilename(c, lang), mime: 'text/plain', title: x.say('letter.fileTitle', { client: c.client }), content: draftLetter(c, lang) },
  ];
}

/** The day after the last day, or the day the user asked to be nudged again. */
export function wrapUpDay(c: Case): string | null {
  return c.wrapRecheck ?? (c.notice.lastDay ? addDays(c.notice.lastDay, 1) : null);
}

/** First working morning of the wrap-up day. */
export function wrapUpDate(c: Case, x: Pick<Ctx, 'settings'>): Date | null {
  const day = wrapUpDay(c);
  return day ? morningOnOrAfter(day, x.settings) : null;
}

export const letterSteps: Record<'letterLang' | 'letterSent', StepDef> = {
  letterLang: {
    ask: (c, x) => [choices(c, 'letterLang', x.say('letter.language', { client: c.client }), languageOptions(c.letter.language ?? x.locale))],
    answer(c, a, x) {
      const lang = LOCALES.find((l) => a.kind === 'choice' && a.value === l);
      if (!lang) return reject(x.say('common.pickOne'));
      c.letter.language = lang;
      x.out.push(...letterReplies(c, x, lang));
      goto(c, 'letterSent');
    },
  },
  letterSent: {
    ask: (c, x) => [
      choices(c, 'letterSent', x.say('letter.markSent'), [
        { value: 'sent', label: x.say('letter.sent'), style: 'primary' },
        { value: 'language', label: x.say('letter.otherLanguage') },
        { value: 'show', label: x.say('letter.showAgain') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'language') return goto(c, 'letterLang');
      if (a.value === 'show') {
        x.out.push(...letterReplies(c, x, c.letter.language ?? x.locale));
        return;
      }
      c.letter.sentAt = x.now.toISOString();
      const talk = c.conversation.at;
      if (talk && Date.parse(talk) > x.now.getTime()) x.out.push(text(x.say('letter.sentBeforeTalk', { when: momentOf(x, talk) }), 'warning'));
      const wrap = wrapUpDate(c, x);
      x.out.push(text(x.say('letter.sentNoted', { when: wrap ? momentOf(x, wrap.toISOString()) : '—' }), 'success'));
      goto(c, 'wrapWait');
    },
  },
};
