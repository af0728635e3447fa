import type { Case } from '../model/case.js';
import { defaultSettings, type Locale } from '../model/settings.js';
import type { UserRef, UserState } from '../model/user.js';
import { currentZoneName } from '../time/zone-names.js';

/** What a platform can tell about a person on first contact. */
export interface ProfileHints {
  locale?: Locale;
  /** IANA zone the platform knows (Slack does; Discord does not). */
  timeZone?: string;
  /** The zone is only the host's (the console): used, but confirmed with the user on first contact. */
  timeZoneGuessed?: boolean;
}

export function newUserState(user: UserRef, hints: ProfileHints, now: Date): UserState {
  const settings = defaultSettings({
    ...(hints.locale ? { locale: hints.locale } : {}),
    // Slack's profile zone or the host's, by its current name (Europe/Kyiv, not Europe/Kiev).
    ...(hints.timeZone ? { timeZone: currentZoneName(hints.timeZone), timeZoneConfirmed: true } : {}),
  });
  const state: UserState = { schema: 1, user, version: 0, settings, focus: { kind: 'none' }, openCases: [], history: [], createdAt: now.toISOString() };
  return hints.timeZoneGuessed && hints.timeZone ? { ...state, guessedNote: true } : state;
}

export function newCase(id: string, owner: UserRef, client: string, now: Date): Case {
  const at = now.toISOString();
  return {
    schema: 1,
    id,
    owner,
    client,
    version: 0,
    createdAt: at,
    updatedAt: at,
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
  };
}
