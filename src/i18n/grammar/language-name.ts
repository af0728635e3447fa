// A language's name as the reader says it mid-sentence: "in German" in English, never "in Deutsch".
// Language pickers keep each language's own name (endonym); running text uses this.
import type { Locale } from '../../model/settings.js';

const cache = new Map<Locale, Intl.DisplayNames>();

export function languageName(language: Locale, reader: Locale): string {
  let names = cache.get(reader);
  if (!names) {
    names = new Intl.DisplayNames([reader], { type: 'language' });
    cache.set(reader, names);
  }
  const name = names.of(language) ?? language;
  // Vietnamese writes "tiếng Đức" lower-case mid-sentence; Intl gives "Tiếng Đức".
  return reader === 'vi' ? name.charAt(0).toLocaleLowerCase('vi') + name.slice(1) : name;
}
