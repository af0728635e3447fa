import type { NumberedOption } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { pickByWords } from './match-answer.js';
import type { Ctx } from './types.js';

/** "Several at once: 1,3": an example that fits the list's size and where its numbers start. */
export function severalHint(x: Pick<Ctx, 'say'>, count: number, from = 1): string {
  const picks = count >= 5 ? [0, 2, 4] : count >= 3 ? [0, 2] : [0, 1];
  return x.say('accepts.several', { example: picks.map((i) => i + from).join(',') });
}

/**
 * One turn may show several lists for a case (status: the actions to change something, then
 * the question in focus; a checklist and a reminder's buttons). Each number must mean one
 * thing: the checklist keeps 1…n (its numbers are the task numbers of "done 2"), and every
 * other list continues from where the previous one ended. Returns every option in that
 * numbering, or null when the turn shows one list or none. Sets `numberFrom` on the replies.
 */
export function numberReplies(caseId: string, replies: Reply[], x: Pick<Ctx, 'say'>, shownBefore = 0): NumberedOption[] | null {
  const lists = replies.filter(
    (r): r is Extract<Reply, { kind: 'choices' | 'multi' | 'checklist' }> =>
      (r.kind === 'choices' || r.kind === 'multi' || r.kind === 'checklist') && r.ref.caseId === caseId,
  );
  // `shownBefore`: numbers an earlier message still on screen holds; this one continues after them.
  if (lists.length < 2 && shownBefore === 0) return null;
  const all: NumberedOption[] = [];
  const checklist = lists.find((r) => r.kind === 'checklist');
  if (checklist?.kind === 'checklist') {
    for (const item of checklist.items) all.push({ question: checklist.ref.question, value: `toggle:${item.id}`, label: item.label });
  }
  for (const r of lists) {
    if (r.kind === 'checklist') continue;
    const from = shownBefore + all.length + 1;
    if (from > 1) r.numberFrom = from;
    if (r.kind === 'multi') r.typedHint = severalHint(x, r.options.length, from);
    for (const o of r.options) all.push({ question: r.ref.question, value: o.value, label: o.label, ...(r.kind === 'multi' ? { multi: true as const } : {}) });
  }
  return all;
}

export type NumberedAnswer = { question: string; answer: { kind: 'choice'; value: string } | { kind: 'multi'; values: string[] } };

/** A typed number, list of numbers or label, read against the turn's one numbering. */
export function pickNumbered(raw: string, numbered: readonly NumberedOption[]): NumberedAnswer | null {
  const t = raw.trim();
  if (/^\d+$/.test(t)) {
    const hit = numbered[Number(t) - 1];
    return hit ? { question: hit.question, answer: hit.multi ? { kind: 'multi', values: [hit.value] } : { kind: 'choice', value: hit.value } } : null;
  }
  if (/^\d+(?:\s*[,;]\s*\d+|\s+\d+)+$/.test(t)) {
    const hits = t.split(/[\s,;]+/).map((n) => numbered[Number(n) - 1]);
    const first = hits[0];
    if (!first?.multi || hits.some((h) => h === undefined || h.question !== first.question)) return null;
    return { question: first.question, answer: { kind: 'multi', values: hits.map((h) => (h as NumberedOption).value) } };
  }
  const hit = pickByWords(numbered, t);
  return hit ? { question: hit.question, answer: hit.multi ? { kind: 'multi', values: [hit.value] } : { kind: 'choice', value: hit.value } } : null;
}
