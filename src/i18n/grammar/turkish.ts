// Turkish case suffixes after proper names and numbers: Acme'ye, Bosch'a, 3M'ye, Ford'un.
// Rule applied (TDK): an apostrophe separates the suffix from a proper name or a digit; the
// suffix follows the last *spoken* vowel (vowel harmony) and the last spoken sound (buffer
// y/n after a vowel; d→t after a voiceless consonant). Spoken form: an all-caps acronym of up
// to five letters is read letter by letter (M = "me"), a number by its last word (3 = "üç",
// 40 = "kırk"); any other name is read as spelled. Foreign names read otherwise (e.g.
// "Apple") are not guessed: the written form decides.

export type TurkishCase = 'dat' | 'acc' | 'gen' | 'loc' | 'abl';

const LETTER: Record<string, string> = {
  A: 'a', B: 'be', C: 'ce', Ç: 'çe', D: 'de', E: 'e', F: 'fe', G: 'ge', Ğ: 'yumuşak ge', H: 'he', I: 'ı', İ: 'i',
  J: 'je', K: 'ke', L: 'le', M: 'me', N: 'ne', O: 'o', Ö: 'ö', P: 'pe', Q: 'kü', R: 're', S: 'se', Ş: 'şe',
  T: 'te', U: 'u', Ü: 'ü', V: 've', W: 've', X: 'iks', Y: 'ye', Z: 'ze',
};
const ONES = ['', 'bir', 'iki', 'üç', 'dört', 'beş', 'altı', 'yedi', 'sekiz', 'dokuz'];
const TENS = ['', 'on', 'yirmi', 'otuz', 'kırk', 'elli', 'altmış', 'yetmiş', 'seksen', 'doksan'];

/** The last spoken word of a number: 3 → üç, 40 → kırk, 100 → yüz, 2000 → bin, 0 → sıfır. */
function numberTail(digits: string): string {
  const n = digits.replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(n)) return 'sıfır';
  const one = Number(n.slice(-1));
  if (one) return ONES[one] ?? '';
  const ten = Number(n.slice(-2, -1) || '0');
  if (ten) return TENS[ten] ?? '';
  if (/000000$/.test(n)) return 'milyon';
  if (/000$/.test(n)) return 'bin';
  return 'yüz';
}

// Company forms as they are read aloud: "A.Ş." is "a-şe" (A.Ş.'ye), "Ltd. Şti." ends in
// "şirketi" (Şti.'ye), "GmbH" ends in "ha" (GmbH'ya).
const COMPANY_FORMS: Record<string, string> = { 'a.ş.': 'şe', 'aş': 'şe', 'şti.': 'şirketi', 'şti': 'şirketi', 'ltd.': 'limitet', 'gmbh': 'ha' };

/** How the end of a name is spoken, enough to pick the suffix. */
export function spokenEnding(name: string): string {
  const word = name.trim().split(/\s+/).pop() ?? '';
  const form = COMPANY_FORMS[word.toLocaleLowerCase('tr')];
  if (form) return form;
  // A dotted acronym ("T.C.", "A.B.D.") is read letter by letter, like one without dots.
  if (/^(?:[A-ZÇĞİÖŞÜQWX]\.){1,5}$/u.test(word)) return LETTER[word.slice(-2, -1)] ?? word;
  // A clock time is read "dokuz" for 09:00 and "dokuz otuz" for 09:30: the minutes speak last unless zero.
  const clock = /^(\d{1,2})[:.](\d{2})$/.exec(word);
  if (clock) return numberTail(clock[2] === '00' ? (clock[1] ?? '0') : (clock[2] ?? '0'));
  const m = /^(.*?)(\d+)([A-ZÇĞİÖŞÜ]{0,5})$/u.exec(word);
  if (m && m[3]) return (LETTER[m[3].slice(-1)] ?? m[3]).toLocaleLowerCase('tr');
  if (m) return numberTail(m[2] ?? '');
  if (/^[A-ZÇĞİÖŞÜQWX]{2,5}$/u.test(word)) return LETTER[word.slice(-1)] ?? word;
  return word.toLocaleLowerCase('tr');
}

const VOWELS = 'aeıioöuüâîû';
const VOICELESS = 'fstkçşhp';

export function suffix(name: string, kase: TurkishCase): string {
  const spoken = spokenEnding(name);
  const vowels = [...spoken].filter((c) => VOWELS.includes(c));
  const v = vowels[vowels.length - 1] ?? 'e';
  const back = 'aıouâû'.includes(v);
  const round = 'oöuüû'.includes(v);
  const last = spoken.slice(-1);
  const endsVowel = VOWELS.includes(last);
  const hard = VOICELESS.includes(last);
  const two = back ? 'a' : 'e';
  const four = back ? (round ? 'u' : 'ı') : round ? 'ü' : 'i';
  const d = hard ? 't' : 'd';
  switch (kase) {
    case 'dat': return (endsVowel ? 'y' : '') + two;
    case 'acc': return (endsVowel ? 'y' : '') + four;
    case 'gen': return (endsVowel ? 'n' : '') + four + 'n';
    case 'loc': return d + two;
    case 'abl': return d + two + 'n';
  }
}

/** "Acme" + dat → "Acme'ye". */
export function withCase(name: string, kase: TurkishCase): string {
  return `${name}'${suffix(name, kase)}`;
}
