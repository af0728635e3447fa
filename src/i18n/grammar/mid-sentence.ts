// The user's own reason goes into the letter after a conjunction ("because …", "car …", "vì …"),
// typed as a sentence of its own: "Tôi muốn…" must read "vì tôi muốn…". Only words that are
// never names are lowered, so "Acme's budget" or "I want" stay as typed.
const STARTERS: Readonly<Record<'en' | 'fr' | 'vi', ReadonlySet<string>>> = {
  en: new Set(['my', 'we', 'our', 'the', 'this', 'these', 'it', 'its', "it's", 'there', 'since', 'after', 'your', 'lately', 'recently', 'over', 'as']),
  fr: new Set(['je', "j'", 'nous', 'mon', 'ma', 'mes', 'notre', 'nos', 'le', 'la', 'les', "l'", 'il', 'elle', 'on', "c'est", 'ce', 'cette', 'ces', 'depuis', 'votre', 'vos', 'après', 'avec']),
  vi: new Set(['tôi', 'mình', 'chúng', 'hiện', 'gần', 'dạo', 'em', 'thời']),
};

/** "Tôi muốn…" → "tôi muốn…" where the language's starters say so; anything else as typed. */
export function midSentence(locale: 'en' | 'fr' | 'vi', text: string): string {
  // The first word, an apostrophe inside it kept: "It’s", "J’ai", "Tôi".
  const token = /^\p{Lu}\p{Ll}*(?:['’]\p{Ll}*)?/u.exec(text)?.[0];
  if (!token) return text;
  const word = token.toLocaleLowerCase(locale).replace('’', "'");
  // French elision: "J’ai" is checked as "j'" too.
  const elided = /^\p{L}+'/u.exec(word)?.[0];
  if (!STARTERS[locale].has(word) && !(elided && STARTERS[locale].has(elided))) return text;
  const first = Array.from(text)[0] ?? '';
  return first.toLocaleLowerCase(locale) + text.slice(first.length);
}
