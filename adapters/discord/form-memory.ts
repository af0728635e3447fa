import type { Reply } from '../../src/model/reply.js';

type FormReply = Extract<Reply, { kind: 'form' }>;

interface Entry {
  form: FormReply;
  /** Answers from the parts already submitted, when a form spans several modals. */
  values: Record<string, string>;
}

// Enough for every conversation in flight; the oldest go first.
const KEEP = 10_000;

/**
 * The forms this process has shown, so a click on "Fill in" can open the right modal: a
 * button carries only 100 characters, not a form's labels. After a restart a form is no
 * longer known and the user is asked to type the answer instead.
 */
export class FormMemory {
  private readonly entries = new Map<string, Entry>();

  private key(owner: string, caseId: string | undefined, question: string): string {
    return `${owner}|${caseId ?? ''}|${question}`;
  }

  remember(owner: string, form: FormReply): void {
    const key = this.key(owner, form.ref.caseId, form.ref.question);
    this.entries.delete(key);
    this.entries.set(key, { form, values: {} });
    if (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value ?? '');
  }

  get(owner: string, caseId: string | undefined, question: string): Entry | undefined {
    return this.entries.get(this.key(owner, caseId, question));
  }

  /** Keeps one part's answers; returns every answer so far. */
  addValues(owner: string, caseId: string | undefined, question: string, values: Record<string, string>): Record<string, string> {
    const entry = this.get(owner, caseId, question);
    if (!entry) return values;
    entry.values = { ...entry.values, ...values };
    return entry.values;
  }

  /** A submitted form starts empty again if it is shown again (say, after a refused answer). */
  clearValues(owner: string, caseId: string | undefined, question: string): void {
    const entry = this.get(owner, caseId, question);
    if (entry) entry.values = {};
  }
}
