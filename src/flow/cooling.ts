import type { Case } from '../model/case.js';
import { choices, input, text, reject } from '../engine/replies.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { nextWorkingInstant } from '../time/working-hours.js';
import { acceptsDaysOrDate, coolingEnd, momentOf, readDate, readDays } from './dates.js';
import { close, goto } from './nav.js';

const MAX_COOLING_DAYS = 60;

function startCooling(c: Case, x: Ctx, until: Date): void {
  c.coolingOffUntil = until.toISOString();
  goto(c, 'coolWait');
  x.out.push(text(x.say('cooling.set', { when: momentOf(x, c.coolingOffUntil) }), 'success'));
}

function continueToContract(c: Case, x: Ctx): void {
  x.out.push(text(x.say('cooling.done')));
  goto(c, 'hasContract');
}

function keep(c: Case, x: Ctx): void {
  close(c, 'kept', x.now);
  x.out.push(text(x.say('outcome.kept', { client: c.client }), 'success'));
}

export const coolingSteps: Record<'coolLen' | 'coolCustom' | 'coolSkip' | 'coolWait' | 'coolCheck', StepDef> = {
  coolLen: {
    ask: (c, x) => [
      choices(c, 'coolLen', x.say('cooling.ask'), [
        { value: '1', label: x.say('cooling.days', { count: 1 }) },
        { value: '3', label: x.say('cooling.days.recommended', { count: 3 }), style: 'primary' },
        { value: '7', label: x.say('cooling.days', { count: 7 }) },
        { value: 'custom', label: x.say('cooling.custom') },
        { value: 'skip', label: x.say('cooling.skip') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'custom') return goto(c, 'coolCustom');
      if (a.value === 'skip') return goto(c, 'coolSkip');
      startCooling(c, x, coolingEnd(x, Number(a.value)));
    },
  },
  coolCustom: {
    ask: (c, x) => [
      input(c, 'coolCustom', x.say('cooling.custom.ask'), 'datetime', acceptsDaysOrDate(x, MAX_COOLING_DAYS)),
    ],
    answer(c, a, x) {
      const raw = a.kind === 'text' ? a.text : a.kind === 'choice' ? a.value : '';
      const days = readDays(raw, 1, MAX_COOLING_DAYS);
      if (days === 'range') return reject(x.say('cooling.custom.range', { max: MAX_COOLING_DAYS }));
      if (days !== null) return startCooling(c, x, coolingEnd(x, days));
      const when = readDate(raw, x);
      if (!when.ok) return reject(when.message);
      // A chosen moment stands as given when it is inside working hours; else the next morning.
      startCooling(c, x, nextWorkingInstant(when.instant, x.settings));
    },
  },
  coolSkip: {
    ask: (c, x) => [
      choices(c, 'coolSkip', x.say('cooling.skip.confirm'), [
        { value: 'wait', label: x.say('cooling.skip.wait'), style: 'primary' },
        { value: 'skip', label: x.say('cooling.skip.anyway') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'wait') return startCooling(c, x, coolingEnd(x, 3));
      continueToContract(c, x);
    },
  },
  coolWait: {
    waiting: true,
    ask: (c, x) => [
      choices(c, 'coolWait', x.say('cooling.waiting', { client: c.client, when: momentOf(x, c.coolingOffUntil ?? x.now.toISOString()) }), [
        { value: 'continue', label: x.say('cooling.continueNow') },
        { value: 'keep', label: x.say('cooling.keep') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'keep') return keep(c, x);
      continueToContract(c, x);
    },
  },
  coolCheck: {
    ask: (c, x) => [
      choices(c, 'coolCheck', x.say('cooling.check', { client: c.client }), [
        { value: 'continue', label: x.say('cooling.continue'), style: 'primary' },
        { value: 'keep', label: x.say('cooling.keep') },
        { value: 'more', label: x.say('cooling.more', { count: 2 }) },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'keep') return keep(c, x);
      if (a.value === 'more') return startCooling(c, x, coolingEnd(x, 2));
      continueToContract(c, x);
    },
  },
};
