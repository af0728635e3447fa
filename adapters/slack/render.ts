import type { types } from '@slack/bolt';
import { showsInline, type ChecklistItem, type Option, type Reply } from '../../src/model/reply.js';
import type { Translator } from '../../src/i18n/translate.js';
import { BLOCK_KIT } from './limits.js';
import { ACTION, blockId, checkActionId } from './refs.js';
import { chunk, mrkdwn, shorten } from './text.js';

type Block = types.KnownBlock;
type FormReply = Extract<Reply, { kind: 'form' }>;

/** What a message is made of: the fallback text (notifications, screen readers) and blocks. */
export interface RenderedMessage {
  text: string;
  blocks: Block[];
}

export interface RenderContext {
  /** The Slack user id the buttons are for; a click by anyone else is refused. */
  owner: string;
  say: Translator;
  /** The key under which a form's fields were stored, for its "Fill in" button. */
  formKey(form: FormReply): string | undefined;
}

const TONE_ICON = { info: '', warning: ':warning: ', success: ':white_check_mark: ', error: ':x: ' } as const;

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: shorten(text, max), emoji: true });

/** Long text becomes several sections instead of being cut: nothing the engine says is lost. */
function sections(text: string): Block[] {
  return chunk(mrkdwn(text), BLOCK_KIT.sectionText).map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
}

function option(o: Option): types.PlainTextOption {
  return { text: plain(o.label, BLOCK_KIT.optionText), value: o.value.slice(0, BLOCK_KIT.optionValue) };
}

function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger'): types.Button {
  const b: types.Button = { type: 'button', action_id: actionId, text: plain(label, BLOCK_KIT.buttonText), value: value.slice(0, BLOCK_KIT.buttonValue) };
  if (style) b.style = style;
  return b;
}

/** Few short options as buttons; more as a select menu (at most 100, the menu's limit). */
function choiceElements(options: Option[], say: Translator): types.ActionsBlockElement[] {
  if (options.length <= BLOCK_KIT.maxButtons) {
    // Button action ids must be unique within a block, hence the index.
    return options.map((o, i) => button(`${ACTION.choice}.${i}`, o.label, o.value, o.style));
  }
  return [
    {
      type: 'static_select',
      action_id: ACTION.select,
      placeholder: plain(say('slack.choose'), BLOCK_KIT.placeholder),
      options: options.slice(0, BLOCK_KIT.staticSelectOptions).map(option),
    },
  ];
}

function multiPicker(r: Extract<Reply, { kind: 'multi' }>, say: Translator): types.ActionsBlockElement {
  const chosen = new Set(r.selected ?? []);
  if (r.options.length <= BLOCK_KIT.checkboxOptions) {
    const options = r.options.map(option);
    const initial = options.filter((o) => o.value !== undefined && chosen.has(o.value));
    return { type: 'checkboxes', action_id: ACTION.pick, options, ...(initial.length ? { initial_options: initial } : {}) };
  }
  const options = r.options.slice(0, BLOCK_KIT.staticSelectOptions).map(option);
  const initial = options.filter((o) => o.value !== undefined && chosen.has(o.value));
  return {
    type: 'multi_static_select',
    action_id: ACTION.pick,
    placeholder: plain(say('slack.choose'), BLOCK_KIT.placeholder),
    options,
    ...(initial.length ? { initial_options: initial } : {}),
  };
}

/** A checklist as checkbox groups of ten (Slack's limit per element), ticks for done items. */
function checklistElements(items: ChecklistItem[]): types.Checkboxes[] {
  const groups: types.Checkboxes[] = [];
  for (let g = 0; g * BLOCK_KIT.checkboxOptions < items.length && g < BLOCK_KIT.actionsElements; g++) {
    const slice = items.slice(g * BLOCK_KIT.checkboxOptions, (g + 1) * BLOCK_KIT.checkboxOptions);
    const options: types.PlainTextOption[] = slice.map((it) => ({
      text: plain(it.label, BLOCK_KIT.optionText),
      value: it.id.slice(0, BLOCK_KIT.optionValue),
      ...(it.due ? { description: plain(it.due, BLOCK_KIT.optionText) } : {}),
    }));
    const done = slice.filter((it) => it.done);
    const initial = options.filter((o) => done.some((it) => it.id === o.value));
    groups.push({
      type: 'checkboxes',
      action_id: checkActionId(g, done.map((it) => it.id)),
      options,
      ...(initial.length ? { initial_options: initial } : {}),
    });
  }
  return groups;
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: shorten(mrkdwn(text), BLOCK_KIT.contextText) }] };
}

