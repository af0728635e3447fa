import {
  ButtonStyle,
  ComponentType,
  type APIButtonComponentWithCustomId,
  type APISelectMenuOption,
  type APIStringSelectComponent,
} from 'discord.js';
import { t } from '../../src/i18n/translate.js';
import type { Option, QuestionRef, Reply } from '../../src/model/reply.js';
import type { Locale } from '../../src/model/settings.js';
import { encodeId, type ComponentKind } from './custom-id.js';
import { fit, LIMITS } from './limits.js';
import type { MessageRow } from './message.js';

/** Whose message this is and in which language its widgets speak. */
export interface Owner {
  /** The Discord user id of the person the message is for. */
  id: string;
  locale: Locale;
}

type Of<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

// More options than this read better as a dropdown than as a wall of buttons.
const MAX_BUTTONS = 10;

function id(owner: Owner, ref: QuestionRef, kind: ComponentKind, value = ''): string {
  return encodeId({ kind, owner: owner.id, locale: owner.locale, question: ref.question, value, ...(ref.caseId ? { caseId: ref.caseId } : {}) });
}

function buttonStyle(o: Option): ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary {
  return o.style === 'primary' ? ButtonStyle.Primary : o.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary;
}

function button(customId: string, label: string, style: APIButtonComponentWithCustomId['style']): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: customId, label: fit(label, LIMITS.buttonLabel), style };
}

function rowsOf(buttons: APIButtonComponentWithCustomId[]): MessageRow[] {
  const rows: MessageRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

function selectOption(value: string, label: string, extra: Partial<APISelectMenuOption> = {}): APISelectMenuOption {
  return { value: value.slice(0, LIMITS.selectOptionValue), label: fit(label, LIMITS.selectOptionLabel), ...extra };
}

/** Selects of at most 25 options each, one per row, as many as fit beside `reservedRows`. */
function selects(options: APISelectMenuOption[], customId: (part: number) => string, placeholder: string, reservedRows: number, multi: boolean): MessageRow[] {
  const rows: MessageRow[] = [];
  for (let at = 0, part = 0; at < options.length && rows.length < LIMITS.rowsPerMessage - reservedRows; at += LIMITS.selectOptions, part++) {
    const chunk = options.slice(at, at + LIMITS.selectOptions);
    const select: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id: customId(part),
      placeholder: fit(placeholder, LIMITS.selectPlaceholder),
      options: chunk,
      min_values: multi ? 0 : 1,
      max_values: multi ? chunk.length : 1,
    };
    rows.push({ type: ComponentType.ActionRow, components: [select] });
  }
  return rows;
}

/** Buttons for a few short options; a dropdown for many or long ones. */
export function choiceRows(r: Of<'choices'>, owner: Owner): MessageRow[] {
  const asButtons = r.options.length <= MAX_BUTTONS && r.options.every((o) => o.label.length <= LIMITS.buttonLabel);
  if (asButtons) return rowsOf(r.options.map((o) => button(id(owner, r.ref, 'choice', o.value), o.label, buttonStyle(o))));
  const options = r.options.map((o) => selectOption(o.value, o.label));
  return selects(options, (part) => id(owner, r.ref, 'select', String(part)), t(owner.locale, 'discord.pick'), 0, false);
}

/**
 * A multi-select (what is picked is sent as soon as the dropdown closes) and a button that
 * confirms what is shown as selected, which is also how "none of these" is said.
 */
export function multiRows(r: Of<'multi'>, owner: Owner): MessageRow[] {
  const chosen = new Set(r.selected ?? []);
  const options = r.options.slice(0, LIMITS.selectOptions).map((o) => selectOption(o.value, o.label, chosen.has(o.value) ? { default: true } : {}));
  return [
    ...selects(options, () => id(owner, r.ref, 'multi'), t(owner.locale, 'discord.pickSeveral'), 1, true),
    ...rowsOf([button(id(owner, r.ref, 'multiKeep'), r.submitLabel, ButtonStyle.Primary)]),
  ];
}

/** A dropdown that ticks or unticks one task, and the list's own actions as buttons. */
export function checklistRows(r: Of<'checklist'>, owner: Owner): MessageRow[] {
  const actions = r.actions.slice(0, LIMITS.buttonsPerRow).map((o) => button(id(owner, r.ref, 'choice', o.value), o.label, buttonStyle(o)));
  const items = r.items.map((it, i) =>
    selectOption(`toggle:${it.id}`, `${i + 1}. ${it.label}`, {
      emoji: { name: it.done ? '✅' : '⬜' },
      ...(it.due ? { description: fit(it.due, LIMITS.selectOptionDescription) } : {}),
    }),
  );
  const reserved = actions.length ? 1 : 0;
  return [...selects(items, (part) => id(owner, r.ref, 'select', String(part)), t(owner.locale, 'discord.checklist.pick'), reserved, false), ...rowsOf(actions)];
}

/** A button that opens a one-field modal; typing the answer in a DM works as well. */
export function inputRows(r: Of<'input'>, owner: Owner): MessageRow[] {
  const kind = `${r.input}${r.optional ? '?' : ''}`;
  return rowsOf([button(id(owner, r.ref, 'answer', kind), t(owner.locale, 'discord.answer'), ButtonStyle.Primary)]);
}

/** A button that opens the form's modal (its first part, when it needs several). */
export function formRows(r: Of<'form'>, owner: Owner): MessageRow[] {
  return rowsOf([button(id(owner, r.ref, 'form', '0'), t(owner.locale, 'discord.form.open'), ButtonStyle.Primary)]);
}

/** The button that opens part `part` of a form split over several modals. */
export function formPartRows(ref: QuestionRef, owner: Owner, part: number): MessageRow[] {
  return rowsOf([button(id(owner, ref, 'form', String(part)), t(owner.locale, 'common.next'), ButtonStyle.Primary)]);
}
