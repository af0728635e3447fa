/**
 * The reconciler keeps its per-user and per-reminder bookkeeping in OffHeapIndex (outside V8's
 * heap, so the worker's memory does not grow with the store): it must answer exactly as a Map
 * would, through growth, deletes, keys that differ in one byte, and keys that are not ASCII.
 * (The pass's reading of odd job entries is tested in reconciler-pages.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { OffHeapIndex } from '../jobs/off-heap-index.js';

/** A small seeded PRNG, so a failure replays. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

describe('OffHeapIndex', () => {
  it('agrees with a Map through 20,000 random sets, deletes and reads', () => {
    const rand = prng(17);
    const keyOf = (n: number): string => {
      const i = Math.floor(rand() * n);
      // Job ids, user keys with braces and colons, one differing only in a multi-byte character.
      return [`r-AbCdEfGh-c${i}-cooling-case`, `pfx:{slack:T1:U${i}}:user`, `é${i}☃`, `😀${i}`][i % 4]!;
    };
    const index = new OffHeapIndex();
    const map = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = keyOf(6_000);
      const op = rand();
      if (op < 0.55) {
        const value = rand() < 0.1 ? NaN : Math.floor(rand() * 2 ** 45);
        index.set(key, value);
        map.set(key, value);
      } else if (op < 0.8) {
        expect(index.delete(key)).toBe(map.delete(key));
      } else {
        expect(index.get(key)).toEqual(map.get(key));
        expect(index.has(key)).toBe(map.has(key));
      }
      expect(index.size).toBe(map.size);
    }
    for (const [key, value] of map) expect(index.get(key)).toEqual(value);
    expect([...index.keys()].sort()).toEqual([...map.keys()].sort());
  });

  it('tells apart keys that share a prefix, and the empty key', () => {
    const index = new OffHeapIndex();
    index.set('r-x-c1-a', 1);
    index.set('r-x-c1-ab', 2);
    index.set('', 3);
    expect(index.get('r-x-c1-a')).toBe(1);
    expect(index.get('r-x-c1-ab')).toBe(2);
    expect(index.get('r-x-c1-')).toBeUndefined();
    expect(index.get('')).toBe(3);
    expect(index.delete('r-x-c1-a')).toBe(true);
    expect(index.get('r-x-c1-ab')).toBe(2);
    index.set('r-x-c1-a', 4);
    expect(index.get('r-x-c1-a')).toBe(4);
    expect(index.size).toBe(3);
  });
});
