import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import { t, translator } from '../i18n/translate.js';
import { dayOf, momentOf } from '../flow/dates.js';
import { close } from '../flow/nav.js';
import { reasonText, talkingPoints } from '../flow/talking-points.js';
import { fileStem } from '../export/file-name.js';
import { choices, text } from './replies.js';
import type { Ctx } from './types.js';

const AFTER_TALK_STAGES = new Set(['notice', 'handover', 'letter', 'wrapup']);

/** "They want me to stay": the user's own reasons, the decision, and a firm, kind reply. */
export function pushback(c: Case, x: Ctx): Reply[] {
  const talk = c.conversation.at;
  // Pushback answers what the client said in the talk: before it, the talking points help more.
  if (!talk) return [text(x.say('pushback.noTalk', { client: c.client }), 'info')];
  if (Date.parse(talk) > x.now.getTime()) {
    return [text(x.say('pushback.beforeTalk', { client: c.client, when: momentOf(x, talk) }), 'info'), text(talkingPoints(c, x))];
  }
  if (!AFTER_TALK_STAGES.has(c.stage) || !c.notice.lastDay) return [text(x.say('pushback.tooEarly', { client: c.client }), 'info')];
  c.pushbacks += 1;
  const reasons = c.reasons.map((r) => `• ${x.say(`sign.${r}`)}`);
  if (c.note) reasons.push(x.say('pushback.note', { note: c.note }));
  if (c.gut) reasons.push(x.say('pushback.gut', { gut: c.gut }));
  const lang = c.letter.language ?? x.locale;
  const lastDay = c.notice.lastDay ? dayOf({ ...x, locale: lang }, c.notice.lastDay) : '—';
  const draft = t(lang, 'pushback.reply', { reason: reasonText(c, { say: translator(lang) }), lastDay });
  return [
    text(x.say(c.pushbacks === 1 ? 'pushback.introFirst' : 'pushback.intro', { client: c.client, count: c.pushbacks })),
    text(`${x.say('pushback.yourReasons')}\n${reasons.join('\n') || '—'}`),
    text(x.say('pushback.decision', { reason: reasonText(c, x), lastDay: c.notice.lastDay ? dayOf(x, c.notice.lastDay) : '—' })),
    // Named per client and language like the letter: a second case's reply does not overwrite this one.
    { kind: 'file', filename: `reply-${fileStem(c.client)}-${lang}.txt`, mime: 'text/plain', title: x.say('pushback.draftTitle'), content: draft },
    choices(c, 'pushback', x.say('pushback.ask'), [
      { value: 'firm', label: x.say('pushback.firm'), style: 'primary' },
      { value: 'keep', label: x.say('pushback.keep'), style: 'danger' },
    ]),
  ];
}

export function answerPushback(c: Case, value: string, x: Ctx): Reply[] {
  if (value === 'keep') {
    close(c, 'kept', x.now);
    return [text(x.say('pushback.kept', { client: c.client }))];
  }
  return [text(x.say('pushback.firmNoted'), 'success')];
}
