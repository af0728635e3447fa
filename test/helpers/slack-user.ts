/**
 * A person in Slack, for tests: sends what Slack would send for what they do (signed slash
 * commands, DM events, clicks, form submissions) and reads what the bot showed them from the
 * fake Web API's records.
 */
import { randomBytes } from 'node:crypto';
import type { FakeSlackApi, StoredMessage } from './fake-slack-api.js';
import { commandBody, interactionBody, postSigned } from './slack-sign.js';

export interface SlackApp {
  /** e.g. http://127.0.0.1:PORT/slack/events */
  url: string;
  secret: string;
}

type Json = Record<string, unknown>;
interface Element extends Json {
  type: string;
  action_id?: string;
  text?: { text: string };
  value?: string;
  options?: { text: { text: string }; value: string }[];
}
interface Block extends Json {
  type: string;
  block_id?: string;
  elements?: Element[];
  element?: Element;
  accessory?: Element;
  text?: { text: string };
}

const trigger = (): string => `${Date.now()}.${randomBytes(4).toString('hex')}`;

/** Every text a set of blocks shows, joined: what the user reads. */
export function blocksText(blocks: unknown[] | undefined): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o['text'] === 'string' && (o['type'] === 'mrkdwn' || o['type'] === 'plain_text')) out.push(o['text']);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
    }
  };
  walk(blocks ?? []);
  return out.join('\n');
}

export class SlackUser {
  readonly dm: string;

  constructor(
    private readonly app: SlackApp,
    private readonly api: FakeSlackApi,
    readonly id: string,
    readonly team = 'T1',
  ) {
    this.dm = `D${id}`;
  }

  /** `/offboard <text>`, in the bot's DM unless a channel is given. */
  command(text: string, channel = this.dm, extra: { timestampSec?: number; signature?: string } = {}) {
    const body = commandBody({
      token: 'legacy-verification-token',
      team_id: this.team,
      team_domain: 'test',
      channel_id: channel,
      channel_name: channel.startsWith('D') ? 'directmessage' : 'general',
      user_id: this.id,
      user_name: this.id.toLowerCase(),
      command: '/offboard',
      text,
      api_app_id: 'A1',
      response_url: this.api.responseUrl(`cmd-${randomBytes(3).toString('hex')}`),
      trigger_id: trigger(),
    });
    return postSigned(this.app.url, { secret: this.app.secret, body, contentType: 'application/x-www-form-urlencoded', ...extra });
  }

