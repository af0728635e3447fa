import type { Case, Task } from '../model/case.js';
import type { Locale } from '../model/settings.js';
import type { MessageKey } from '../i18n/types.js';
import { formatDate, formatMoney } from '../i18n/format.js';
import { t } from '../i18n/translate.js';
import { itemIn, referralLine } from '../engine/letter.js';
import { looksLikeSecret } from './secrets.js';

/** The closeout packet as plain structure: Markdown and PDF are two renderings of it. */
export interface Packet {
  title: string;
  intro: string;
  lastDay: string;
  sections: { heading: string; lines: string[]; bullets: boolean }[];
  /** Task titles that looked like secrets, left out of the packet. */
  hidden: string[];
}

const HANDOVER_KINDS = new Set<Task['kind']>(['returnFiles', 'handCredentials', 'revokeAccess', 'briefReplacement']);
/** The freelancer's own chores: nothing the client receives. */
const PRIVATE_KINDS = new Set<Task['kind']>(['refer', 'interviewHelp', 'interimTools', 'finalInvoice']);

/** What was delivered, what is still due, what is handed over: in the client's language, formal. */
export function buildPacket(c: Case, lang: Locale): Packet {
  const say = (key: MessageKey, params?: Parameters<typeof t>[2]) => t(lang, key, params);
  const hidden: string[] = [];
  const name = (task: Task): string => {
    if (task.title && looksLikeSecret(task.title)) {
      hidden.push(task.title);
      return say('packet.secretHidden');
    }
    return itemIn(task, lang);
  };
  const work = c.tasks.filter((x) => !HANDOVER_KINDS.has(x.kind) && (!PRIVATE_KINDS.has(x.kind) || x.title !== undefined));
  const sections: Packet['sections'] = [];
  const delivered = work.filter((x) => x.done).map((x) => say('packet.doneOn', { item: name(x), date: formatDate(lang, x.doneOn ?? x.due) }));
  if (delivered.length) sections.push({ heading: say('packet.delivered'), lines: delivered, bullets: true });
  const due = work.filter((x) => !x.done && x.due).map((x) => say('packet.dueOn', { item: name(x), date: formatDate(lang, x.due) }));
  if (due.length) sections.push({ heading: say('packet.stillDue'), lines: due, bullets: true });
  const handover = c.tasks.filter((x) => HANDOVER_KINDS.has(x.kind)).map((x) => (x.done ? say('packet.doneOn', { item: name(x), date: formatDate(lang, x.doneOn ?? x.due) }) : x.due ? say('packet.dueOn', { item: name(x), date: formatDate(lang, x.due) }) : name(x)));
  sections.push({ heading: say('packet.handover'), lines: [...handover.map((l) => `• ${l}`), say('packet.rotate')], bullets: false });
  const owed = c.contract.invoices.filter((i) => !i.paid).map((i) => `${formatMoney(lang, i.amount, i.currency)}, ${say('letter.due', { date: formatDate(lang, i.dueDate) })}`);
  if (owed.length) sections.push({ heading: say('packet.invoices'), lines: owed, bullets: true });
  const referral = referralLine(c, lang);
  if (referral) sections.push({ heading: say('packet.referral'), lines: [referral], bullets: false });
  sections.push({ heading: say('packet.ack'), lines: [say('packet.ackLine'), '', say('packet.ackSign')], bullets: false });
  return {
    title: say('packet.title', { client: c.client }),
    intro: `${say('packet.intro')}\n${say('packet.contact')}`,
    lastDay: c.notice.lastDay ? say('packet.lastDay', { date: formatDate(lang, c.notice.lastDay) }) : say('packet.lastDayTbd'),
    sections,
    hidden,
  };
}

/**
 * Markdown: characters that would turn a client's words into markup are escaped. Underscores
 * and brackets stay: the signature blanks and the "[your email address]" slot are meant as typed.
 */
const md = (s: string) => s.replace(/([\\`*#<>|])/g, '\\$1');

export function packetMarkdown(p: Packet): string {
  const out = [`# ${md(p.title)}`, '', ...p.intro.split('\n').map(md).flatMap((l) => [l, '']), `**${md(p.lastDay)}**`, ''];
  for (const s of p.sections) {
    out.push(`## ${md(s.heading)}`, '');
    let inList = false;
    for (const line of s.lines) {
      const item = s.bullets || line.startsWith('• ');
      // A paragraph right after a list item would be read as part of that item.
      if (inList && !item && line !== '') out.push('');
      out.push(s.bullets ? `- ${md(line)}` : item ? `- ${md(line.slice(2))}` : md(line));
      inList = item;
    }
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
