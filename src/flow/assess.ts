import { SIGNS, type Case, type Sign } from '../model/case.js';
import { choices, input, isSkip, reject, text } from '../engine/replies.js';
import { cleanText, LIMITS } from '../engine/sanitize.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { close, goto } from './nav.js';
import { canRaise } from './raise.js';
import { severalHint } from '../engine/numbering.js';

/** Signs that say "the work dried up" rather than "this client is bad for me". */
const FADE_SIGNS: readonly Sign[] = ['tooLittleWork', 'outgrown'];

/** After the signs and the note: reflect them back, then the gut check. */
function reflect(c: Case, x: Ctx): void {
  if (c.reasons.length === 0) return goto(c, 'noSign');
  if (c.reasons.includes('tooLittleWork') && c.reasons.every((r) => FADE_SIGNS.includes(r))) {
    return goto(c, 'fade');
  }
  // A client who haggles may simply no longer afford you: that is no reason to cut your rate.
  if (c.reasons.includes('pushesPrice')) x.out.push(text(x.say('assess.priceAdvice', { client: c.client })));
  goto(c, 'gut');
}

/** After the gut check: raise the problems first when they can be raised, else on to cooling off. */
function afterGut(c: Case, x: Ctx): void {
  if (canRaise(c)) return goto(c, 'raised');
  x.out.push(text(x.say('assess.heard', { count: c.reasons.length })));
  goto(c, 'coolLen');
}

export const assessSteps: Record<'signs' | 'note' | 'gut' | 'noSign' | 'fade', StepDef> = {
  signs: {
    ask: (c, x) => [
      {
        kind: 'multi',
        ref: { caseId: c.id, question: 'signs' },
        text: x.say('assess.signs.ask', { client: c.client }),
        options: [
          ...SIGNS.map((s) => ({ value: s, label: x.say(`sign.${s}`) })),
          { value: 'none', label: x.say('sign.none') },
        ],
        selected: c.reasons,
        submitLabel: x.say('common.next'),
        typedHint: severalHint(x, SIGNS.length + 1),
      },
    ],
    answer(c, a, x) {
      const values = a.kind === 'multi' ? a.values : a.kind === 'choice' ? [a.value] : null;
      if (!values) return reject(x.say('assess.signs.pick'));
      c.reasons = SIGNS.filter((s) => values.includes(s));
      goto(c, 'note');
    },
  },
  note: {
    ask: (c, x) => [input(c, 'note', x.say('assess.note.ask'), 'text', x.say('accepts.optionalText'), true)],
    answer(c, a, x) {
      if (a.kind === 'text' && !isSkip(x, a.text)) {
        const note = cleanText(a.text, LIMITS.note);
        c.note = note.value;
        if (note.truncated) x.out.push(text(x.say('common.truncated', { max: LIMITS.note }), 'warning'));
      }
      reflect(c, x);
    },
  },
  gut: {
    ask: (c, x) => [input(c, 'gut', x.say('assess.gut.ask', { client: c.client }), 'text', x.say('accepts.optionalText'), true)],
    answer(c, a, x) {
      if (a.kind === 'text' && !isSkip(x, a.text)) {
        const gut = cleanText(a.text, LIMITS.note);
        c.gut = gut.value;
        if (gut.truncated) x.out.push(text(x.say('common.truncated', { max: LIMITS.note }), 'warning'));
      }
      afterGut(c, x);
    },
  },
  noSign: {
    ask: (c, x) => [
      choices(c, 'noSign', x.say('assess.noSign', { client: c.client }), [
        { value: 'stop', label: x.say('assess.noSign.stop'), style: 'primary' },
        { value: 'goOn', label: x.say('assess.noSign.goOn') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'stop') {
        close(c, 'kept', x.now);
        x.out.push(text(x.say('outcome.keptAfterThinking', { client: c.client }), 'success'));
        return;
      }
      goto(c, 'coolLen');
    },
  },
  fade: {
    ask: (c, x) => [
      choices(c, 'fade', x.say('assess.fade', { client: c.client }), [
        { value: 'fade', label: x.say('assess.fade.fade'), style: 'primary' },
        { value: 'formal', label: x.say('assess.fade.formal') },
      ]),
    ],
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'fade') {
        close(c, 'faded', x.now);
        x.out.push(text(x.say('outcome.faded', { client: c.client }), 'success'));
        return;
      }
      goto(c, 'coolLen');
    },
  },
};
