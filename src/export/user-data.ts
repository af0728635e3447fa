import type { Case } from '../model/case.js';
import type { UserState } from '../model/user.js';

/** Bumped on any change of the file's shape; docs/export-schema.md describes each version. */
export const EXPORT_SCHEMA_VERSION = 1;

export interface UserExport {
  format: 'offboard-user-export';
  version: typeof EXPORT_SCHEMA_VERSION;
  exportedAt: string;
  user: UserState['user'];
  settings: UserState['settings'];
  createdAt: string;
  /** Open cases first (oldest first), then closed ones (most recently closed first). */
  cases: Case[];
  /** Closed cases as the short list the bot keeps for "you ended with … before". */
  history: UserState['history'];
  /** Every planned reminder of every case, in time order, with its case. */
  reminders: { caseId: string; client: string; id: string; kind: string; subject: string; at: string }[];
  /** Every delivery that failed for good, with its case. */
  deliveryProblems: { caseId: string; client: string; at: string; reminderId: string; code: string }[];
}

/** Everything kept about a user, as one JSON document: the counterpart of `forget`. */
export function userExport(user: UserState, cases: readonly Case[], now: Date): UserExport {
  const open = user.openCases.map((id) => cases.find((c) => c.id === id)).filter((c): c is Case => c !== undefined);
  const closed = cases.filter((c) => !user.openCases.includes(c.id)).sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  const all = [...open, ...closed];
  return {
    format: 'offboard-user-export',
    version: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    user: user.user,
    settings: user.settings,
    createdAt: user.createdAt,
    cases: all,
    history: user.history,
    reminders: all
      .flatMap((c) => c.reminders.map((r) => ({ caseId: c.id, client: c.client, id: r.id, kind: r.kind, subject: r.subject, at: r.at })))
      .sort((a, b) => a.at.localeCompare(b.at)),
    deliveryProblems: all.flatMap((c) => c.problems.map((p) => ({ caseId: c.id, client: c.client, ...p }))),
  };
}
