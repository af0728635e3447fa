import type { Case } from '../model/case.js';
import type { FileReply, Reply } from '../model/reply.js';
import { text } from '../engine/replies.js';
import type { Ctx } from '../engine/types.js';
import { formatList } from '../i18n/format.js';
import { caseCalendar } from './calendar.js';
import { missingDates } from './dated-items.js';
import { fileStem } from './file-name.js';
import { buildPacket, packetMarkdown } from './packet.js';
import { packetPdf } from './packet-pdf.js';

/** The calendar file alone: what a moved date makes worth importing again. */
export function calendarFile(c: Case, x: Ctx): FileReply {
  const { ics } = caseCalendar(c, x.settings, x.now);
  return { kind: 'file', filename: `${fileStem(c.client)}-dates.ics`, mime: 'text/calendar', title: x.say('export.calendarTitle', { client: c.client }), content: ics, attachOnly: true };
}

/**
 * `export <client>`: the calendar with every date of the case and the closeout packet in the
 * letter's language (PDF and Markdown). Whatever is not set yet is named, not guessed.
 */
export function exportCase(c: Case, x: Ctx): Reply[] {
  const lang = c.letter.language ?? x.locale;
  const stem = fileStem(c.client);
  const packet = buildPacket(c, lang);
  const replies: Reply[] = [text(x.say('export.intro', { client: c.client }))];
  const missing = missingDates(c);
  if (missing.length) {
    const items = formatList(x.locale, missing.map((m) => x.say(m === 'talk' ? 'export.missing.talk' : 'export.missing.lastDay')));
    replies.push(text(x.say('export.missing', { items }), 'info'));
  }
  for (const title of packet.hidden) replies.push(text(x.say('export.secret', { title }), 'warning'));
  const title = x.say('export.packetTitle', { client: c.client });
  replies.push(
    calendarFile(c, x),
    { kind: 'file', filename: `${stem}-closeout-${lang}.pdf`, mime: 'application/pdf', title, content: packetPdf(packet, x.now).toString('base64'), encoding: 'base64' },
    { kind: 'file', filename: `${stem}-closeout-${lang}.md`, mime: 'text/markdown', title, content: packetMarkdown(packet), attachOnly: true },
  );
  return replies;
}
