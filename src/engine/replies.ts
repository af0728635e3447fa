import type { Case } from '../model/case.js';
import type { InputType, Option, Reply } from '../model/reply.js';
import { foldWord, isOneOf } from './sanitize.js';
import type { Ctx, Rejection } from './types.js';

/**
 * True when the engine turned an answer down because its question had moved on (a late or
 * double click): the adapters then leave the clicked message as it was.
 */
export function isStaleAnswer(replies: readonly Reply[], say: (key: 'common.stale' | 'common.staleDone') => string): boolean {
  const [first] = replies;
  return first?.kind === 'text' && (first.text === say('common.stale') || first.text === say('common.staleDone'));
}

export const text = (body: string, tone?: 'info' | 'warning' | 'success' | 'error'): Reply =>
  tone ? { kind: 'text', text: body, tone } : { kind: 'text', text: body };

export function choices(c: Case | null, question: string, body: string, options: Option[]): Reply {
  return { kind: 'choices', ref: c ? { caseId: c.id, question } : { question }, text: body, options };
}

export function input(
  c: Case | null,
  question: string,
  body: string,
  type: InputType,
  accepts: string,
  optional = false,
): Reply {
  const ref = c ? { caseId: c.id, question } : { question };
  return optional
    ? { kind: 'input', ref, text: body, input: type, accepts, optional }
    : { kind: 'input', ref, text: body, input: type, accepts };
}

/** Refuses an answer with these messages; the step's question is then asked again. */
export function reject(...bodies: string[]): Rejection {
  return { rejected: bodies.map((b) => text(b, 'error')) };
}

export function yesNo(x: Ctx): Option[] {
  return [
    { value: 'yes', label: x.say('common.yes') },
    { value: 'no', label: x.say('common.no') },
  ];
}

/** Words that mean "skip this optional question", in the user's language or English. */
export function isSkip(x: Ctx, raw: string): boolean {
  const word = foldWord(raw, x.locale);
  if (word === '' || word === '-' || word === 'skip' || word === 'none') return true;
  return isOneOf(word, x.say('common.skipWords'), x.locale);
}
