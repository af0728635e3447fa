import type { Reply } from './reply.js';
import type { Locale } from './settings.js';
import type { UserRef } from './user.js';

export const STAGES = [
  'assess',
  'cooling',
  'contract',
  'conversation',
  'notice',
  'handover',
  'letter',
  'wrapup',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const SIGNS = [
  'ignoresTerms',
  'pushesPrice',
  'negative',
  'tooLittleWork',
  'outgrown',
  'allHours',
  'indecisive',
  'paysLate',
  'disrespectful',
  /** Expects far more than was agreed, and more again each time. */
  'demanding',
  /** The freelancer's side of "time": other work leaves no room for this client. */
  'noTime',
] as const;
export type Sign = (typeof SIGNS)[number];

/** `improved`: the freelancer raised the problems with the client, and that was enough. */
export type Outcome = 'done' | 'kept' | 'improved' | 'faded' | 'cancelled';

export interface Invoice {
  id: string;
  /** Minor-unit free decimal as typed, normalised: "1200.50". */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
  /** Calendar date "yyyy-MM-dd" in the user's zone. */
  dueDate: string;
  paid: boolean;
  /** The day it was marked paid ("yyyy-MM-dd", the user's zone); older records have none. */
  paidOn?: string;
  /** When the next payment check is due (after a "not yet"), else the due date's morning. */
  recheckDate?: string;
}

export interface Contract {
  hasContract?: boolean;
  /** Days of notice the contract's clause asks for; null = no such clause. */
  noticeDays?: number | null;
  paidWorkDelivered?: boolean;
  invoices: Invoice[];
  looseEnds: string[];
}

export const CHANNELS = ['inPerson', 'call', 'video'] as const;
export type Channel = (typeof CHANNELS)[number];

export const REASONS = ['notFit', 'needsChanged', 'own'] as const;
export type ReasonKind = (typeof REASONS)[number];

export interface Conversation {
  channel?: Channel;
  reason?: ReasonKind;
  /** The user's own words, when reason = 'own'. */
  reasonText?: string;
  /** Instant of the talk, UTC ISO. */
  at?: string;
  /**
   * Money first: with an invoice unpaid past the talk, the user chose to hold the talk until
   * paid, or to go ahead anyway (then it is not asked again).
   */
  moneyFirst?: 'hold' | 'goAhead';
  /** The talk's time as planned before it was held for the money (UTC ISO): said again when it can go ahead. */
  heldAt?: string;
  /** What the user said when asked how the talk went; unset until then. */
  checkIn?: 'fine' | 'pushback';
  /** Calendar date to ask again after "not yet". */
  checkInRecheck?: string;
  /** Other terms agreed in the talk (a last delivery, a handover call, a payment date), as typed. */
  agreed?: string[];
}

export const NOTICE_KINDS = ['twoWeeks', 'thirtyDays', 'natural', 'contract', 'custom'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  kind?: NoticeKind;
  days?: number;
  /** Last working day, calendar date "yyyy-MM-dd" in the user's zone. */
  lastDay?: string;
  /** The last day before the talk moved, so tasks due on it can follow the new one. */
  previousLastDay?: string;
  /** A last day chosen on a day off, waiting for "keep it" or "next working day". */
  pendingLastDay?: string;
  pendingKind?: NoticeKind;
  /** The user kept a notice shorter than two weeks or longer than three months after the note. */
  lengthKept?: boolean;
}

export const TASK_KINDS = [
  'deliverPaid',
  'finishProject',
  'returnFiles',
  'handCredentials',
  'revokeAccess',
  'refer',
  'interviewHelp',
  'interimTools',
  'briefReplacement',
  'finalInvoice',
  /** A loose end named in the contract check: something promised or still to settle. */
  'looseEnd',
  'custom',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface Task {
  id: string;
  kind: TaskKind;
  /** User-given title; for built-in kinds absent = the catalog's wording in the reader's language. */
  title?: string;
  /** The "refer" task: the person the user named, so the task says whom to recommend. */
  who?: string;
  /** Calendar date "yyyy-MM-dd". */
  due: string;
  done: boolean;
  /** Calendar date it was ticked, in the user's zone: a done task shows this, not its due date. */
  doneOn?: string;
  /** Calendar date a "snooze" moved the reminder to; the due date itself stays. */
  snoozedTo?: string;
}

export const REFERRAL_KINDS = ['colleague', 'agency', 'specialist'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export interface Referral {
  kind: ReferralKind;
  /** A colleague's name, or the specialist's field. */
  detail?: string;
}

export const WRAP_CHECKS = ['invoicePaid', 'accessRevoked', 'handedOver', 'thanksSent'] as const;
export type WrapCheck = (typeof WRAP_CHECKS)[number];

export const REMINDER_KINDS = [
  'coolingEnd',
  'paymentCheck',
  'conversationPrep',
  'noticeSoon',
  'noticeLast',
  'taskDue',
  'wrapUp',
  /** The working day after the talk: how did it go? */
  'talkCheckIn',
  /** Some days after the freelancer raised the problems with the client: did it change anything? */
  'raiseCheckIn',
  /** Three working days after the letter was sent: did the client confirm receipt? */
  'letterConfirm',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** A reminder the case wants delivered. The case is the source of truth; jobs mirror it. */
export interface PlannedReminder {
  /** Deterministic per (case, kind, subject): `${kind}-${subject}`. */
  id: string;
  kind: ReminderKind;
  /** What it is about: an invoice or task id, or "case". */
  subject: string;
  /** Instant, UTC ISO. */
  at: string;
}

/**
 * The last question shown for a case when it is not the current step's own (a reminder's
 * buttons, a pushback): typed answers go there first. `question: ''` = nothing was asked.
 */
export interface AskedQuestion {
  question: string;
  options?: { value: string; label: string }[];
  /**
   * When one turn showed several numbered lists (status: its actions, then the question), every
   * option in the order shown, numbered on from 1: a typed number or label finds its question.
   */
  numbered?: NumberedOption[];
  /** A side question's own message, kept so it can be shown again while another is answered. */
  shown?: ChoicesReply;
  /**
   * Questions of earlier reminders on this case, still unanswered when this one came: their
   * numbers stay valid (this one's continue after them) until one of them is answered.
   */
  waiting?: ChoicesReply[];
}

export type ChoicesReply = Extract<Reply, { kind: 'choices' }>;

export interface NumberedOption {
  question: string;
  value: string;
  label: string;
  /** Part of a question where several may be picked. */
  multi?: true;
}

/** A delivery that failed for good (user left, DMs closed); shown by `status`. */
export interface DeliveryProblem {
  at: string;
  reminderId: string;
  code: string;
}

/** The written notice and what became of it. */
/** A letter that went out with a last day that has changed since (a new one is needed). */
export interface EarlierLetter {
  sentAt: string;
  /** The last day it named (calendar date). */
  lastDay: string;
}

export interface Letter {
  language?: Locale;
  sentAt?: string;
  /** Letters sent before the last day moved, oldest first: the record of what the client got. */
  earlier?: EarlierLetter[];
  /**
   * The reason typed in the user's own words is in their language; for a letter in another
   * one they chose the general reason in the letter's language, or to keep their words.
   */
  reasonInLetter?: 'general' | 'own';
  /** Instant the user said the client confirmed receipt. */
  confirmedAt?: string;
  /** Calendar date to ask again after "not yet". */
  confirmRecheck?: string;
  /** The user said confirmation doesn't matter: no more asking. */
  confirmSkipped?: boolean;
}

export interface Case {
  schema: 1;
  id: string;
  owner: UserRef;
  /** As typed, trimmed and capped; adapters escape it for their markup. */
  client: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  stage: Stage;
  /** The question the case waits on (see flow/steps.ts). */
  step: string;
  reasons: Sign[];
  note?: string;
  /** What losing the client would mean for income, creative work, business: their words. */
  gut?: string;
  /**
   * The problems raised with the client before ending anything: `checkOn` is the calendar day
   * to ask whether it changed anything; `told` records the answer to "have you raised it?".
   */
  raise?: { told: boolean; checkOn?: string; days?: number };
  coolingOffUntil?: string;
  contract: Contract;
  conversation: Conversation;
  notice: Notice;
  tasks: Task[];
  referrals: Referral[];
  letter: Letter;
  wrapChecks: WrapCheck[];
  /** Calendar date of the next wrap-up nudge after "not yet". */
  wrapRecheck?: string;
  pushbacks: number;
  closedAt?: string;
  outcome?: Outcome;
  reminders: PlannedReminder[];
  problems: DeliveryProblem[];
  asked?: AskedQuestion;
  /**
   * Instant the freelancer last took this case's calendar file: from then on any change of its
   * dates makes their imported calendar wrong, so the bot offers the new file.
   */
  calendarAt?: string;
  /** The calendar taken was offered again after a change and not taken yet: small edits stay quiet. */
  calendarStale?: true;
  /** Counter for ids of tasks and invoices within this case. */
  seq: number;
}
