import type { Outcome } from './case.js';
import type { Settings } from './settings.js';

export type Platform = 'console' | 'slack' | 'discord';

/** A person, keyed per platform: the same human on Slack and Discord is two users. */
export interface UserRef {
  platform: Platform;
  /** Workspace / team id on Slack; empty elsewhere. */
  tenant: string;
  id: string;
}

export function userKey(user: UserRef): string {
  return `${user.platform}.${user.tenant || '-'}.${user.id}`;
}

export type SettingsField = 'menu' | 'language' | 'timeZone' | 'workdayStart' | 'workdays';

/** What the bot is waiting for from this user outside any one case. */
export type UserFocus =
  | { kind: 'none' }
  /** `returnTo`: a case whose question was left open to answer this one; it comes back after. */
  | { kind: 'case'; caseId: string; returnTo?: string }
  | { kind: 'settings'; field: SettingsField; resumeCaseId?: string }
  | { kind: 'newCase' }
  | { kind: 'forget' }
  | { kind: 'cancel'; caseId: string };

/** One closed case, kept short so the "pattern" check needs no case loads. */
export interface ClosedEntry {
  caseId: string;
  client: string;
  outcome: Outcome;
  closedAt: string;
}

export interface UserState {
  schema: 1;
  user: UserRef;
  version: number;
  settings: Settings;
  focus: UserFocus;
  /** Open case ids, oldest first. */
  openCases: string[];
  history: ClosedEntry[];
  /**
   * The zone and language came from the computer (the console): said once, at the first turn,
   * so a wrong guess is noticed before any reminder is planned with it.
   */
  guessedNote?: true;
  createdAt: string;
}
