import type { Case, Outcome, Stage } from '../model/case.js';

/** Every question a case can wait on, and the stage it belongs to. */
export const STEP_STAGE = {
  signs: 'assess',
  note: 'assess',
  gut: 'assess',
  raised: 'assess',
  raisePlan: 'assess',
  raiseWait: 'assess',
  raiseCheck: 'assess',
  noSign: 'assess',
  fade: 'assess',
  coolLen: 'cooling',
  coolCustom: 'cooling',
  coolSkip: 'cooling',
  coolWait: 'cooling',
  coolCheck: 'cooling',
  hasContract: 'contract',
  clause: 'contract',
  clauseDays: 'contract',
  noContract: 'contract',
  delivered: 'contract',
  invoices: 'contract',
  invoice: 'contract',
  looseEnds: 'contract',
  channel: 'conversation',
  reason: 'conversation',
  reasonText: 'conversation',
  talkAt: 'conversation',
  talkDayOff: 'conversation',
  moneyFirst: 'conversation',
  talkHold: 'conversation',
  noticeKind: 'notice',
  noticeDate: 'notice',
  noticeDays: 'notice',
  lastDayOff: 'notice',
  noticeLength: 'notice',
  projects: 'handover',
  referral: 'handover',
  referralDetail: 'handover',
  tasks: 'handover',
  taskForm: 'handover',
  letterLang: 'letter',
  letterReason: 'letter',
  letterSent: 'letter',
  letterEarly: 'letter',
  wrapWait: 'wrapup',
  wrap: 'wrapup',
  wrapOpen: 'wrapup',
  wrapPaid: 'wrapup',
  wrapMoney: 'wrapup',
  closed: 'closed',
} as const satisfies Record<string, Stage>;

export type StepId = keyof typeof STEP_STAGE;

export function isStepId(value: string): value is StepId {
  return Object.prototype.hasOwnProperty.call(STEP_STAGE, value);
}

export function goto(c: Case, step: StepId): void {
  c.step = step;
  c.stage = STEP_STAGE[step];
}

export function close(c: Case, outcome: Outcome, now: Date): void {
  goto(c, 'closed');
  c.outcome = outcome;
  c.closedAt = now.toISOString();
}

/** Next id for a task or invoice, unique within the case and short enough for a button id. */
export function nextSeq(c: Case, prefix: string): string {
  c.seq += 1;
  return `${prefix}${c.seq}`;
}
