// Node's ICU reports some zones by old spellings (Asia/Saigon, Europe/Kiev): the user reads and
// types the current ones.
import { describe, expect, it } from 'vitest';
import { resolveZone } from '../src/engine/settings-flow.js';
import { currentZoneName } from '../src/time/zone-names.js';
import { newUserState } from '../src/engine/new-records.js';

describe('zone names as people write them today', () => {
  it('a typed city or zone comes back by its current name', () => {
    expect(resolveZone('kiev')).toBe('Europe/Kyiv');
    expect(resolveZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(resolveZone('saigon')).toBe('Asia/Ho_Chi_Minh');
    expect(resolveZone('Ho Chi Minh')).toBe('Asia/Ho_Chi_Minh');
    expect(resolveZone('calcutta')).toBe('Asia/Kolkata');
    expect(resolveZone('Berlin')).toBe('Europe/Berlin');
  });

  it('a zone a platform reports by an old name is kept by its current one', () => {
    expect(newUserState({ platform: 'slack', tenant: 'T1', id: 'U1' }, { timeZone: 'Europe/Kiev' }, new Date()).settings.timeZone).toBe('Europe/Kyiv');
  });

  it('the current names work for dates wherever the old ones did', () => {
    for (const old of ['Asia/Saigon', 'Europe/Kiev', 'Asia/Calcutta', 'Asia/Katmandu', 'Asia/Rangoon', 'America/Godthab']) {
      const current = currentZoneName(old);
      expect(current).not.toBe(old);
      const at = new Date('2026-12-06T12:00:00Z');
      const show = (zone: string) => new Intl.DateTimeFormat('en', { timeZone: zone, dateStyle: 'full', timeStyle: 'long' }).format(at);
      expect(show(current)).toBe(show(old));
    }
  });
});
