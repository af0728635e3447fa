import { describe, expect, it } from 'vitest';
import { elide } from '../src/i18n/grammar/french.js';

const cases: Array<[Parameters<typeof elide>[0], string, string]> = [
  ['de', 'Acme GmbH', 'd’Acme GmbH'],
  ['de', 'Bosch', 'de Bosch'],
  ['de', 'Hôtel Ritz', 'd’Hôtel Ritz'],
  ['de', 'Hollande', 'de Hollande'],
  ['le', 'hêtre', 'le hêtre'],
  ['le', 'Hôtel', 'l’Hôtel'],
  ['la', 'agence', 'l’agence'],
  ['la', 'maison', 'la maison'],
  ['que', 'Orange', 'qu’Orange'],
  ['que', 'Ubisoft', 'qu’Ubisoft'],
  ['je', 'ai', 'j’ai'],
  ['de', 'Émile SA', 'd’Émile SA'],
  ['de', 'Yves Rocher', 'd’Yves Rocher'],
  ['de', '3M', 'de 3M'],
  ['de', '11 Studio', 'd’11 Studio'],
  ['de', 'Ford', 'de Ford'],
  ['de', 'Hamburg AG', 'de Hamburg AG'],
  ['de', 'Airbus', 'd’Airbus'],
  ['ne', 'est', 'n’est'],
  ['se', 'il', 's’il'],
  ['de', 'Intel', 'd’Intel'],
  ['de', 'Uber', 'd’Uber'],
];

describe('French elision', () => {
  it.each(cases)('%s + %s → %s', (p, w, out) => expect(elide(p, w)).toBe(out));
});
