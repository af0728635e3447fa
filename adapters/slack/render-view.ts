import type { types } from '@slack/bolt';
import type { FormField, QuestionRef, Reply } from '../../src/model/reply.js';
import type { Translator } from '../../src/i18n/translate.js';
import { BLOCK_KIT } from './limits.js';
import { FORM_CALLBACK } from './refs.js';
import { replyBlocks, type RenderContext } from './render.js';
import { shorten } from './text.js';

type FormReply = Extract<Reply, { kind: 'form' }>;

/** What a modal carries back on submission: which question it answers and for whom. */
export interface FormMetadata {
  owner: string;
  ref: QuestionRef;
}

const FIELD_BLOCK = 'f|';
const FIELD_ACTION = 'value';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: shorten(text, max) || '…', emoji: true });

function fieldBlock(f: FormField): types.InputBlock {
  const initial = f.value ?? '';
  const placeholder = f.placeholder ? plain(f.placeholder, BLOCK_KIT.placeholder) : undefined;
  const element: types.InputBlockElement =
    f.input === 'date'
      ? { type: 'datepicker', action_id: FIELD_ACTION, ...(ISO_DATE.test(initial) ? { initial_date: initial } : {}) }
      : {
          type: 'plain_text_input',
          action_id: FIELD_ACTION,
          max_length: BLOCK_KIT.inputValue,
          ...(f.multiline ? { multiline: true } : {}),
          ...(initial ? { initial_value: initial.slice(0, BLOCK_KIT.inputValue) } : {}),
          ...(placeholder ? { placeholder } : {}),
        };
  return {
    type: 'input',
    block_id: `${FIELD_BLOCK}${f.id}`,
    label: plain(f.label, BLOCK_KIT.inputLabel),
    optional: f.optional ?? false,
    element,
  };
}

/**
 * A form as a modal. `notes` (why the last try was refused) come first; `values` refill
 * what the user typed, so a refused form is corrected rather than typed again.
 */
export function formModal(form: FormReply, meta: FormMetadata, say: Translator, notes: string[] = [], values: Record<string, string> = {}): types.ModalView {
  const noteBlocks: types.KnownBlock[] = notes.map((n) => ({ type: 'section', text: { type: 'mrkdwn', text: shorten(`:x: ${n}`, BLOCK_KIT.sectionText) } }));
  const fields = form.fields.map((f) => fieldBlock(values[f.id] !== undefined ? { ...f, value: values[f.id] as string } : f));
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    private_metadata: JSON.stringify(meta).slice(0, BLOCK_KIT.privateMetadata),
    title: plain(form.title, BLOCK_KIT.modalTitle),
    submit: plain(form.submitLabel, BLOCK_KIT.modalButton),
    close: plain(say('slack.close'), BLOCK_KIT.modalButton),
    blocks: [...noteBlocks, ...fields].slice(0, BLOCK_KIT.blocksPerView),
  };
}

export function readFormMetadata(raw: string | undefined): FormMetadata | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<FormMetadata>;
    if (typeof v.owner !== 'string' || typeof v.ref?.question !== 'string') return null;
    const ref: QuestionRef = typeof v.ref.caseId === 'string' ? { caseId: v.ref.caseId, question: v.ref.question } : { question: v.ref.question };
    return { owner: v.owner, ref };
  } catch {
    return null;
  }
}

/** The shape of `view.state.values` Slack sends; only what is read here. */
export type StateValues = Record<string, Record<string, { value?: string | null; selected_date?: string | null }>>;

/** The submitted fields, keyed by field id; an empty optional field is ''. */
export function readFormValues(values: StateValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [block, actions] of Object.entries(values)) {
    if (!block.startsWith(FIELD_BLOCK)) continue;
    const v = actions[FIELD_ACTION];
    out[block.slice(FIELD_BLOCK.length)] = (v?.value ?? v?.selected_date ?? '').trim();
  }
  return out;
}

/** The App Home tab: the engine's dashboard replies, within a view's 100 blocks. */
export function homeView(replies: readonly Reply[], ctx: RenderContext): types.HomeView {
  const blocks: types.KnownBlock[] = [];
  replies.forEach((r, i) => {
    const own = replyBlocks(r, ctx, i);
    if (blocks.length + own.length + 1 > BLOCK_KIT.blocksPerView) return;
    if (blocks.length) blocks.push({ type: 'divider' });
    blocks.push(...own);
  });
  return { type: 'home', blocks };
}
