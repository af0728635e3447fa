import { fileBytes, showsInline, type Reply } from '../../src/model/reply.js';
import { checklistRows, choiceRows, formRows, inputRows, multiRows, type Owner } from './components.js';
import { fit, LIMITS, splitText } from './limits.js';
import type { DiscordMessage, MessageRow } from './message.js';

type FormReply = Extract<Reply, { kind: 'form' }>;

export interface RenderOptions {
  /** Told of every form rendered, so its modal can be built when the button is clicked. */
  onForm?: (form: FormReply) => void;
}

const TONE_MARK: Readonly<Record<string, string>> = { error: '⚠️ ', warning: '⚠️ ', success: '✅ ' };

// Discord's small grey "subtext" line: for hints that are not the question itself.
const subtext = (s: string) => s.split('\n').map((line) => `-# ${line}`).join('\n');

function checklistText(r: Extract<Reply, { kind: 'checklist' }>): string {
  const lines = r.items.map((it, i) => `${i + 1}. ${it.done ? '✅' : '⬜'} ${it.label}${it.due ? ` · ${it.due}` : ''}`);
  return [`**${r.title}**`, ...lines].join('\n');
}

/** The text and the widgets of one interactive reply. */
function interactive(r: Exclude<Reply, { kind: 'text' | 'file' }>, owner: Owner): { text: string; rows: MessageRow[] } {
  switch (r.kind) {
    case 'choices':
      return { text: r.text, rows: choiceRows(r, owner) };
    case 'multi': {
      // Only what does not fit in one dropdown needs the typed way spelled out.
      const hint = r.options.length > LIMITS.selectOptions ? `\n${subtext(r.typedHint)}` : '';
      return { text: `${r.text}${hint}`, rows: multiRows(r, owner) };
    }
    case 'checklist':
      return { text: checklistText(r), rows: checklistRows(r, owner) };
    case 'input':
      return { text: `${r.text}\n${subtext(r.accepts)}`, rows: inputRows(r, owner) };
    case 'form':
      return { text: `**${r.title}**`, rows: formRows(r, owner) };
  }
}

/**
 * A turn's replies as Discord messages: text runs into the next question's message; every
 * question gets its own message so its buttons sit right under it; the letter comes as an
 * embed (when it fits) and as a file attachment. Long text is split, never cut.
 */
export function renderReplies(replies: readonly Reply[], owner: Owner, options: RenderOptions = {}): DiscordMessage[] {
  const out: DiscordMessage[] = [];
  let pending: string[] = [];
  const emit = (text: string, last: Omit<DiscordMessage, 'content'> = {}) => {
    const pieces = splitText(text);
    pieces.forEach((content, i) => out.push(i === pieces.length - 1 ? { content, ...last } : { content }));
  };
  const flush = () => {
    if (pending.length) emit(pending.join('\n\n'));
    pending = [];
  };
  for (const r of replies) {
    if (r.kind === 'text') {
      pending.push(`${r.tone ? (TONE_MARK[r.tone] ?? '') : ''}${r.text}`);
      continue;
    }
    if (r.kind === 'file') {
      const heading = `**${r.title}**`;
      const file = { name: r.filename, contentType: r.mime, data: fileBytes(r) };
      const inline = showsInline(r);
      const embeds = inline && r.content.length <= LIMITS.embedDescription ? [{ title: fit(r.title, LIMITS.embedTitle), description: r.content }] : undefined;
      // The embed carries the title; too long for one, the text itself goes, split, then the file.
      // A file only attached (a calendar, a PDF) comes under its title.
      if (!embeds) pending.push(...(inline ? [heading, r.content] : [heading]));
      emit(pending.join('\n\n'), embeds ? { embeds, files: [file] } : { files: [file] });
      pending = [];
      continue;
    }
    if (r.kind === 'form') options.onForm?.(r);
    const { text, rows } = interactive(r, owner);
    emit([...pending, text].join('\n\n'), { components: rows });
    pending = [];
  }
  flush();
  return out;
}
