import {
  ComponentType,
  TextInputStyle,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
} from 'discord.js';
import { t } from '../../src/i18n/translate.js';
import type { FormField, InputType, Reply } from '../../src/model/reply.js';
import type { MessageKey } from '../../src/i18n/types.js';
import { encodeId, type ComponentId } from './custom-id.js';
import { fit, LIMITS } from './limits.js';

type FormReply = Extract<Reply, { kind: 'form' }>;
type Modal = APIModalInteractionResponseCallbackData;

/** The one text field of an answer modal. */
export const ANSWER_FIELD = 'v';

const ANSWER_LABEL: Readonly<Record<InputType, MessageKey>> = {
  text: 'discord.answer.text',
  date: 'discord.answer.date',
  datetime: 'discord.answer.datetime',
  number: 'discord.answer.number',
};
const SHORT_INPUT = 200;

function labelled(label: string, input: APITextInputComponent, description?: string): APILabelComponent {
  const base: APILabelComponent = { type: ComponentType.Label, label: fit(label, LIMITS.textInputLabel), component: input };
  return description ? { ...base, description: fit(description, LIMITS.textInputDescription) } : base;
}

/** Reads the input type and optional flag that an `answer` button carries. */
export function parseAnswerKind(value: string): { input: InputType; optional: boolean } | null {
  const input = value.replace(/\?$/, '');
  if (input !== 'text' && input !== 'date' && input !== 'datetime' && input !== 'number') return null;
  return { input, optional: value.endsWith('?') };
}

/**
 * The modal behind an input question's button. What the engine accepts is shown under the
 * label; the engine parses and validates the answer exactly as if it had been typed.
 */
export function answerModal(button: ComponentId, accepts?: string): Modal | null {
  const kind = parseAnswerKind(button.value);
  if (!kind) return null;
  const input: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: ANSWER_FIELD,
    style: kind.input === 'text' ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: !kind.optional,
    max_length: kind.input === 'text' ? LIMITS.textInputValue : SHORT_INPUT,
  };
  return {
    custom_id: encodeId({ ...button, kind: 'answerModal' }),
    title: fit(t(button.locale, 'discord.answer.title'), LIMITS.modalTitle),
    components: [labelled(t(button.locale, ANSWER_LABEL[kind.input]), input, accepts)],
  };
}

/** A form's fields in modal-sized parts (Discord allows five inputs per modal). */
export function formParts(form: FormReply): FormField[][] {
  const parts: FormField[][] = [];
  for (let i = 0; i < form.fields.length; i += LIMITS.modalComponents) parts.push(form.fields.slice(i, i + LIMITS.modalComponents));
  return parts;
}

function fieldInput(f: FormField): APILabelComponent {
  const input: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: f.id,
    style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: !f.optional,
    max_length: f.multiline || f.input === 'text' ? LIMITS.textInputValue : SHORT_INPUT,
    ...(f.placeholder ? { placeholder: fit(f.placeholder, LIMITS.textInputPlaceholder) } : {}),
    ...(f.value ? { value: fit(f.value, LIMITS.textInputValue) } : {}),
  };
  // A placeholder too long for the box is shown in full as the label's description instead.
  const long = f.placeholder && f.placeholder.length > LIMITS.textInputPlaceholder ? f.placeholder : undefined;
  return labelled(f.label, input, long);
}

/** Part `part` of a form as a modal; the title counts the parts when there are several. */
export function formModal(button: ComponentId, form: FormReply, part: number): Modal | null {
  const parts = formParts(form);
  const fields = parts[part];
  if (!fields) return null;
  const counter = parts.length > 1 ? ` (${part + 1}/${parts.length})` : '';
  return {
    custom_id: encodeId({ ...button, kind: 'formModal', value: String(part) }),
    title: `${fit(form.title, LIMITS.modalTitle - counter.length)}${counter}`,
    components: fields.map(fieldInput),
  };
}
