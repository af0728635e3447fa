import type { Case, PlannedReminder } from '../../src/model/case.js';
import type { Settings } from '../../src/model/settings.js';
import type { UserRef, UserState } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';
import { makeCase, makeUser } from './fixtures.js';

/** Working hours around the clock: a late reminder is never held back for the morning. */
export const ALWAYS_WORKING: Partial<Settings> = { timeZone: 'UTC', workdayStart: '00:00', workdayEnd: '23:59', workdays: [1, 2, 3, 4, 5, 6, 7] };

/** A one-hour working day about half a day away from `now`, so `now` is surely outside it. */
export function hoursAwayFrom(now: Date): Partial<Settings> {
  const start = Math.min((now.getUTCHours() + 12) % 24, 22);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { timeZone: 'UTC', workdayStart: hh(start), workdayEnd: hh(start + 1), workdays: [1, 2, 3, 4, 5, 6, 7] };
}

export interface Seeded {
  user: UserRef;
  caseId: string;
  reminder: PlannedReminder;
}

/**
 * A user in the cooling-off wait whose period ends at `at`: exactly the state the engine
 * leaves after "3 days", with its one planned reminder; written through the store's commit.
 */
export async function seedCoolingCase(store: Store, user: UserRef, caseId: string, at: Date, settings: Partial<Settings> = ALWAYS_WORKING, client = 'Acme Ltd'): Promise<Seeded> {
  const reminder: PlannedReminder = { id: 'coolingEnd-case', kind: 'coolingEnd', subject: 'case', at: at.toISOString() };
  const existing = await store.loadUser(user);
  const base: UserState = existing ?? makeUser(user);
  const state: UserState = {
    ...base,
    version: (existing?.version ?? 0) + 1,
    settings: { ...base.settings, ...settings },
    openCases: [...base.openCases, caseId],
  };
  const c: Case = makeCase(user, caseId, {
    client,
    stage: 'cooling',
    step: 'coolWait',
    reasons: ['pushesPrice'],
    coolingOffUntil: at.toISOString(),
    reminders: [reminder],
  });
  const ok = await store.commit({ user: state, expectedUserVersion: existing?.version ?? null, cases: [{ case: c, expectedVersion: null }] });
  if (!ok) throw new Error(`seeding ${caseId} lost a race`);
  return { user, caseId, reminder };
}
