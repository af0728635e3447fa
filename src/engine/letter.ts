import type { Case, Task } from '../model/case.js';
import type { MessageKey } from '../i18n/types.js';
import type { Locale } from '../model/settings.js';
import { formatDate, formatMoney } from '../i18n/format.js';
import { t, translator } from '../i18n/translate.js';
import { reasonText } from '../flow/talking-points.js';
import { taskTitle } from '../flow/tasks.js';

const HANDED_OVER_KINDS = new Set<Task['kind']>(['returnFiles', 'handCredentials', 'briefReplacement']);
/** Work the client is owed: listed with its date under "until then I will complete". */
const DELIVERED_KINDS = new Set<Task['kind']>(['finishProject', 'deliverPaid', 'looseEnd', 'custom']);

/**
 * What the letter promises to complete: the user's projects, loose ends and own tasks, and any
 * built-in task they renamed (their words, so meant for the client). The freelancer's private
 * chores (revoking their access, the referral, the final invoice) stay out unless renamed.
 */
function promised(task: Task): boolean {
  if (task.done || HANDED_OVER_KINDS.has(task.kind)) return false;
  return DELIVERED_KINDS.has(task.kind) || (task.title !== undefined && task.kind !== 'refer');
}

/** Built-in tasks read as to-dos ("Return all client files"); the letter names the thing itself. */
const LETTER_ITEM = {
  deliverPaid: 'letter.item.deliverPaid',
  returnFiles: 'letter.item.returnFiles',
  handCredentials: 'letter.item.handCredentials',
  briefReplacement: 'letter.item.briefReplacement',
} as const satisfies Partial<Record<Task['kind'], MessageKey>>;

function itemIn(task: Task, lang: Locale): string {
  const key = !task.title && task.kind in LETTER_ITEM ? LETTER_ITEM[task.kind as keyof typeof LETTER_ITEM] : null;
  return key ? t(lang, key) : taskTitle(task, lang);
}

function reasonIn(c: Case, lang: Locale): string {
  return c.conversation.reason ? reasonText(c, { say: translator(lang) }) : t(lang, 'letter.reasonTbd');
}

function referralLine(c: Case, lang: Locale): string | null {
  const parts = c.referrals.map((r) => {
    if (r.kind === 'agency') return t(lang, 'letter.referral.agency');
    if (r.kind === 'specialist') return t(lang, 'letter.referral.specialist', { field: r.detail ?? '…' });
    return t(lang, 'letter.referral.colleague', { name: r.detail ?? '…' });
  });
  return parts.length ? parts.join(' ') : null;
}

/**
 * The written notice, drafted from the case in the client's language with formal address.
 * Plain text, ready to paste into an email.
 */
export function draftLetter(c: Case, lang: Locale): string {
  const say = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t(lang, key, params);
  const lastDay = c.notice.lastDay ? formatDate(lang, c.notice.lastDay) : say('letter.lastDayTbd');
  const blocks: string[] = [say('letter.greeting'), say('letter.thanks'), say('letter.decision', { reason: reasonIn(c, lang), lastDay })];

  const toDeliver = c.tasks.filter(promised);
  if (toDeliver.length) {
    const lines = toDeliver.map((x) => `- ${itemIn(x, lang)}: ${formatDate(lang, x.due)}`);
    blocks.push(`${say('letter.deliverables')}\n${lines.join('\n')}`);
  }
  const owed = c.contract.invoices.filter((i) => !i.paid);
  if (owed.length) {
    const lines = owed.map((i) => `- ${formatMoney(lang, i.amount, i.currency)}, ${say('letter.due', { date: formatDate(lang, i.dueDate) })}`);
    blocks.push(`${say('letter.payments')}\n${lines.join('\n')}`);
  }
  const handover = c.tasks.filter((x) => HANDED_OVER_KINDS.has(x.kind));
  if (handover.length) {
    blocks.push(`${say('letter.handover')}\n${handover.map((x) => `- ${itemIn(x, lang)}`).join('\n')}`);
  }
  const referral = referralLine(c, lang);
  if (referral) blocks.push(referral);
  blocks.push(say('letter.reference'));
  blocks.push(say('letter.closing'));
  return `${say('letter.subject')}\n\n${blocks.join('\n\n')}\n`;
}

export function letterFilename(c: Case, lang: Locale): string {
  const slug = c.client
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 40)
    .toLowerCase();
  return `notice-${slug || 'client'}-${lang}.txt`;
}
