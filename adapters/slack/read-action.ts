import type { Inbound } from '../../src/model/inbound.js';
import { HOME_QUESTION, homeInbound } from '../../src/engine/overview.js';
import { ACTION, readBlockId, readCheckActionId, type BlockRef } from './refs.js';

interface SelectedOption {
  value: string;
  text?: { text: string };
}

/** The parts of a `block_actions` action this adapter reads. */
export interface ActionPayload {
  action_id: string;
  block_id?: string;
  value?: string | null;
  text?: { text: string };
  selected_option?: SelectedOption | null;
  selected_options?: SelectedOption[];
  selected_date?: string | null;
  selected_time?: string | null;
}

/** `state.values` of the message the action came from: block id → action id → value. */
export type ActionState = Record<string, Record<string, Omit<ActionPayload, 'action_id'>>>;

export type ActionOutcome =
  /** `answered`: what the user picked, to show in place of the buttons they clicked. */
  | { kind: 'inbound'; inbound: Inbound; answered: string }
  | { kind: 'openForm'; key: string; ref: BlockRef }
  /** A widget that only prepares an answer (a ticked box before "Submit", a picked date before "Use"). */
  | { kind: 'ignore' }
  | { kind: 'notYours' }
  | { kind: 'incomplete' }
  /** Not one of ours, or mangled. */
  | { kind: 'unknown' };

function answerTo(ref: BlockRef, kind: 'choice' | 'date', value: string): Inbound {
  const base = { question: ref.question, value };
  return ref.caseId ? { kind, caseId: ref.caseId, ...base } : { kind, ...base };
}

interface ShownBlock {
  block_id?: string;
  elements?: { action_id?: string; options?: SelectedOption[] }[];
}

/** The label an option had in the blocks the user clicked in (Slack sends only the selected ones). */
function shownLabel(shown: readonly unknown[] | undefined, action: ActionPayload, value: string): string | undefined {
  const block = (shown as ShownBlock[] | undefined)?.find((b) => b?.block_id === action.block_id);
  const element = block?.elements?.find((e) => e.action_id === action.action_id);
  return element?.options?.find((o) => o.value === value)?.text?.text;
}

/**
 * Turns a click, a pick or a typed field into an `Inbound`, refusing anyone but the owner.
 * `shown`: the blocks of the message or view clicked in, for the labels of what was unticked.
 * `previous`: for checkboxes, the selection the last click in the same checkboxes reported.
 */
export function readAction(action: ActionPayload, state: ActionState | undefined, clicker: string, shown?: readonly unknown[], previous?: readonly string[]): ActionOutcome {
  const ref = readBlockId(action.block_id);
  if (!ref) return { kind: 'unknown' };
  if (ref.owner !== clicker) return { kind: 'notYours' };
  const id = action.action_id;
  const here = state?.[action.block_id ?? ''] ?? {};

  if (id.startsWith(`${ACTION.choice}.`) || id === ACTION.select) {
    const value = action.value ?? action.selected_option?.value;
    if (!value) return { kind: 'ignore' };
    const answered = action.text?.text ?? action.selected_option?.text?.text ?? value;
    // Dashboard buttons stand for commands ("status Acme"): an ordinary command turn.
    const inbound = ref.question === HOME_QUESTION ? homeInbound(value) : answerTo(ref, 'choice', value);
    return { kind: 'inbound', inbound, answered };
  }
  if (id === ACTION.multi) {
    const picked = here[ACTION.pick]?.selected_options ?? [];
    const values = picked.map((o) => o.value);
    const inbound: Inbound = ref.caseId ? { kind: 'multi', caseId: ref.caseId, question: ref.question, values } : { kind: 'multi', question: ref.question, values };
    return { kind: 'inbound', inbound, answered: picked.map((o) => o.text?.text ?? o.value).join(', ') };
  }
  const check = readCheckActionId(id);
  if (check) {
    // Checkboxes report the whole selection; what changed is the difference with what was shown,
    // or with the selection of the previous click in the same checkboxes (`previous`, when known).
    const selected = (action.selected_options ?? []).map((o) => o.value);
    const before = previous ?? check.doneIds;
    const ticked = selected.find((v) => !before.includes(v));
    const unticked = before.find((v) => !selected.includes(v));
    if (ticked) {
      const label = action.selected_options?.find((o) => o.value === ticked)?.text?.text ?? ticked;
      return { kind: 'inbound', inbound: answerTo(ref, 'choice', `done:${ticked}`), answered: `☑ ${label}` };
    }
    if (unticked) {
      const label = shownLabel(shown, action, unticked) ?? unticked;
      return { kind: 'inbound', inbound: answerTo(ref, 'choice', `undo:${unticked}`), answered: `☐ ${label}` };
    }
    return { kind: 'ignore' };
  }
  switch (id) {
    case ACTION.pick:
    case ACTION.dateOfWhen:
    case ACTION.timeOfWhen:
      return { kind: 'ignore' };
    case ACTION.date: {
      const date = action.selected_date;
      return date ? { kind: 'inbound', inbound: answerTo(ref, 'date', date), answered: date } : { kind: 'ignore' };
    }
    case ACTION.when: {
      const date = here[ACTION.dateOfWhen]?.selected_date;
      const time = here[ACTION.timeOfWhen]?.selected_time;
      if (!date || !time) return { kind: 'incomplete' };
      // Picked in the user's own wall-clock time; the engine reads it in their zone.
      return { kind: 'inbound', inbound: answerTo(ref, 'date', `${date} ${time}`), answered: `${date} ${time}` };
    }
    case ACTION.text:
    case ACTION.skip: {
      const text = id === ACTION.skip ? 'skip' : (action.value ?? '').trim();
      if (!text) return { kind: 'ignore' };
      const inbound: Inbound = ref.caseId ? { kind: 'text', text, caseId: ref.caseId, question: ref.question } : { kind: 'text', text, question: ref.question };
      return { kind: 'inbound', inbound, answered: id === ACTION.skip ? (action.text?.text ?? text) : text };
    }
    case ACTION.form:
      return action.value ? { kind: 'openForm', key: action.value, ref } : { kind: 'unknown' };
    default:
      return { kind: 'unknown' };
  }
}
