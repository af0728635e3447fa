import { createHash } from 'node:crypto';
import type { ReminderKind } from '../src/model/case.js';
import { userKey, type UserRef } from '../src/model/user.js';

export const REMINDER_QUEUE = 'reminders';
export const REMINDER_JOB = 'reminder';
export const RECONCILE_JOB = 'reconcile';

/** What a reminder job carries: enough to find its case; the case says whether it still stands. */
export interface ReminderJobData {
  user: UserRef;
  caseId: string;
  reminderId: string;
  kind: ReminderKind;
  subject: string;
  /** The planned instant (ISO, UTC) this job was scheduled for. */
  at: string;
}

/**
 * After `forget` found a job of the user running (it could not be removed): clears what that
 * run and BullMQ's completion of it leave behind once it has ended. Its job id is random, so
 * nothing left after it names the user.
 */
export const FORGET_SWEEP_JOB = 'forget-sweep';

export interface ForgetSweepData {
  forgotten: UserRef;
}

export type QueueJobData = ReminderJobData | ForgetSweepData | Record<string, never>;

/**
 * One job per (case, kind, subject), so scheduling again replaces instead of adding. The
 * owner's hash keeps two users' cases apart even if their random ids ever met. BullMQ refuses
 * ids with a colon or made of digits only; ours start with a letter and use neither.
 */
export function reminderJobId(user: UserRef, caseId: string, reminderId: string): string {
  const id = `r-${reminderJobOwner(user)}-${caseId}-${reminderId}`;
  if (id.includes(':')) throw new Error(`reminder job id may not contain ':' (${id})`);
  return id;
}

/** The owner part of a reminder's job id: every job of one user starts with `r-<this>-`. */
export function reminderJobOwner(user: UserRef): string {
  return createHash('sha256').update(userKey(user)).digest('base64url').slice(0, 8).replace(/[^A-Za-z0-9]/g, 'x');
}

/** One planned sending of one reminder: a moved date is another occurrence. */
export function occurrenceId(caseId: string, reminderId: string, at: string): string {
  return `${caseId}.${reminderId}.${Date.parse(at)}`;
}

/**
 * BullMQ's key prefix. The braces make it a Redis Cluster hash tag, so every key of the
 * queue lands in one slot, as BullMQ's multi-key scripts require.
 */
export function queuePrefix(keyPrefix: string): string {
  return `{${keyPrefix}-jobs}`;
}

export function isReminderJob(data: QueueJobData): data is ReminderJobData {
  return typeof (data as Partial<ReminderJobData>).caseId === 'string';
}

export function isForgetSweep(data: QueueJobData): data is ForgetSweepData {
  const user = (data as Partial<ForgetSweepData>).forgotten;
  return typeof user === 'object' && user !== null && typeof user.id === 'string';
}
