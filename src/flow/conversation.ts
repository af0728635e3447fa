import { CHANNELS, REASONS, type Case } from '../model/case.js';
import { choices, input, text, reject } from '../engine/replies.js';
import { cleanLine, LIMITS } from '../engine/sanitize.js';
import type { Ctx, StepDef } from '../engine/types.js';
import { formatShortDate } from '../i18n/format.js';
import { instantAt, localParts } from '../time/calendar.js';
import { isWorkday, morningNoLaterThan, morningOf, workdayOnOrAfter } from '../time/working-hours.js';
import { acceptsDates, dayOf, momentOf, readDate, relativeMoment } from './dates.js';
import { invoiceLine, keepCheckingPayments, markPaid, moneyAtRisk, nextPaymentCheck, sayHeldTime, unpaid, unpaidList } from './invoices.js';
import { goto } from './nav.js';
import { talkDate } from './notice.js';
import { finishCase } from './wrapup.js';
import { talkingPoints } from './talking-points.js';

export const conversationSteps: Record<'channel' | 'reason' | 'reasonText' | 'talkAt' | 'talkDayOff' | 'moneyFirst' | 'talkHold', StepDef> = {
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
      delete c.conversation.heldAt;
      if (!isWorkday(when.date, x.settings)) return goto(c, 'talkDayOff');
      checkMoney(c, x);
    },
  },
  talkDayOff: {
    ask(c, x) {
      const day = talkDate(c, x);
      const next = workdayOnOrAfter(day, x.settings);
      return [
        choices(c, 'talkDayOff', x.say('conv.dayOff', { date: dayOf(x, day) }), [
          { value: 'keep', label: x.say('dayOff.keep', { date: formatShortDate(x.locale, day) }) },
          { value: 'move', label: x.say('dayOff.move', { date: formatShortDate(x.locale, next) }), style: 'primary' },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice' || !c.conversation.at) return reject(x.say('common.pickOne'));
      if (a.value === 'move') {
        const { date, time } = localParts(new Date(c.conversation.at), x.settings.timeZone);
        c.conversation.at = instantAt(workdayOnOrAfter(date, x.settings), time, x.settings.timeZone).toISOString();
        delete c.conversation.heldAt;
      }
      checkMoney(c, x);
    },
  },
  moneyFirst: {
    ask(c, x) {
      const at = moneyAtRisk(c, talkDate(c, x), x.today);
      const list = at.map((i) => `• ${invoiceLine(c, x, i.id)}`).join('\n');
      return [
        choices(c, 'moneyFirst', x.say('money.atRisk', { client: c.client, list }), [
          { value: 'hold', label: x.say('money.hold'), style: 'primary' },
          { value: 'goAhead', label: x.say('money.goAhead') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'hold') {
        c.conversation.moneyFirst = 'hold';
        if (c.conversation.at) c.conversation.heldAt = c.conversation.at;
        delete c.conversation.at;
        keepCheckingPayments(c, x);
        const next = nextPaymentCheck(c, x);
        x.out.push(text(x.say('money.holdNoted', { client: c.client, when: next ? relativeMoment(x, new Date(next)) : '—' }), 'success'));
        return goto(c, 'talkHold');
      }
      c.conversation.moneyFirst = 'goAhead';
      x.out.push(text(x.say('money.goAheadNoted'), 'info'));
      confirmTalk(c, x);
    },
  },
  talkHold: {
    waiting: true,
    ask(c, x) {
      const next = nextPaymentCheck(c, x);
      return [
        choices(c, 'talkHold', x.say('money.holding', { client: c.client, list: unpaidList(c, x), when: next ? momentOf(x, next) : '—' }), [
          { value: 'paid', label: x.say('money.holding.paid'), style: 'primary' },
          { value: 'goAhead', label: x.say('money.holding.goAhead') },
        ]),
      ];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value === 'paid') return markPaid(c, unpaid(c).map((i) => i.id), x, finishCase);
      c.conversation.moneyFirst = 'goAhead';
      sayHeldTime(c, x);
      goto(c, 'talkAt');
    },
  },
};

/** After a talk date on a working day (or kept on a day off): money first, then the talk is set. */
function checkMoney(c: Case, x: Ctx): void {
  if (c.conversation.moneyFirst !== 'goAhead' && moneyAtRisk(c, talkDate(c, x), x.today).length > 0) return goto(c, 'moneyFirst');
  confirmTalk(c, x);
}

/** The talk date stands: say when the points come, give them now, and on to the notice. */
function confirmTalk(c: Case, x: Ctx): void {
  const at = c.conversation.at;
  if (!at) return goto(c, 'talkAt');
  const instant = new Date(at);
  // Moving the talk moves the notice with it: the old last day may now precede the talk.
  if (c.notice.lastDay) {
    c.notice = { previousLastDay: c.notice.lastDay };
    delete c.wrapRecheck;
  }
  const talkDay = localParts(instant, x.settings.timeZone).date;
  const prep = morningNoLaterThan(talkDay, x.settings, instant);
  const noTime = instant.getTime() === morningOf(talkDay, x.settings).getTime();
  const key = prep.getTime() <= x.now.getTime() ? 'conv.at.setSoon' : noTime ? 'conv.at.setMorning' : 'conv.at.set';
  x.out.push(text(x.say(key, { when: momentOf(x, at), prep: momentOf(x, prep.toISOString()) }), 'success'));
  x.out.push(text(talkingPoints(c, x)));
  goto(c, 'noticeKind');
}
