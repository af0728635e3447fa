import { describe, expect, it } from 'vitest';
import { withCase, type TurkishCase } from '../src/i18n/grammar/turkish.js';

const cases: Array<[string, TurkishCase, string]> = [
  ['Acme', 'dat', "Acme'ye"], ['Bosch', 'dat', "Bosch'a"], ['3M', 'dat', "3M'ye"], ['Ali', 'gen', "Ali'nin"],
  ['Ford', 'gen', "Ford'un"], ['Ford', 'loc', "Ford'da"], ['Bosch', 'loc', "Bosch'ta"], ['Bosch', 'abl', "Bosch'tan"],
  ['Acme', 'acc', "Acme'yi"], ['Acme', 'gen', "Acme'nin"], ['Acme', 'loc', "Acme'de"], ['Acme', 'abl', "Acme'den"],
  ['Koç Holding', 'dat', "Koç Holding'e"], ['Koç', 'loc', "Koç'ta"], ['Oslo', 'gen', "Oslo'nun"], ['Oslo', 'acc', "Oslo'yu"],
  ['Türkü', 'dat', "Türkü'ye"], ['Türk Telekom', 'abl', "Türk Telekom'dan"], ['Ülker', 'gen', "Ülker'in"], ['Ayşe', 'acc', "Ayşe'yi"],
  ['IBM', 'dat', "IBM'ye"], ['BMW', 'gen', "BMW'nin"], ['THY', 'loc', "THY'de"], ['NASA', 'dat', "NASA'ya"],
  ['2024', 'loc', "2024'te"], ['40', 'dat', "40'a"], ['100', 'gen', "100'ün"], ['6', 'abl', "6'dan"],
  ['5', 'loc', "5'te"], ['Studio 9', 'gen', "Studio 9'un"], ['Kuzu', 'acc', "Kuzu'yu"], ['Ahmet', 'dat', "Ahmet'e"],
  // Company forms are read as said aloud (A.Ş. "a-şe"; Şti. "şirketi"; GmbH "ha"), dotted acronyms letter by letter.
  ['Yıldız Yazılım A.Ş.', 'dat', "Yıldız Yazılım A.Ş.'ye"], ['Yıldız Yazılım A.Ş.', 'gen', "Yıldız Yazılım A.Ş.'nin"],
  ['Demir Ltd. Şti.', 'dat', "Demir Ltd. Şti.'ye"], ['Müller GmbH', 'loc', "Müller GmbH'da"], ['T.C.', 'gen', "T.C.'nin"], ['Kaya AŞ', 'acc', "Kaya AŞ'yi"],
];

describe('Turkish case suffixes', () => {
  it.each(cases)('%s + %s → %s', (name, k, out) => expect(withCase(name, k)).toBe(out));
});
