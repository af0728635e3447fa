import { LOCALES, type Locale } from '../model/settings.js';
import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { choices, text, reject } from '../engine/replies.js';
import { draftLetter, letterFilename } from '../engine/letter.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { addDays, compareDates } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { momentOf } from './dates.js';
import { goto } from './nav.js';
import { languageName } from '../i18n/grammar/language-name.js';

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
    text(x.say('letter.intro', { language: languageName(lang, x.locale) })),
    { kind: 'file', filename: letterFilename(c, lang), mime: 'text/plain', title: x.say('letter.fileTitle', { client: c.client }), content: draftLetter(c, lang) },
  ];
}

/**
 * The day after the last day, or the later day the user asked to be nudged again. An early
 * wrap-up's "remind me" never pulls the real one before the work has ended.
 */
export function wrapUpDay(c: Case): string | null {
  // No last day (a moved talk cleared it): no wrap-up until the notice is given again.
  if (!c.notice.lastDay) return null;
  const afterLast = addDays(c.notice.lastDay, 1);
  if (!c.wrapRecheck) return afterLast;
  return compareDates(c.wrapRecheck, afterLast) < 0 ? afterLast : c.wrapRecheck;
}

/** First working morning of the wrap-up day. */
export function wrapUpDate(c: Case, x: Pick<Ctx, 'settings'>): Date | null {
  const day = wrapUpDay(c);
  return day ? morningOnOrAfter(day, x.settings) : null;
}

/**
 * A reason typed in the user's own words is in the language they write to the bot in (their
 * locale): all the bot can honestly know. A letter in another language would mix the two.
 */
function reasonInOtherLanguage(c: Case, x: Ctx, lang: Locale): boolean {
  return c.conversation.reason === 'own' && !!c.conversation.reasonText?.trim() && lang !== x.locale;
}

export const letterSteps: Record<'letterLang' | 'letterReason' | 'letterSent' | 'letterEarly', StepDef> = {
  letterLang: {
    ask: (c, x) => [choices(c, 'letterLang', x.say('letter.language', { client: c.client }), languageOptions(c.letter.language ?? x.locale))],
    answer(c, a, x) {
      const lang = LOCALES.find((l) => a.kind === 'choice' && a.value === l);
      if (!lang) return reject(x.say('common.pickOne'));
      c.letter.language = lang;
      if (reasonInOtherLanguage(c, x, lang)) return goto(c, 'letterReason');
      // Same language as the user's words: the choice made for another language no longer applies.
      delete c.letter.reasonInLetter;
      x.out.push(...letterReplies(c, x, lang));
      goto(c, 'letterSent');
    },
  },
  letterReason: {
    ask: (c, x) => [
      choices(c, 'letterReason', x.say('letter.reasonLang', { language: languageName(c.letter.language ?? x.locale, x.locale) }), [
        { value: 'general', label: x.say('letter.reasonLang.general'), style: 'primary' },
        { value: 'own', label: x.say('letter.reasonLang.own') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice' || (a.value !== 'general' && a.value !== 'own')) return reject(x.say('common.pickOne'));
      c.letter.reasonInLetter = a.value;
      x.out.push(...letterReplies(c, x, c.letter.language ?? x.locale));
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
      const talk = c.conversation.at;
      // The letter follows the talk: sent before it, the client reads the news from an email.
      if (talk && Date.parse(talk) > x.now.getTime()) return goto(c, 'letterEarly');
      markSent(c, x, true);
    },
  },
  letterEarly: {
    ask: (c, x) => [
      choices(c, 'letterEarly', x.say('letter.early', { client: c.client, when: momentOf(x, c.conversation.at ?? x.now.toISOString()) }), [
        { value: 'talkHappened', label: x.say('letter.early.talked') },
        { value: 'sentAnyway', label: x.say('letter.early.sent') },
        { value: 'notYet', label: x.say('letter.early.notYet'), style: 'primary' },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'notYet') {
        x.out.push(text(x.say('letter.early.kept')));
        return goto(c, 'letterSent');
      }
      if (a.value === 'talkHappened') {
        // The talk took place earlier than planned: it is over now, and the check-in is moot.
        c.conversation.at = x.now.toISOString();
        c.conversation.checkIn = 'fine';
        return markSent(c, x, true);
      }
      markSent(c, x, false);
    },
  },
};

/** The letter is out: on to waiting for the wrap-up. Celebrated only when it came after the talk. */
function markSent(c: Case, x: Ctx, afterTalk: boolean): void {
  c.letter.sentAt = x.now.toISOString();
  // A letter sent again (a new last day) needs its own confirmation of receipt.
  delete c.letter.confirmedAt;
  delete c.letter.confirmRecheck;
  delete c.letter.confirmSkipped;
  const wrap = wrapUpDate(c, x);
  const when = wrap ? momentOf(x, wrap.toISOString()) : '—';
  if (afterTalk) x.out.push(text(x.say('letter.sentNoted', { when }), 'success'));
  else x.out.push(text(x.say('letter.sentEarlyNoted', { talk: momentOf(x, c.conversation.at ?? x.now.toISOString()), when }), 'warning'));
  goto(c, 'wrapWait');
}
