import { parseTyped } from '../../src/engine/parse-command.js';
import type { ProfileHints } from '../../src/engine/new-records.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { FormField, Reply } from '../../src/model/reply.js';
import type { UserRef } from '../../src/model/user.js';
import type { Locale } from '../../src/model/settings.js';
import { t } from '../../src/i18n/translate.js';
import type { MessageKey, Params } from '../../src/i18n/types.js';
import { TurnAbandoned, type Turns } from './patient-turns.js';
import type { ConsoleFiles } from './files.js';
import { fieldPrompt, renderReply, type Style } from './render.js';

// Digits with group and decimal separators only: an amount, even with spaces in it.
const AMOUNT_ONLY = /^\d[\d\s.,'’\u00a0\u202f]*$/u;

interface OpenForm {
  caseId?: string;
  form: string;
  fields: FormField[];
  values: Record<string, string>;
  typedLine: boolean;
}

/**
 * One console conversation: typed lines in, rendered replies out. Forms are asked one field
 * at a time, then submitted whole, as a modal would.
 */
export class ConsoleSession {
  private form: OpenForm | null = null;
  private locale: Locale;
  /** Said just before the next replies: "storage is back" goes with the first answer after an outage. */
  private owed: MessageKey | null = null;

  constructor(
    private readonly engine: Turns,
    private readonly user: UserRef,
    private readonly hints: ProfileHints,
    private readonly write: (text: string) => void,
    private readonly style: Style,
    /** Piped (no prompt line): print each form field's label so the transcript reads right. */
    private readonly announceFields = false,
    /** Where the letter and other files are written; without it they are only shown. */
    private readonly files: ConsoleFiles | null = null,
  ) {
    this.locale = hints.locale ?? 'en';
  }

  /** What to show before the next line: the field being asked, if a form is open. */
  pendingPrompt(): string | null {
    if (!this.form) return null;
    const next = this.form.fields[Object.keys(this.form.values).length];
    return next ? fieldPrompt(next, this.style) : null;
  }

  async line(raw: string): Promise<void> {
    if (this.form) return this.formLine(raw);
    await this.send(parseTyped(raw));
  }

  async send(inbound: Inbound): Promise<void> {
    try {
      const result = await this.engine.handle({ user: this.user, inbound, hints: this.hints });
      this.locale = result.locale;
      this.show(result.replies);
    } catch (err) {
      // The console is closing during an outage: it says so itself, once, for every such line.
      if (err instanceof TurnAbandoned) return;
      // One failed turn must not end the session; nothing was saved for it.
      this.write(this.style.tone(t(this.locale, 'common.internalError'), 'error'));
      process.stderr.write(`offboard: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  /** A line of the bot's own about itself (storage away, back), in the user's language. */
  tell(key: MessageKey, params: Params = {}, tone: 'info' | 'warning' = 'info'): void {
    this.write(this.style.tone(t(this.locale, key, params), tone));
  }

  /** Says `key` right before the next replies, whichever turn (or reminder) they come from. */
  owe(key: MessageKey): void {
    this.owed = key;
  }

  /** Says what is owed now (`now`), or drops it because nothing is waiting for it any more. */
  settleOwed(now: boolean): void {
    const key = this.owed;
    this.owed = null;
    if (key && now) this.tell(key);
  }

  /** Something the bot says on its own (a reminder): shown like a turn's replies. */
  notify(replies: Reply[], locale: Locale): void {
    this.locale = locale;
    this.show(replies);
  }

  private async formLine(raw: string): Promise<void> {
    const form = this.form as OpenForm;
    const typed = parseTyped(raw);
    // A command typed mid-form leaves the form, like closing a modal. A command word of the
    // user's language followed by words ("Durum raporu gönder") is a value here, not a command.
    if (typed.kind === 'command' && !typed.local) {
      this.form = null;
      return this.send(typed);
    }
    const field = form.fields[Object.keys(form.values).length];
    if (!field) return;
    // "1200 EUR 15.12.2026" typed at a field is the whole answer on one line, but not an amount
    // with spaces between its groups ("1 200,50", as the French prompt shows it), and not a date
    // ("demain 14h").
    const wholeLine = /\s/.test(raw.trim()) && !AMOUNT_ONLY.test(raw.trim()) && field.input !== 'date';
    if (form.typedLine && wholeLine) {
      this.form = null;
      return this.send(form.caseId ? { kind: 'text', text: raw, caseId: form.caseId, question: form.form } : { kind: 'text', text: raw, question: form.form });
    }
    form.values[field.id] = raw.trim() || field.value || '';
    if (Object.keys(form.values).length < form.fields.length) {
      this.announceNextField();
      return;
    }
    this.form = null;
    const inbound: Inbound = form.caseId
      ? { kind: 'submit', caseId: form.caseId, form: form.form, fields: form.values }
      : { kind: 'submit', form: form.form, fields: form.values };
    await this.send(inbound);
  }

  /** The path the file was written to; when it can't be written, it is still shown in full. */
  private saveFile(r: Extract<Reply, { kind: 'file' }>): string | undefined {
    if (!this.files) return undefined;
    try {
      return this.files.save(r);
    } catch (err) {
      process.stderr.write(`offboard: could not write ${r.filename}: ${err instanceof Error ? err.message : String(err)}\n`);
      return undefined;
    }
  }

  private announceNextField(): void {
    const prompt = this.pendingPrompt();
    if (this.announceFields && prompt) this.write(prompt.trimEnd());
  }

  private show(replies: Reply[]): void {
    if (replies.length > 0) this.settleOwed(true);
    let formShown = false;
    for (const r of replies) {
      this.write(renderReply(r, this.style, r.kind === 'file' ? this.saveFile(r) : undefined));
      if (r.kind === 'form') {
        const typedLine = r.typedLine ?? false;
        this.form = r.ref.caseId
          ? { caseId: r.ref.caseId, form: r.ref.question, fields: r.fields, values: {}, typedLine }
          : { form: r.ref.question, fields: r.fields, values: {}, typedLine };
        formShown = true;
      }
    }
    // After the whole reply (the form's own hint text comes after it), the first field.
    if (formShown) this.announceNextField();
  }
}
