import type { Case, Task } from '../model/case.js';
import type { MessageKey } from '../i18n/types.js';
import type { Locale } from '../model/settings.js';
import { formatDate, formatMoney } from '../i18n/format.js';
import { t } from '../i18n/translate.js';
import { taskTitle } from '../flow/tasks.js';
import { noticeParagraph } from './letter-notice.js';
import { fileStem } from '../export/file-name.js';
import { capitalFirst } from './sanitize.js';

const HANDED_OVER_KINDS = new Set<Task['kind']>(['returnFiles', 'handCredentials', 'briefReplacement']);
/** Work the client is owed: listed with its date under "until then I will complete". */
const DELIVERED_KINDS = new Set<Task['kind']>(['finishProject', 'deliverPaid', 'custom']);

/**
 * What the letter promises to complete: the user's projects and own tasks, and any built-in
 * task they renamed (their words, so meant for the client). The freelancer's private chores
 * (revoking their access, the referral, the final invoice) stay out unless renamed. Loose ends
 * have a list of their own.
 */
function promised(task: Task): boolean {
  if (task.done || HANDED_OVER_KINDS.has(task.kind) || task.kind === 'looseEnd') return false;
  return DELIVERED_KINDS.has(task.kind) || (task.title !== undefined && task.kind !== 'refer');
}

/** Built-in tasks read as to-dos ("Return all client files"); the letter names the thing itself. */
const LETTER_ITEM = {
  deliverPaid: 'letter.item.deliverPaid',
  returnFiles: 'letter.item.returnFiles',
  handCredentials: 'letter.item.handCredentials',
  briefReplacement: 'letter.item.briefReplacement',
  revokeAccess: 'letter.item.revokeAccess',
} as const satisfies Partial<Record<Task['kind'], MessageKey>>;

/** A task as a list item of the letter or the packet: each item starts with a capital, as a list line does. */
export function itemIn(task: Task, lang: Locale): string {
  const key = !task.title && task.kind in LETTER_ITEM ? LETTER_ITEM[task.kind as keyof typeof LETTER_ITEM] : null;
  return capitalFirst(key ? t(lang, key) : taskTitle(task, lang), lang);
}

/**
 * The reason in the letter's language. The user's own words go in as typed unless they chose
 * the general reason for a letter in another language than theirs.
 */
function reasonIn(c: Case, lang: Locale): string {
  const r = c.conversation;
  if (!r.reason) return t(lang, 'letter.reasonTbd');
  // The template ends the sentence; a full stop typed at the end would double it.
  if (r.reason === 'own' && r.reasonText && c.letter.reasonInLetter !== 'general') return r.reasonText.trim().replace(/[.。]+$/u, '');
  return t(lang, r.reason === 'needsChanged' ? 'reason.needsChanged.quote' : 'reason.notFit.quote');
}

export function referralLine(c: Case, lang: Locale): string | null {
  const parts = c.referrals.map((r) => {
    if (r.kind === 'agency') return t(lang, 'letter.referral.agency');
    if (r.kind === 'specialist') return t(lang, 'letter.referral.specialist', { field: r.detail ?? '…' });
    return t(lang, 'letter.referral.colleague', { name: r.detail ?? '…' });
  });
  return parts.length ? parts.join(' ') : null;
}

const list = (heading: string, lines: string[]) => `${heading}\n${lines.map((l) => `- ${l}`).join('\n')}`;

/**
 * The written notice, drafted from the case in the client's language with formal address:
 * the notice and its date first (what makes it a notice), then thanks and one reason, then
 * everything still owed either way, and a request to confirm receipt. Plain text, ready to
 * paste into an email.
 */
export function draftLetter(c: Case, lang: Locale): string {
  const say = (key: MessageKey, params?: Parameters<typeof t>[2]) => t(lang, key, params);
  const dated = (x: Task) => say('letter.dated', { item: itemIn(x, lang), date: formatDate(lang, x.due) });
  const blocks: string[] = [say('letter.greeting'), noticeParagraph(c, lang), `${say('letter.thanks')} ${say('letter.reason', { reason: reasonIn(c, lang) })}`];

  const toDeliver = c.tasks.filter(promised);
  if (toDeliver.length) blocks.push(list(say('letter.deliverables'), toDeliver.map(dated)));
  const looseEnds = c.tasks.filter((x) => x.kind === 'looseEnd' && !x.done);
  if (looseEnds.length) blocks.push(list(say('letter.looseEnds'), looseEnds.map(dated)));
  const owed = c.contract.invoices.filter((i) => !i.paid);
  if (owed.length) {
    blocks.push(list(say('letter.payments'), owed.map((i) => `${formatMoney(lang, i.amount, i.currency)}, ${say('letter.due', { date: formatDate(lang, i.dueDate) })}`)));
  }
  const handover = c.tasks.filter((x) => HANDED_OVER_KINDS.has(x.kind));
  if (handover.length) blocks.push(list(say('letter.handover'), handover.map((x) => itemIn(x, lang))));
  // Terms agreed in the talk, as the user typed them: the client heard them in these words.
  const agreed = (c.conversation.agreed ?? []).map((a) => a.trim()).filter(Boolean);
  if (agreed.length) blocks.push(list(say('letter.agreed'), agreed));
  const referral = referralLine(c, lang);
  if (referral) blocks.push(referral);
  blocks.push(say('letter.confirmReceipt'));
  blocks.push(`${say('letter.farewell')} ${say('letter.reference')}`);
  blocks.push(say('letter.closing'));
  return `${say('letter.subject')}\n\n${blocks.join('\n\n')}\n`;
}

/** Named like the case's other files (export): "Yıldız Yazılım" keeps its letters, not "yldz-yazlm". */
export function letterFilename(c: Case, lang: Locale): string {
  return `notice-${fileStem(c.client)}-${lang}.txt`;
}