/** One reply as blocks. `n` numbers the interactive blocks of one message. */
export function replyBlocks(r: Reply, ctx: RenderContext, n: number): Block[] {
  const { say, owner } = ctx;
  switch (r.kind) {
    case 'text':
      return sections(`${TONE_ICON[r.tone ?? 'info']}${r.text}`);
    case 'choices':
      return [...sections(r.text), { type: 'actions', block_id: blockId(r.ref, owner, n), elements: choiceElements(r.options, say) }];
    case 'multi':
      return [
        ...sections(r.text),
        {
          type: 'actions',
          block_id: blockId(r.ref, owner, n),
          elements: [multiPicker(r, say), button(ACTION.multi, r.submitLabel, 'submit', 'primary')],
        },
      ];
    case 'checklist': {
      const blocks: Block[] = sections(r.title);
      if (r.items.length) blocks.push({ type: 'actions', block_id: blockId(r.ref, owner, n), elements: checklistElements(r.items) });
      if (r.actions.length) {
        blocks.push({ type: 'actions', block_id: blockId(r.ref, owner, n + 1000), elements: r.actions.map((o, i) => button(`${ACTION.choice}.${i}`, o.label, o.value, o.style)) });
      }
      return blocks;
    }
    case 'input': {
      const blocks: Block[] = sections(r.text);
      const pickers: types.ActionsBlockElement[] = [];
      if (r.input === 'date') pickers.push({ type: 'datepicker', action_id: ACTION.date, placeholder: plain(say('slack.pickDate'), BLOCK_KIT.placeholder) });
      if (r.input === 'datetime') {
        pickers.push(
          { type: 'datepicker', action_id: ACTION.dateOfWhen, placeholder: plain(say('slack.pickDate'), BLOCK_KIT.placeholder) },
          { type: 'timepicker', action_id: ACTION.timeOfWhen, placeholder: plain(say('slack.pickTime'), BLOCK_KIT.placeholder) },
          button(ACTION.when, say('slack.useDateTime'), 'use', 'primary'),
        );
      }
      if (r.optional) pickers.push(button(ACTION.skip, say('slack.skip'), 'skip'));
      if (pickers.length) blocks.push({ type: 'actions', block_id: blockId(r.ref, owner, n), elements: pickers });
      // Typing is always possible: dates also take words ("next Tuesday 3pm", "in 5 days").
      blocks.push({
        type: 'input',
        block_id: blockId(r.ref, owner, n + 1000),
        dispatch_action: true,
        label: plain(say('slack.answer'), BLOCK_KIT.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.text,
          max_length: BLOCK_KIT.inputValue,
          dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        },
      });
      blocks.push(context(r.accepts));
      return blocks;
    }
    case 'form': {
      const key = ctx.formKey(r);
      const section: types.SectionBlock = { type: 'section', block_id: blockId(r.ref, owner, n), text: { type: 'mrkdwn', text: `*${shorten(mrkdwn(r.title), BLOCK_KIT.sectionText - 2)}*` } };
      if (key) section.accessory = button(ACTION.form, say('slack.openForm'), key, 'primary');
      return [section];
    }
    case 'file': {
      // A code block is one click to copy; the file itself is uploaded alongside (see post.ts).
      const head: Block = { type: 'section', text: { type: 'mrkdwn', text: `*${shorten(mrkdwn(r.title), 200)}* (${shorten(mrkdwn(r.filename), 100)})` } };
      if (!showsInline(r)) return [head];
      const body = chunk(mrkdwn(r.content.trimEnd()), BLOCK_KIT.sectionText - 6).map(
        (piece): Block => ({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${piece}\`\`\`` } }),
      );
      return [head, ...body];
    }
  }
}

/** The plain text of a reply, for notifications and the message's fallback `text`. */
export function replyText(r: Reply): string {
  switch (r.kind) {
    case 'text':
    case 'choices':
    case 'multi':
    case 'input':
      return r.text;
    case 'checklist':
    case 'form':
    case 'file':
      return r.title;
  }
}

/**
 * A turn's replies as as few messages as Slack allows (50 blocks each). A reply is never
 * split across two messages unless it alone is longer than one.
 */
export function renderMessages(replies: readonly Reply[], ctx: RenderContext, extra: Block[] = []): RenderedMessage[] {
  const messages: RenderedMessage[] = [];
  let blocks: Block[] = [];
  let texts: string[] = [];
  const flush = (): void => {
    if (!blocks.length) return;
    messages.push({ text: shorten(mrkdwn(texts.join('\n')), BLOCK_KIT.fallbackText) || ' ', blocks });
    blocks = [];
    texts = [];
  };
  replies.forEach((r, i) => {
    const own = replyBlocks(r, ctx, i);
    if (blocks.length + own.length > BLOCK_KIT.blocksPerMessage) flush();
    for (let at = 0; at < own.length; at += BLOCK_KIT.blocksPerMessage) {
      blocks.push(...own.slice(at, at + BLOCK_KIT.blocksPerMessage));
      texts.push(replyText(r));
      if (blocks.length >= BLOCK_KIT.blocksPerMessage) flush();
    }
  });
  if (extra.length) {
    if (blocks.length + extra.length > BLOCK_KIT.blocksPerMessage) flush();
    blocks.push(...extra);
  }
  flush();
  return messages;
}

export { context as contextBlock };
