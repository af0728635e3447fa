import type { Case } from '../model/case.js';
import type { Option, Reply } from '../model/reply.js';
import { goto } from '../flow/nav.js';
import { STEPS } from '../flow/steps.js';
import { choices } from './replies.js';
import { foldWord } from './sanitize.js';
import type { Ctx } from './types.js';

/** The dates a client can make a freelancer move: the talk, and with it the last day. */
export function changeOptions(c: Case, x: Ctx): Option[] {
  if (c.stage === 'closed') return [];
  const options: Option[] = [];
  if (c.conversation.at && c.step !== 'talkAt') options.push({ value: 'talk', label: x.say('change.talk') });
  if (c.notice.lastDay && c.step !== 'noticeKind') options.push({ value: 'lastDay', label: x.say('change.lastDay') });
  return options;
}

export function changeReplies(c: Case, x: Ctx): Reply[] {
  const options = changeOptions(c, x);
  return options.length ? [choices(c, 'change', x.say('change.ask'), options)] : [];
}

/** The option a typed line names exactly ("Change the talk date"), for platforms without buttons. */
export function typedChange(c: Case, raw: string, x: Ctx): string | null {
  const word = foldWord(raw, x.locale);
  return changeOptions(c, x).find((o) => foldWord(o.label, x.locale) === word)?.value ?? null;
}

/**
 * Re-opens the question for a date. A new talk date clears the notice (the last day counts
 * from the talk); the reminders follow from the case as always.
 */
export function answerChange(c: Case, value: string, x: Ctx): Reply[] | null {
  if (!changeOptions(c, x).some((o) => o.value === value)) return null;
  goto(c, value === 'talk' ? 'talkAt' : 'noticeKind');
  return STEPS[c.step === 'talkAt' ? 'talkAt' : 'noticeKind'].ask(c, x);
}
