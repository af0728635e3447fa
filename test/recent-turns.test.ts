import { describe, expect, it } from 'vitest';
import { RecentTurns, type RecentTurn } from '../src/engine/recent-turns.js';
import type { UserState } from '../src/model/user.js';

function turn(n: number): RecentTurn {
  return { user: { version: n } as unknown as UserState, cases: new Map() };
}

describe('RecentTurns (what a user’s last turn left, for their next one)', () => {
  it('keeps at most its cap, dropping the user whose last turn is oldest', () => {
    let now = 0;
    const recent = new RecentTurns(3, 60_000, () => now);
    for (const k of ['a', 'b', 'c']) {
      recent.set(k, turn(1));
      now += 1;
    }
    recent.set('a', turn(2)); // a spoke again: b is now the oldest
    recent.set('d', turn(1));
    expect(recent.size).toBe(3);
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')?.user.version).toBe(2);
    expect(recent.get('c')).toBeDefined();
    expect(recent.get('d')).toBeDefined();
  });

  it('forgets a user idle longer than the limit, and sweeps idle users when another arrives', () => {
    let now = 0;
    const recent = new RecentTurns(100, 1_000, () => now);
    recent.set('a', turn(1));
    recent.set('b', turn(1));
    now = 1_000;
    expect(recent.get('a')).toBeDefined();
    now = 1_001;
    expect(recent.get('a')).toBeUndefined();
    recent.set('c', turn(1));
    expect(recent.size).toBe(1); // b went with the sweep, not only when asked for
  });

  it('delete drops one user', () => {
    const recent = new RecentTurns(10, 1_000, () => 0);
    recent.set('a', turn(1));
    recent.delete('a');
    expect(recent.get('a')).toBeUndefined();
  });

  it('a kept record cannot be changed in place under the test suite (frozen)', () => {
    const recent = new RecentTurns(10, 1_000, () => 0);
    const kept = { user: { version: 1, focus: { kind: 'none' } } as unknown as UserState, cases: new Map() };
    recent.set('a', kept);
    expect(() => {
      (kept.user as unknown as { focus: { kind: string } }).focus.kind = 'case';
    }).toThrow(TypeError);
  });
});
