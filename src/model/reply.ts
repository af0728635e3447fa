/** Platform-neutral output. Adapters decide how each kind looks; all text is already localized. */

/** Where an answer goes back to: the case (if any) and the question the engine asked. */
export interface QuestionRef {
  caseId?: string;
  question: string;
}

export interface Option {
  value: string;
  label: string;
  /** A hint for platforms that colour buttons. */
  style?: 'primary' | 'danger';
}

export type InputType = 'text' | 'date' | 'datetime' | 'number';

export interface FormField {
  id: string;
  label: string;
  input: InputType;
  optional?: boolean;
  placeholder?: string;
  /** Pre-filled value, e.g. when renaming a task. */
  value?: string;
  multiline?: boolean;
}

export interface ChecklistItem {
  id: string;
  label: string;
  done: boolean;
  /** Localized due date, when there is one. */
  due?: string;
}

export type Reply =
  | { kind: 'text'; text: string; tone?: 'info' | 'warning' | 'success' | 'error' }
  | {
      kind: 'choices';
      ref: QuestionRef;
      text: string;
      options: Option[];
      /** The number of the first option when it continues an earlier list of the same turn. */
      numberFrom?: number;
    }
  | {
      kind: 'multi';
      ref: QuestionRef;
      text: string;
      options: Option[];
      numberFrom?: number;
      selected?: string[];
      submitLabel: string;
      /** How to pick several when typing rather than clicking (console, DMs). */
      typedHint: string;
    }
  | { kind: 'checklist'; ref: QuestionRef; title: string; items: ChecklistItem[]; actions: Option[] }
  | {
      kind: 'input';
      ref: QuestionRef;
      text: string;
      input: InputType;
      /** Localized description of what is accepted (date forms, a number range). */
      accepts: string;
      optional?: boolean;
    }
  | {
      kind: 'form';
      ref: QuestionRef;
      title: string;
      fields: FormField[];
      submitLabel: string;
      /** The question also takes the whole answer as one typed line (e.g. "1200 EUR 15.12.2026"). */
      typedLine?: boolean;
    }
  | {
      kind: 'file';
      filename: string;
      mime: string;
      title: string;
      /** The text itself, or the bytes in base64 when `encoding` says so (a PDF). */
      content: string;
      encoding?: 'base64';
      /** Only attached, never shown as text in the chat (a calendar file, an export). */
      attachOnly?: true;
    };

export type ReplyKind = Reply['kind'];

export type FileReply = Extract<Reply, { kind: 'file' }>;

/** The bytes of a produced file, whatever its encoding. */
export function fileBytes(file: FileReply): Buffer {
  return Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8');
}

/** A letter or a drafted reply is shown in full to copy; an export or a PDF is only attached. */
export const showsInline = (file: FileReply): boolean => file.encoding !== 'base64' && !file.attachOnly;
