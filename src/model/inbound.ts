import type { ReminderKind } from './case.js';

export const COMMANDS = [
  'start',
  'list',
  'status',
  'paid',
  'letter',
  'pushback',
  'cancel',
  'export',
  'settings',
  'forget',
  'help',
] as const;
export type CommandName = (typeof COMMANDS)[number];
/** Commands about one case, named by its client ("status Acme"). */
export const CASE_COMMANDS: readonly CommandName[] = ['status', 'letter', 'pushback', 'cancel', 'paid', 'export'];

/**
 * Something a user (or the reminder worker) did, with no platform JSON left in it.
 * `caseId` and `question` come back from the buttons the engine rendered, so a stale or
 * foreign click can be recognised.
 */
export type Inbound =
  /**
   * `raw`: the whole line, when it was typed rather than sent as a slash command. `local`: typed
   * with a command word of the user's language and words after it, without a slash ("durum
   * Yıldız"): the engine decides whether it is meant as the command or as an answer.
   */
  | { kind: 'command'; command: CommandName; arg: string; raw?: string; local?: true }
  /** A command word we do not know, typed by the user. */
  | { kind: 'unknownCommand'; word: string }
  | { kind: 'text'; text: string; caseId?: string; question?: string }
  | { kind: 'choice'; caseId?: string; question: string; value: string }
  | { kind: 'multi'; caseId?: string; question: string; values: string[] }
  | { kind: 'date'; caseId?: string; question: string; value: string }
  | { kind: 'submit'; caseId?: string; form: string; fields: Record<string, string> }
  | { kind: 'reminder'; caseId: string; reminderId: string; reminderKind: ReminderKind; subject: string; at: string; late: boolean };

export type InboundKind = Inbound['kind'];
