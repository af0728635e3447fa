import type { Case } from '../model/case.js';
import type { Ctx } from '../engine/types.js';
import { compareDates } from '../time/calendar.js';

/** Today is the last working day or before it: the notice still runs, the handover with it. */
export function noticeRuns(c: Case, x: Ctx): boolean {
  return c.notice.lastDay !== undefined && compareDates(x.today, c.notice.lastDay) <= 0;
}

/**
 * The stage as the freelancer reads it in `status`, `list` and the overview. Once the letter is
 * out, a case waits for its wrap-up, often for weeks: until the last day that wait is the
 * notice being served (the handover still runs), and after the wrap-up it can only be waiting
 * for money. Calling either "wrap-up" read as if the case were about to close.
 */
export function stageName(c: Case, x: Ctx): string {
  if (c.stage === 'wrapup') {
    if (c.step === 'wrapWait' && noticeRuns(c, x)) return x.say('stage.serving');
    if (c.step === 'wrapMoney') return x.say('stage.awaitingPayment');
  }
  return x.say(`stage.${c.stage}`);
}
