// French elision: "de" + "Acme" must read "d’Acme". Names come from users, so the
// rule has to be applied at render time, not written into the catalog.

/** Words whose h is aspirated: no elision ("de Hollande", "le hêtre"). Short on purpose. */
const H_ASPIRE = new Set(['hollande', 'hêtre', 'hetre', 'haut', 'hasard', 'honte', 'héros', 'heros', 'hongrie', 'hamburg', 'huit']);

/** True when a word starting with `text` takes elision: a vowel, or a mute h. */
export function startsWithElidingSound(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  const first = t.normalize('NFD').charAt(0).toLowerCase();
  if ('aeiouy'.includes(first)) return true;
  if (first === 'h') {
    const word = (t.split(/[\s'’-]/)[0] ?? '').toLowerCase();
    return !H_ASPIRE.has(word);
  }
  // Digits: "8" reads "huit" (aspirated), "1" reads "un" (vowel); keep it to those read with a vowel.
  if (/^(1|11)(\D|$)/.test(t)) return true;
  return false;
}

/** "de" + word → "d’Acme" or "de Bosch"; works for de, le, la, que, je, ne, se, me, te. */
export function elide(particle: 'de' | 'le' | 'la' | 'que' | 'je' | 'ne' | 'se' | 'me' | 'te', word: string): string {
  if (startsWithElidingSound(word)) return `${particle.slice(0, -1)}’${word}`;
  return `${particle} ${word}`;
}
