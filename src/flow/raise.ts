import type { Case, Sign } from '../model/case.js';
import { choices, reject, text } from '../engine/replies.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { addDays } from '../time/calendar.js';
import { morningOnOrAfter } from '../time/working-hours.js';
import { relativeMoment } from './dates.js';
import { close, goto } from './nav.js';

/**
 * Signs about how the client behaves: these can be raised with them, and often fixed, before
 * anything ends. Little work, having outgrown them or having no time left are the
 * freelancer's side and are not something to "raise".
 */
const RAISABLE: readonly Sign[] = ['ignoresTerms', 'pushesPrice', 'negative', 'allHours', 'indecisive', 'paysLate', 'disrespectful', 'demanding'];

const WAIT_CHOICES = [7, 14, 30] as const;

export function canRaise(c: Case): boolean {
  return c.reasons.some((r) => RAISABLE.includes(r));
}

/** On to cooling off, the usual next stage once the problems were raised or it is too late for that. */
function onToCooling(c: Case, x: Ctx): void {
  x.out.push(text(x.say('assess.heard', { count: c.reasons.length })));
  goto(c, 'coolLen');
}

function planCheck(c: Case, x: Ctx, days: number): void {
  const checkOn = addDays(x.today, days);
  c.raise = { told: false, checkOn, days };
  x.out.push(text(x.say('raise.planned', { client: c.client, when: relativeMoment(x, morningOnOrAfter(checkOn, x.settings)) }), 'success'));
  x.out.push(text(x.say('raise.tips')));
  goto(c, 'raiseWait');
}

/** "Did it change anything?": asked when the check-in comes, or earlier from the waiting question. */
function answerOutcome(c: Case, value: string, x: Ctx): ReturnType<StepDef['answer']> {
  if (value === 'better') {
    close(c, 'improved', x.now);
    x.out.push(text(x.say('outcome.improved', { client: c.client }), 'success'));
    return;
  }
  if (value === 'same') {
    c.raise = { told: true };
    x.out.push(text(x.say('raise.noChange')));
    return onToCooling(c, x);
  }
  if (value === 'later') return planCheck(c, x, c.raise?.days ?? WAIT_CHOICES[0]);
  return reject(x.say('common.pickOne'));
}

const outcomeOptions = (x: Ctx) => [
  { value: 'same', label: x.say('raise.same'), style: 'primary' as const },
  { value: 'better', label: x.say('raise.better') },
  { value: 'later', label: x.say('raise.later') },
];

export const raiseSteps: Record<'raised' | 'raisePlan' | 'raiseWait' | 'raiseCheck', StepDef> = {
  raised: {
    ask: (c, x) => [
      choices(c, 'raised', x.say('raise.ask', { client: c.client }), [
        { value: 'yes', label: x.say('raise.yes') },
        { value: 'no', label: x.say('raise.no') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'yes') {
        c.raise = { told: true };
        return onToCooling(c, x);
      }
      goto(c, 'raisePlan');
    },
  },
  raisePlan: {
    ask: (c, x) => [
      choices(c, 'raisePlan', x.say('raise.plan', { client: c.client }), [
        ...WAIT_CHOICES.map((d, i) => ({ value: String(d), label: x.say('raise.inDays', { count: d }), ...(i === 0 ? { style: 'primary' as const } : {}) })),
        { value: 'end', label: x.say('raise.endNow') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'end') {
        c.raise = { told: false };
        return onToCooling(c, x);
      }
      const days = WAIT_CHOICES.find((d) => String(d) === a.value);
      if (!days) return reject(x.say('common.pickOne'));
      planCheck(c, x, days);
    },
  },
  raiseWait: {
    waiting: true,
    ask(c, x) {
      const on = c.raise?.checkOn ?? x.today;
      return [
        choices(c, 'raiseWait', x.say('raise.waiting', { client: c.client, when: relativeMoment(x, morningOnOrAfter(on, x.settings)) }), [
          { value: 'same', label: x.say('raise.same') },
          { value: 'better', label: x.say('raise.better') },
        ]),
      ];
    },
    answer: (c, a, x) => (a.kind === 'choice' ? answerOutcome(c, a.value, x) : reject(x.say('common.pickOne'))),
  },
  raiseCheck: {
    ask: (c, x) => [choices(c, 'raiseCheck', x.say('raise.check', { client: c.client }), outcomeOptions(x))],
    answer: (c, a, x) => (a.kind === 'choice' ? answerOutcome(c, a.value, x) : reject(x.say('common.pickOne'))),
  },
};
