import type { PlannedReminder } from './case.js';

/** What the shell must do after a decision; the core never does I/O itself. */
export type Effect =
  | { kind: 'schedule'; caseId: string; reminder: PlannedReminder }
  | { kind: 'cancel'; caseId: string; reminderId: string }
  /** Remove every reminder and every key of the user (forget). */
  | { kind: 'forgetUser' };
