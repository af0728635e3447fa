import type { Case } from '../../src/model/case.js';
import type { UserRef, UserState } from '../../src/model/user.js';
import { newCase, newUserState } from '../../src/engine/new-records.js';

const T0 = new Date('2025-01-06T09:00:00.000Z');

export function userRef(id: string, platform: UserRef['platform'] = 'slack', tenant = 'T1'): UserRef {
  return { platform, tenant, id };
}

/** A stored-looking user record (version 1), built by the same code the engine uses. */
export function makeUser(ref: UserRef, overrides: Partial<UserState> = {}): UserState {
  return { ...newUserState(ref, {}, T0), version: 1, ...overrides };
}

export function makeCase(owner: UserRef, id: string, overrides: Partial<Case> = {}): Case {
  return { ...newCase(id, owner, 'Acme Ltd', T0), version: 1, ...overrides };
}
