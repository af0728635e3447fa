// A list typed on one line ("Website; admin panel") comes back item by item in the task list,
// status and the letter to the client: each item starts as a line does, in the language's casing.
import { describe, expect, it } from 'vitest';
import { cleanList } from '../src/engine/sanitize.js';

describe('a typed list, item by item', () => {
  it('starts each plain lower-case item with a capital', () => {
    expect(cleanList('Website; admin panel;  - final report', 10, 100, 'en').items).toEqual(['Website', 'Admin panel', 'Final report']);
  });

  it('leaves what is written that way on purpose', () => {
    expect(cleanList('iPhone app; www.site.com update; 3 pages; eBay shop; x86 build', 10, 100, 'en').items).toEqual(['iPhone app', 'www.site.com update', '3 pages', 'eBay shop', 'x86 build']);
  });

  it('uses the language\'s own capitals: Turkish i and ı', () => {
    expect(cleanList('iade edilecek dosyalar; ılık bir veda', 10, 100, 'tr').items).toEqual(['İade edilecek dosyalar', 'Ilık bir veda']);
    expect(cleanList('iade; état des lieux', 10, 100, 'fr').items).toEqual(['Iade', 'État des lieux']);
  });

  it('without a language keeps every item as typed', () => {
    expect(cleanList('admin panel; report', 10, 100).items).toEqual(['admin panel', 'report']);
  });
});
