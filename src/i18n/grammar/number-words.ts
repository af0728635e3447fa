// A sentence does not start with a digit in English or French prose: "Two signs together…",
// "Deux signes réunis…". Small counts are written out; from 13 on the digits stay.
const WORDS: Readonly<Record<'en' | 'fr', readonly string[]>> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'],
  fr: ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze'],
};

/** "2" → "Two" / "Deux" at the start of a sentence; anything else as given. */
export function spelledAtStart(locale: 'en' | 'fr', value: string): string {
  const word = /^\d+$/.test(value) ? WORDS[locale][Number(value)] : undefined;
  return word ? word.charAt(0).toLocaleUpperCase(locale) + word.slice(1) : value;
}
