import type { QuestionRef } from '../../src/model/reply.js';

/**
 * Every interactive element the adapter renders has an action id starting with `ob.`, and
 * its block carries the question it answers. So a click needs no server-side lookup to
 * become an `Inbound`, and the click's user can be checked against the owner it was shown to.
 */
export const ACTION = Object.freeze({
  /** A button of a `choices` reply; value = option value. */
  choice: 'ob.choice',
  /** A static select of a `choices` reply with many options. */
  select: 'ob.select',
  /** The checkboxes / multi select of a `multi` reply: read when its submit button is clicked. */
  pick: 'ob.pick',
  /** The submit button of a `multi` reply. */
  multi: 'ob.multi',
  /** A checklist's checkboxes: `ob.check.<group>.<ids done when rendered>`. */
  check: 'ob.check',
  /** A datepicker answering a date question at once. */
  date: 'ob.date',
  /** Date and time pickers of a datetime question, read when `ob.when` is clicked. */
  dateOfWhen: 'ob.when.date',
  timeOfWhen: 'ob.when.time',
  when: 'ob.when',
  /** A text field in a message (Enter sends it). */
  text: 'ob.text',
  /** "Skip" on an optional question: sends the word the engine takes as skipping. */
  skip: 'ob.skip',
  /** Opens a form's modal; value = the stored form's key. */
  form: 'ob.form',
} as const);

export const FORM_CALLBACK = 'ob.form';

export interface BlockRef extends QuestionRef {
  /** The Slack user the block was rendered for. */
  owner: string;
}

const PREFIX = 'ob';
const enc = (s: string): string => encodeURIComponent(s);

/** `ob|<owner>|<caseId>|<question>|<n>`: `n` keeps block ids unique within one message. */
export function blockId(ref: QuestionRef, owner: string, n: number): string {
  return [PREFIX, enc(owner), enc(ref.caseId ?? ''), enc(ref.question), String(n)].join('|');
}

export function readBlockId(id: string | undefined): BlockRef | null {
  const parts = (id ?? '').split('|');
  if (parts.length !== 5 || parts[0] !== PREFIX) return null;
  try {
    const [owner, caseId, question] = parts.slice(1, 4).map((p) => decodeURIComponent(p)) as [string, string, string];
    if (!owner || !question) return null;
    return caseId ? { owner, caseId, question } : { owner, question };
  } catch {
    return null;
  }
}

/** The action id of a checklist group, carrying which of its items were ticked when shown. */
export function checkActionId(group: number, doneIds: readonly string[]): string {
  return `${ACTION.check}.${group}.${doneIds.map(enc).join(',')}`;
}

export function readCheckActionId(actionId: string): { doneIds: string[] } | null {
  const m = /^ob\.check\.\d+\.(.*)$/.exec(actionId);
  if (!m) return null;
  return { doneIds: (m[1] ?? '').split(',').filter(Boolean).map((p) => decodeURIComponent(p)) };
}
