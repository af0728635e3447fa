import type { AskedQuestion, ChoicesReply, NumberedOption } from '../model/case.js';
import type { Inbound } from '../model/inbound.js';
import type { Reply } from '../model/reply.js';
import { textToAnswer } from './match-answer.js';
import { pickNumbered } from './numbering.js';

/**
 * Two reminders about one case can arrive at the same moment (the talk's check-in and the
 * letter's receipt, the morning after the talk). Each asks its own question; typed numbers
 * must keep meaning what was on screen, and answering one must not lose the other.
 */

/** Every side question with choices that the user has on screen and has not answered. */
export function openGroup(asked: AskedQuestion | undefined): ChoicesReply[] {
  if (!asked) return [];
  return [...(asked.waiting ?? []), ...(asked.shown ? [asked.shown] : [])];
}

/**
 * The earlier questions a reminder's message comes after: those of the group not asked anew.
 * None when the new message holds a checklist, whose numbers are the task numbers.
 */
export function carriedQuestions(before: AskedQuestion | undefined, caseId: string, replies: readonly Reply[]): ChoicesReply[] {
  const mine = replies.filter((r) => 'ref' in r && r.ref.caseId === caseId);
  if (mine.some((r) => r.kind === 'checklist')) return [];
  const askedNow = new Set(mine.map((r) => ('ref' in r ? r.ref.question : '')));
  return openGroup(before).filter((r) => !askedNow.has(r.ref.question));
}

/** How many numbers the carried questions took on screen: the new lists continue after them. */
export function carriedCount(carried: readonly ChoicesReply[]): number {
  return carried.reduce((n, r) => Math.max(n, (r.numberFrom ?? 1) + r.options.length - 1), 0);
}

/** The carried questions' options, by the numbers they were shown with. */
export function carriedNumbering(carried: readonly ChoicesReply[]): NumberedOption[] {
  const all: NumberedOption[] = [];
  for (const r of carried) for (const o of r.options) all.push({ question: r.ref.question, value: o.value, label: o.label });
  return all;
}

/** Which of the open questions this turn answered, if any. */
export function answeredQuestion(inbound: Inbound, before: AskedQuestion | undefined): string | null {
  if (!before) return null;
  if ((inbound.kind === 'choice' || inbound.kind === 'multi') && inbound.question) return inbound.question;
  if (inbound.kind !== 'text' || inbound.question) return null;
  if (before.numbered) return pickNumbered(inbound.text, before.numbered)?.question ?? null;
  const shown = before.shown;
  if (shown && textToAnswer(inbound.text, [shown]).kind === 'choice') return shown.ref.question;
  return null;
}

/** The open questions left after `answered`, to show again (numbered afresh in this turn). */
export function stillOpen(before: AskedQuestion | undefined, answered: string | null): ChoicesReply[] {
  const group = openGroup(before);
  if (!answered || group.length < 2 || !group.some((r) => r.ref.question === answered)) return [];
  return group.filter((r) => r.ref.question !== answered).map(({ numberFrom: _shownAs, ...r }) => r);
}
