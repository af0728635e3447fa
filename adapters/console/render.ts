import { showsInline, type FormField, type Reply } from '../../src/model/reply.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  tone(s: string, tone: 'info' | 'warning' | 'success' | 'error' | undefined): string;
}

const ESC = '\u001b[';
export const ansi: Style = {
  bold: (s) => `${ESC}1m${s}${ESC}22m`,
  dim: (s) => `${ESC}2m${s}${ESC}22m`,
  tone: (s, tone) => {
    const code = tone === 'error' ? 31 : tone === 'warning' ? 33 : tone === 'success' ? 32 : 0;
    return code ? `${ESC}${code}m${s}${ESC}39m` : s;
  },
};
export const plain: Style = { bold: (s) => s, dim: (s) => s, tone: (s) => s };

const numbered = (labels: string[], from = 1) => labels.map((l, i) => `  ${i + from}) ${l}`);

/** One reply as console text. Forms are asked field by field by the session, not here. */
export function renderReply(r: Reply, st: Style, savedAs?: string): string {
  switch (r.kind) {
    case 'text':
      return st.tone(r.text, r.tone);
    case 'choices':
      return [r.text, ...numbered(r.options.map((o) => o.label), r.numberFrom)].join('\n');
    case 'multi': {
      const chosen = new Set(r.selected ?? []);
      const from = r.numberFrom ?? 1;
      const lines = r.options.map((o, i) => `  ${i + from}) ${chosen.has(o.value) ? '[x] ' : ''}${o.label}`);
      return [r.text, ...lines, st.dim(`  (${r.typedHint})`)].join('\n');
    }
    case 'checklist': {
      const items = r.items.map((it, i) => `  ${i + 1}. [${it.done ? 'x' : ' '}] ${it.label}${it.due ? st.dim(` — ${it.due}`) : ''}`);
      return [st.bold(r.title), ...items].join('\n');
    }
    case 'input':
      return `${r.text}\n${st.dim(`  (${r.accepts})`)}`;
    case 'form':
      return st.bold(r.title);
    case 'file': {
      if (!showsInline(r)) return `${st.bold(r.title)} ${st.dim(`(${savedAs ?? r.filename})`)}`;
      const rule = '─'.repeat(60);
      // The label is where the file was written, when it was (the session writes it first).
      return `${st.bold(r.title)} ${st.dim(`(${savedAs ?? r.filename})`)}\n${rule}\n${r.content.trimEnd()}\n${rule}`;
    }
  }
}

export function fieldPrompt(f: FormField, st: Style): string {
  const hint = f.value ? ` [${f.value}]` : f.placeholder ? st.dim(` (${f.placeholder})`) : '';
  return `${f.label}${hint}: `;
}
