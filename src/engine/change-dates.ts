import type { Case } from '../model/case.js';
import type { Option, Reply } from '../model/reply.js';
import { acceptsDates, dayOf, momentOf, readDate } from '../flow/dates.js';
import { goto, isStepId } from '../flow/nav.js';
import { applyLastDay, lastDayAfter, talkDate } from '../flow/notice.js';
import { STEPS } from '../flow/steps.js';
import { markPaid, markPaidOptions } from '../flow/invoices.js';
import { finishCase } from '../flow/wrapup.js';
import { compareDates } from '../time/calendar.js';
import { datedItems } from '../export/dated-items.js';
import { exportCase } from '../export/export-case.js';
import { choices, input, text } from './replies.js';
import { foldWord } from './sanitize.js';
import type { Ctx } from './types.js';

export const CHANGE_QUESTION = 'change';
/** The option of the case's action list that exports it (a button on `status`). */
export const EXPORT_OPTION = 'export';

/** Still deciding whether to leave: a closeout packet would be premature (`export` still works). */
const DECIDING = new Set<Case['stage']>(['assess', 'cooling']);

/** A case worth a button to take away: the decision is made, or a closed one that got that far. */
function worthExporting(c: Case): boolean {
  return c.stage === 'closed' ? datedItems(c).some((i) => i.kind !== 'coolingEnd') : !DECIDING.has(c.stage);
}

/** The dates a client can make a freelancer move: the talk, and with it the last day. */
export function changeOptions(c: Case, x: Ctx): Option[] {
  const exporting: Option[] = worthExporting(c) ? [{ value: EXPORT_OPTION, label: x.say('export.button') }] : [];
  // A closed case has nothing left to move, but its record is still worth taking away.
  if (c.stage === 'closed') return exporting;
  const options: Option[] = [];
  if (c.conversation.at && c.step !== 'talkAt') options.push({ value: 'talk', label: x.say('change.talk') });
  if (c.notice.lastDay && c.step !== 'noticeKind') options.push({ value: 'lastDay', label: x.say('change.lastDay') });
  options.push(...markPaidOptions(c, x));
  options.push(...exporting);
  return options;
}

/** The case's actions in one list (one numbering when typed): move a date, mark an invoice paid. */
export function changeReplies(c: Case, x: Ctx): Reply[] {
  const options = changeOptions(c, x);
  const paying = options.some((o) => o.value.startsWith('paid:'));
  // Nothing to move or mark yet (or any more): the list only offers to take the record away.
  if (options.length === 0) return [];
  const exporting = options.some((o) => o.value === EXPORT_OPTION);
  const ask =
    options.length === 1 && exporting
      ? x.say('export.ask', { client: c.client })
      : exporting
        ? x.say(paying ? 'change.askWithPaid' : 'change.ask')
        : x.say(paying ? 'change.askWithPaidNoExport' : 'change.askNoExport');
  return [choices(c, CHANGE_QUESTION, ask, options)];
}

/** The option a typed line names exactly ("Change the talk date"), for platforms without buttons. */
export function typedChange(c: Case, raw: string, x: Ctx): string | null {
  const word = foldWord(raw, x.locale);
  return changeOptions(c, x).find((o) => foldWord(o.label, x.locale) === word)?.value ?? null;
}

export const askNewTalk = (c: Case, x: Ctx): Reply =>
  input(c, 'changeTalk', x.say('change.talk.ask', { when: momentOf(x, c.conversation.at ?? x.now.toISOString()) }), 'datetime', acceptsDates(x));

/**
 * Starts moving a date. The talk is asked for on the side, so nothing changes until a valid
 * new date is given; the last day re-opens the notice question, keeping the old one meanwhile.
 */
export function answerChange(c: Case, value: string, x: Ctx): Reply[] | null {
  if (!changeOptions(c, x).some((o) => o.value === value)) return null;
  if (value === EXPORT_OPTION) return exportCase(c, x);
  if (value.startsWith('paid:')) {
    markPaid(c, [value.slice('paid:'.length)], x, finishCase);
    return [...x.out];
  }
  if (value === 'talk') return [askNewTalk(c, x)];
  goto(c, 'noticeKind');
  return STEPS.noticeKind.ask(c, x);
}

/** A new talk date: a notice counted in days moves with it; a fixed last day stays if it still can. */
export function answerNewTalk(c: Case, raw: string, x: Ctx): Reply[] {
  const when = readDate(raw, x);
  if (!when.ok) return [text(when.message, 'error'), askNewTalk(c, x)];
  c.conversation.at = when.instant.toISOString();
  x.out.push(text(x.say('change.talk.done', { when: momentOf(x, c.conversation.at) }), 'success'));
  const n = c.notice;
  if (n.lastDay && n.kind && n.days !== undefined) {
    const rejected = applyLastDay(c, x, n.kind, lastDayAfter(c, x, n.days), n.days);
    if (rejected) return [...rejected.rejected, askNewTalk(c, x)];
  } else if (n.lastDay && compareDates(n.lastDay, talkDate(c, x)) < 0) {
    x.out.push(text(x.say('notice.beforeTalk', { date: dayOf(x, n.lastDay), talk: dayOf(x, talkDate(c, x)) }), 'warning'));
    c.notice = { previousLastDay: n.lastDay };
    delete c.wrapRecheck;
    goto(c, 'noticeKind');
  }
  if (!c.letter.sentAt && c.stage === 'wrapup') goto(c, 'letterLang');
  return [...x.out, ...(isStepId(c.step) ? STEPS[c.step].ask(c, x) : [])];
}
