import type { Case } from '../../src/model/case.js';
import { defaultSettings } from '../../src/model/settings.js';
import type { UserRef, UserState } from '../../src/model/user.js';

const T0 = '2025-01-06T09:00:00.000Z';

export function userRef(id: string, platform: UserRef['platform'] = 'slack', tenant = 'T1'): UserRef {
  return { platform, tenant, id };
}

export function makeUser(ref: UserRef, overrides: Partial<UserState> = {}): UserState {
  return {
    schema: 1,
    user: ref,
    version: 1,
    settings: defaultSettings(),
    focus: { kind: 'none' },
    openCases: [],
    history: [],
    createdAt: T0,
    ...overrides,
  };
}

export function makeCase(owner: UserRef, id: string, overrides: Partial<Case> = {}): Case {
  return {
    schema: 1,
    id,
    owner,
    client: 'Acme Ltd',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    stage: 'assess',
    step: 'signs',
    reasons: [],
    contract: { invoices: [], looseEnds: [] },
    conversation: {},
    notice: {},
    tasks: [],
    referrals: [],
    letter: {},
    wrapChecks: [],
    pushbacks: 0,
    reminders: [],
    problems: [],
    seq: 0,
    ...overrides,
  };
}