  /** A message typed in the bot's Messages tab, as an Events API callback. */
  message(text: string, opts: { eventId?: string; retryNum?: number } = {}) {
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: this.team,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${randomBytes(5).toString('hex')}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: this.team, user_id: 'UBOT', is_bot: true }],
      event: { type: 'message', channel: this.dm, channel_type: 'im', user: this.id, text, ts: `${Date.now() / 1000}`, event_ts: `${Date.now() / 1000}` },
    });
    return postSigned(this.app.url, { secret: this.app.secret, body, contentType: 'application/json', ...(opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {}) });
  }

  homeOpened() {
    const body = JSON.stringify({
      team_id: this.team,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex')}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: this.team, user_id: 'UBOT', is_bot: true }],
      event: { type: 'app_home_opened', user: this.id, channel: this.dm, tab: 'home', event_ts: `${Date.now() / 1000}` },
    });
    return postSigned(this.app.url, { secret: this.app.secret, body, contentType: 'application/json' });
  }

  /** The bot's messages in this user's DM, oldest first. */
  messages(): StoredMessage[] {
    return this.api.history.get(this.dm) ?? [];
  }

  /** What the DM shows since message `from` (an index into messages()). */
  textSince(from: number): string {
    return this.messages().slice(from).map((m) => blocksText(m.blocks)).join('\n');
  }

  /** The newest message (in the DM, or in `messages`) with an element whose label matches. */
  find(label: string | RegExp, within: StoredMessage[] = this.messages()): { message: StoredMessage; block: Block; element: Element; option?: { text: { text: string }; value: string } } {
    const matches = (s: string | undefined) => (s === undefined ? false : typeof label === 'string' ? s === label : label.test(s));
    for (const message of [...within].reverse()) {
      for (const block of (message.blocks ?? []) as Block[]) {
        const elements = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : []), ...(block.element ? [block.element] : [])];
        for (const element of elements) {
          if (element.type === 'button' && matches(element.text?.text)) return { message, block, element };
          const option = element.options?.find((o) => matches(o.text.text));
          if (option) return { message, block, element, option };
        }
      }
    }
    throw new Error(`no element "${String(label)}" in: ${within.map((m) => blocksText(m.blocks)).join('\n---\n').slice(-2000)}`);
  }

  private actionPayload(message: StoredMessage, block: Block, action: Json, state: Json = {}, opts: { ephemeral?: boolean; by?: string } = {}): Json {
    const by = opts.by ?? this.id;
    return {
      type: 'block_actions',
      user: { id: by, username: by.toLowerCase(), team_id: this.team },
      api_app_id: 'A1',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: opts.ephemeral ?? false },
      trigger_id: trigger(),
      team: { id: this.team, domain: 'test' },
      channel: { id: message.channel, name: 'directmessage' },
      message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] },
      state: { values: state },
      response_url: this.api.responseUrl(`act-${randomBytes(3).toString('hex')}`),
      actions: [{ block_id: block.block_id, action_ts: `${Date.now() / 1000}`, ...action }],
    };
  }

  private sendPayload(payload: Json) {
    return postSigned(this.app.url, { secret: this.app.secret, body: interactionBody(payload), contentType: 'application/x-www-form-urlencoded' });
  }

  /** Clicks a button, or picks a select menu option, by its label. `by`: someone else clicks. */
  click(label: string | RegExp, opts: { by?: string; within?: StoredMessage[]; ephemeral?: boolean } = {}) {
    const { message, block, element, option } = this.find(label, opts.within);
    const action: Json =
      element.type === 'button'
        ? { type: 'button', action_id: element.action_id, value: element.value, text: { type: 'plain_text', text: element.text?.text } }
        : { type: element.type, action_id: element.action_id, selected_option: option };
    return this.sendPayload(this.actionPayload(message, block, action, {}, opts));
  }

  /** Ticks the options with these labels in a multi question, then clicks its submit button. */
  tick(labels: string[], submit: string | RegExp, opts: { within?: StoredMessage[]; ephemeral?: boolean } = {}) {
    const { message, block, element } = this.find(labels[0] as string, opts.within);
    const picked = (element.options ?? []).filter((o) => labels.includes(o.text.text));
    const button = (block.elements ?? []).find((e) => e.type === 'button' && (typeof submit === 'string' ? e.text?.text === submit : submit.test(e.text?.text ?? '')));
    if (!button) throw new Error(`no submit button ${String(submit)}`);
    const state = { [block.block_id as string]: { [element.action_id as string]: { type: element.type, selected_options: picked } } };
    return this.sendPayload(this.actionPayload(message, block, { type: 'button', action_id: button.action_id, value: button.value, text: button.text }, state, opts));
  }

  /** Ticks (or unticks) one checklist item: Slack sends the whole new selection. */
  toggleTask(label: string | RegExp) {
    const { message, block, element, option } = this.find(label);
    const initial = ((element['initial_options'] as { value: string }[] | undefined) ?? []).map((o) => o.value);
    const value = option?.value as string;
    const selected = initial.includes(value) ? initial.filter((v) => v !== value) : [...initial, value];
    const selected_options = (element.options ?? []).filter((o) => selected.includes(o.value));
    return this.sendPayload(this.actionPayload(message, block, { type: 'checkboxes', action_id: element.action_id, selected_options }));
  }

  /** Types into the newest message's answer field and presses Enter. */
  answer(text: string) {
    for (const message of [...this.messages()].reverse()) {
      const block = ((message.blocks ?? []) as Block[]).find((b) => b.type === 'input');
      if (block) return this.sendPayload(this.actionPayload(message, block, { type: 'plain_text_input', action_id: block.element?.action_id, value: text }));
    }
    throw new Error('no answer field shown');
  }

  /** Picks a date and a time and clicks the button that uses them. */
  pickDateTime(date: string, time: string, useLabel: string | RegExp) {
    const { message, block, element } = this.find(useLabel);
    const els = block.elements ?? [];
    const dateEl = els.find((e) => e.type === 'datepicker');
    const timeEl = els.find((e) => e.type === 'timepicker');
    const state = {
      [block.block_id as string]: {
        [dateEl?.action_id as string]: { type: 'datepicker', selected_date: date },
        [timeEl?.action_id as string]: { type: 'timepicker', selected_time: time },
      },
    };
    return this.sendPayload(this.actionPayload(message, block, { type: 'button', action_id: element.action_id, value: element.value, text: element.text }, state));
  }

  /** Submits the modal the bot opened last, with these values by field id. */
  submitModal(values: Record<string, string>) {
    const opened = this.api.callsOf('views.open').at(-1);
    if (!opened) throw new Error('no modal was opened');
    const view = opened.args['view'] as Json & { blocks: Block[] };
    const state: Record<string, Json> = {};
    for (const b of view.blocks.filter((x) => x.type === 'input')) {
      const id = (b.block_id as string).slice(2);
      const el = b.element as Element;
      const v = values[id] ?? '';
      state[b.block_id as string] = { [el.action_id as string]: el.type === 'datepicker' ? { type: 'datepicker', selected_date: v || null } : { type: el.type, value: v || null } };
    }
    const payload = {
      type: 'view_submission',
      team: { id: this.team, domain: 'test' },
      user: { id: this.id, username: this.id.toLowerCase(), team_id: this.team },
      api_app_id: 'A1',
      token: 'legacy-verification-token',
      trigger_id: trigger(),
      view: { ...view, id: `V${randomBytes(4).toString('hex')}`, team_id: this.team, state: { values: state }, hash: 'h1', app_id: 'A1', bot_id: 'BBOT' },
      response_urls: [],
    };
    return this.sendPayload(payload);
  }
}
