// Placeholder modifiers: `{client|de}` in French, `{client|dat}` in Turkish. The catalog names the
// grammatical slot; the value (a client's name, a date) decides the form at render time.
import type { Locale } from '../../model/settings.js';
import { elide } from './french.js';
import { midSentence } from './mid-sentence.js';
import { spelledAtStart } from './number-words.js';
import { withCase } from './turkish.js';

/** "Montag, 11. Januar 2027" + "dem" → "Montag, dem 11. Januar 2027"; anything else (morgen um 9:00 Uhr) stays. */
function germanDateArticle(value: string, article: 'der' | 'den' | 'dem'): string {
  return value.replace(/^(\p{L}+), (?=\d{1,2}\. )/u, `$1, ${article} `);
}

export type Modifier = (value: string) => string;

export const MODIFIERS: Readonly<Record<Locale, Readonly<Record<string, Modifier>>>> = {
  en: {
    // "because {reason|clause}": the user's sentence continues the template's.
    clause: (v) => midSentence('en', v),
    // "{count|Start} tasks done": a count that opens a sentence, written out.
    Start: (v) => spelledAtStart('en', v),
  },
  de: {
    // "ist Montag, der 11. Januar", "bis Montag, den 11. Januar", "am Montag, dem 11. Januar".
    nom: (v) => germanDateArticle(v, 'der'),
    acc: (v) => germanDateArticle(v, 'den'),
    dat: (v) => germanDateArticle(v, 'dem'),
  },
  fr: {
    // "de Acme" → "d’Acme"; "que Hélène" → "qu’Hélène"; "le Atelier" → "l’Atelier".
    de: (v) => elide('de', v),
    que: (v) => elide('que', v),
    le: (v) => elide('le', v),
    la: (v) => elide('la', v),
    clause: (v) => midSentence('fr', v),
    Start: (v) => spelledAtStart('fr', v),
  },
  tr: {
    dat: (v) => withCase(v, 'dat'),
    acc: (v) => withCase(v, 'acc'),
    gen: (v) => withCase(v, 'gen'),
    loc: (v) => withCase(v, 'loc'),
    abl: (v) => withCase(v, 'abl'),
  },
  vi: {
    clause: (v) => midSentence('vi', v),
  },
};

/** Applies `modifier` for `locale`; an unknown one leaves the value as is (the catalog test rejects it). */
export function applyModifier(locale: Locale, modifier: string, value: string): string {
  const fn = MODIFIERS[locale][modifier];
  return fn ? fn(value) : value;
}
