import { CHANNELS, REASONS } from '../model/case.js';
import { choices, input, text, reject } from '../engine/replies.js';
import { cleanLine, LIMITS } from '../engine/sanitize.js';
import type { StepDef } from '../engine/types.js';
import { localParts } from '../time/calendar.js';
import { morningNoLaterThan } from '../time/working-hours.js';
import { acceptsDates, momentOf, readDate } from './dates.js';
import { goto } from './nav.js';
import { talkingPoints } from './talking-points.js';

export const conversationSteps: Record<'channel' | 'reason' | 'reasonText' | 'talkAt', StepDef> = {
  channel: {
    ask: (c, x) => [
      choices(
        c,
        'channel',
        x.say('conv.channel', { client: c.client }),
        CHANNELS.map((ch) => ({ value: ch, label: x.say(`channel.${ch}`) })),
      ),
    ],
    answer(c, a, x) {
      const ch = CHANNELS.find((v) => a.kind === 'choice' && v === a.value);
      if (!ch) return reject(x.say('common.pickOne'));
      c.conversation.channel = ch;
      goto(c, 'reason');
    },
  },
  reason: {
    ask: (c, x) => [
      choices(
        c,
        'reason',
        x.say('conv.reason'),
        REASONS.map((r) => ({ value: r, label: x.say(`reason.${r}`) })),
      ),
    ],
    answer(c, a, x) {
      const r = REASONS.find((v) => a.kind === 'choice' && v === a.value);
      if (!r) return reject(x.say('common.pickOne'));
      c.conversation.reason = r;
      if (r === 'own') return goto(c, 'reasonText');
      delete c.conversation.reasonText;
      goto(c, 'talkAt');
    },
  },
  reasonText: {
    ask: (c, x) => [input(c, 'reasonText', x.say('conv.reasonText'), 'text', x.say('accepts.shortText', { max: LIMITS.reason }))],
    answer(c, a, x) {
      const own = a.kind === 'text' ? cleanLine(a.text, LIMITS.reason) : { value: '', truncated: false };
      if (!own.value) return reject(x.say('conv.reasonText.empty'));
      if (own.truncated) x.out.push(text(x.say('common.truncated', { max: LIMITS.reason }), 'warning'));
      // The reason is inserted mid-sentence in the letter and replies: no closing full stop.
      c.conversation.reasonText = own.value.replace(/[\s.!。]+$/u, '');
      goto(c, 'talkAt');
    },
  },
  talkAt: {
    ask: (c, x) => [input(c, 'talkAt', x.say('conv.at', { client: c.client }), 'datetime', acceptsDates(x))],
    answer(c, a, x) {
      const raw = a.kind === 'text' ? a.text : a.kind === 'choice' ? a.value : '';
      const when = readDate(raw, x);
      if (!when.ok) return reject(when.message);
      c.conversation.at = when.instant.toISOString();
      // Moving the talk moves the notice with it: the old last day may now precede the talk.
      if (c.notice.lastDay) c.notice = { previousLastDay: c.notice.lastDay };
      const talkDay = localParts(when.instant, x.settings.timeZone).date;
      const prep = morningNoLaterThan(talkDay, x.settings, when.instant);
      const key = prep.getTime() <= x.now.getTime() ? 'conv.at.setSoon' : when.time ? 'conv.at.set' : 'conv.at.setMorning';
      x.out.push(text(x.say(key, { when: momentOf(x, c.conversation.at), prep: momentOf(x, prep.toISOString()) }), 'success'));
      x.out.push(text(talkingPoints(c, x)));
      goto(c, 'noticeKind');
    },
  },
};
