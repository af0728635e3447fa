// What a native reader would trip over, checked on every catalog line and on whole rendered cases
// (the golden transcripts): typography, elision, hand-made suffixes, and the style guides' glossary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../src/i18n/translate.js';
import type { Message, MessageKey } from '../src/i18n/types.js';
import type { Locale } from '../src/model/settings.js';

const textsOf = (m: Message): string[] => (typeof m === 'string' ? [m] : Object.values(m).filter((v): v is string => typeof v === 'string'));
const lines = (locale: Locale): Array<[string, string]> =>
  (Object.keys(CATALOGS[locale]) as MessageKey[]).flatMap((key) => textsOf(CATALOGS[locale][key]).map((s): [string, string] => [key, s]));
// Command words the user types and code spans stay as typed: `settings`, "paid Acme".
const withoutCode = (s: string): string => s.replace(/`[^`]*`/g, '``');
const transcript = (name: string): string[] =>
  readFileSync(new URL(`./golden/${name}.txt`, import.meta.url), 'utf8').split('\n').filter((l) => !l.startsWith('>'));

describe('French typography and elision', () => {
  it('has a narrow no-break space (never an ASCII space) before : ; ! ? and inside « »', () => {
    for (const [key, s] of lines('fr')) {
      expect(withoutCode(s), key).not.toMatch(/ [:;!?]|« | »/);
      expect(withoutCode(s), key).not.toMatch(/[^\s\u202f\u00a0/:`]([;!?]|: )/u);
    }
  });

  it('never writes "de", "que", "le", "la" by hand before a name placeholder: the modifier elides', () => {
    for (const [key, s] of lines('fr')) expect(s, key).not.toMatch(/\b(de|que|le|la|De|Que) \{(client|name|who)\}/);
  });

  it('the rendered French case has no "de"/"que" before a vowel and no ASCII space before : ; ! ?', () => {
    for (const line of transcript('case-fr')) {
      expect(withoutCode(line), line).not.toMatch(/(?<![\p{L}-])(de|que|le|la|je|ne|se) [aeiouyéèêàâîôûAEIOUYÉÈÊÀÂÎÔÛ]/u);
      expect(withoutCode(line), line).not.toMatch(/\S ([;!?])|\S :/u);
    }
  });
});

describe('Turkish suffixes', () => {
  it('puts no hand-written suffix after a placeholder, and no "tarafına" detour for the dative', () => {
    for (const [key, s] of lines('tr')) {
      expect(s, key).not.toMatch(/\}['’]\p{L}/u);
      expect(s, key).not.toMatch(/\{client\} tarafına/);
      expect(s, key).not.toMatch(/\{(when|talk|prep)\} (tarihinde|tarihine|için)/);
    }
  });

  it('the rendered Turkish case never says "tarihinde" after a clock time', () => {
    for (const line of transcript('case-tr')) expect(line).not.toMatch(/\d:\d\d (tarihinde|tarihine|için)/);
  });
});

/** Each style guide's glossary: the one term to use, and the variants a reader would notice. */
const GLOSSARY: Record<Exclude<Locale, 'en'>, { use: string[]; never: RegExp[] }> = {
  de: {
    use: ['Kündigungsfrist', 'Übergabe', 'Abschluss', 'Bedenkzeit', 'offene Punkte', 'Gespräch', 'Rechnung', 'Zahlungscheck'],
    never: [/offene[sn]? Enden?\b/, /Offenes Ende/, /Vorlauf/, /\bin Deutsch\b/],
  },
  fr: {
    use: ['préavis', 'passation', 'clôture', 'prise de recul', 'facture', 'points en suspens', 'échange', 'objection', 'recommandation'],
    never: [/délai de prévenance/, /vaille le temps/, /\bFrançais\b/],
  },
  tr: {
    use: ['ihbar süresi', 'devir', 'kapanış', 'düşünme süresi', 'fatura', 'görüşme', 'itiraz', 'ödeme kontrolü'],
    never: [/bildirim süres/i, /\bçünkü\b/i],
  },
  vi: {
    use: ['thời hạn báo trước', 'bàn giao', 'khép lại', 'thời gian suy nghĩ', 'hóa đơn', 'buổi nói chuyện', 'kiểm tra thanh toán'],
    never: [/\bTiếng (Việt|Anh|Đức|Pháp)/u],
  },
};

describe.each(Object.entries(GLOSSARY) as Array<[Exclude<Locale, 'en'>, (typeof GLOSSARY)['de']]>)('%s glossary', (locale, { use, never }) => {
  const all = lines(locale).map(([, s]) => s).join('\n');
  it.each(use)('uses "%s"', (term) => expect(all).toContain(term));
  it('never uses a variant the style guide rules out', () => {
    for (const [key, s] of lines(locale)) for (const bad of never) expect(s, `${locale} ${key}`).not.toMatch(bad);
  });
});

describe('letters to the client', () => {
  it('Turkish letters never use the casual "çünkü"; Vietnamese letters address the company', () => {
    for (const [key, s] of lines('tr')) if (key.startsWith('letter.')) expect(s, key).not.toMatch(/çünkü/i);
    for (const [key, s] of lines('vi')) if (key.startsWith('letter.') || key === 'pushback.reply') expect(s, key).not.toContain('Quý khách');
  });
});

describe('no English left in another catalog', () => {
  // Words that are the same in English and in that language, and the English command words.
  const SAME_WORD: Record<string, string[]> = { de: ['Details'], fr: ['Date', 'client'], tr: [], vi: [] };
  const ENGLISH = /(?<!\p{L})(the|and|your|you|please|with|this|that|later|skip)(?!\p{L})/iu;
  const strip = (s: string): string => withoutCode(s).replace(/\{[\w|]+\}/g, '').replace(/["“„«]\s?(help|start|status|paid|list|letter|pushback|cancel|settings|forget)\b[^"”“»]*["”“»]/g, '');

  it.each(['de', 'fr', 'tr', 'vi'] as const)('%s has no line copied from English and no English word', (locale) => {
    for (const [key, s] of lines(locale)) {
      const en = CATALOGS.en[key as MessageKey];
      const letters = strip(s).replace(/[^\p{L}]/gu, '');
      if (letters && typeof en === 'string' && en === s) expect(SAME_WORD[locale], `${locale} ${key}: "${s}"`).toContain(s);
      expect(strip(s), `${locale} ${key}`).not.toMatch(ENGLISH);
    }
  });
});

describe('examples that stay true', () => {
  it('the task list\'s help gives no fixed calendar date (one would soon be in the past)', () => {
    for (const locale of ['en', 'de', 'fr', 'tr', 'vi'] as Locale[]) {
      for (const [key, s] of lines(locale)) if (key === 'tasks.help') expect(s, locale).not.toMatch(/\d{1,4}[./-]\d{1,2}[./-]\d{2,4}/);
    }
  });
});

describe('the advice keeps its own word', () => {
  // The talk's advice says not to call it a break-up; the bot's own talking points and notes
  // must not call it one either (the Vietnamese points once said "chia tay").
  const FORBIDDEN: Record<Locale, RegExp> = { en: /break-?up/i, de: /Schluss machen|Trennung/i, fr: /rupture|se séparer/i, tr: /ayrılık/i, vi: /chia tay/i };
  it('no line but the advice itself uses the word it warns against', () => {
    for (const locale of Object.keys(FORBIDDEN) as Locale[]) {
      for (const [key, s] of lines(locale)) if (key !== 'conv.reason') expect(s, `${locale} ${key}`).not.toMatch(FORBIDDEN[locale]);
    }
  });
});
