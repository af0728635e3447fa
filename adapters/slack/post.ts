import type { RespondFn, types, webApi } from '@slack/bolt';
import { fileBytes, type Reply } from '../../src/model/reply.js';
import type { UserRef } from '../../src/model/user.js';
import type { Translator } from '../../src/i18n/translate.js';
import type { FormStore, FormReply } from './forms.js';
import { contextBlock, renderMessages, type RenderContext } from './render.js';
import { formModal } from './render-view.js';
import { partKey, postedParts, TURN_EVENT_TYPE } from './turn-parts.js';

/**
 * Where a turn's answer goes. `dm`: the user's direct messages with the bot, where the flow
 * lives. `ephemeral`: a channel, where only the user may see it (the case is private).
 */
export type Where =
  | { kind: 'dm'; channel: string }
  | { kind: 'ephemeral'; channel: string; respond?: RespondFn };

const DM_CACHE_MAX = 10_000;

/** The bot's DM channel with each user; `conversations.open` is idempotent, so it is cached. */
export class DmChannels {
  private readonly cache = new Map<string, string>();

  async of(client: webApi.WebClient, user: UserRef): Promise<string> {
    const key = `${user.tenant}.${user.id}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const res = await client.conversations.open({ users: user.id });
    const channel = res.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    if (this.cache.size >= DM_CACHE_MAX) this.cache.clear();
    this.cache.set(key, channel);
    return channel;
  }

  remember(user: UserRef, channel: string): void {
    this.cache.set(`${user.tenant}.${user.id}`, channel);
  }
}

export interface ShowOptions {
  client: webApi.WebClient;
  user: UserRef;
  where: Where;
  say: Translator;
  forms: FormStore;
  dms: DmChannels;
  /** A click's or a submission's trigger (valid 3 s): a form among the replies opens at once. */
  triggerId?: string;
  /** The fields just submitted, when the same form comes back refused: they are filled in again. */
  submitted?: { question: string; values: Record<string, string> };
  /**
   * The turn's event id, on the durable inbox's path: DM messages carry it (turn-parts.ts), and
   * when the turn is replayed (`replay`) the parts already in the DM are not posted again.
   */
  turn?: { eventId: string; replay: boolean };
}

/** Opens a form's modal; false when the trigger expired or Slack refused. */
async function openModal(o: ShowOptions, form: FormReply, notes: string[], values: Record<string, string>): Promise<boolean> {
  if (!o.triggerId) return false;
  try {
    await o.client.views.open({ trigger_id: o.triggerId, view: formModal(form, { owner: o.user.id, ref: form.ref }, o.say, notes, values) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Shows a turn's replies: as messages in the DM, or ephemerally in a channel; the letter is
 * also uploaded as a file to the DM (never to a channel); a form opens as a modal when a
 * fresh trigger allows, and stays reachable through its "Fill in" button.
 */
export async function show(replies: readonly Reply[], o: ShowOptions): Promise<void> {
  if (replies.length === 0) return;
  const { client, where } = o;
  let shown = [...replies];
  const form = replies.find((r): r is FormReply => r.kind === 'form');
  if (form) {
    const again = o.submitted && o.submitted.question === form.ref.question;
    const notes = again ? replies.filter((r) => r.kind === 'text' && r.tone === 'error').map((r) => (r.kind === 'text' ? r.text : '')) : [];
    const opened = await openModal(o, form, notes, again ? (o.submitted?.values ?? {}) : {});
    // A refused form reopened with its notes needs nothing more in the chat.
    if (opened && again) shown = replies.filter((r) => r !== form && !(r.kind === 'text' && r.tone === 'error'));
  }
  if (shown.length === 0) return;
  const formKeys = await o.forms.save(o.user, shown);
  const ctx: RenderContext = { owner: o.user.id, say: o.say, formKey: (f) => formKeys.get(f) };
  const extra: types.KnownBlock[] = where.kind === 'ephemeral' ? [contextBlock(o.say('slack.onlyYou'))] : [];
  const turn = where.kind === 'dm' ? o.turn : undefined;
  const arrived = turn?.replay ? await postedParts(client, where.channel) : new Set<string>();
  for (const [part, m] of renderMessages(shown, ctx, extra).entries()) {
    const key = turn ? partKey(turn.eventId, part) : '';
    if (where.kind === 'dm' && key && arrived.has(key)) continue;
    if (where.kind === 'dm') await client.chat.postMessage({ channel: where.channel, text: m.text, blocks: m.blocks, ...(key ? { metadata: { event_type: TURN_EVENT_TYPE, event_payload: { key } } } : {}) });
    else if (where.respond) await where.respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });
    else await client.chat.postEphemeral({ channel: where.channel, user: o.user.id, text: m.text, blocks: m.blocks });
  }
  for (const file of shown.filter((r): r is Extract<Reply, { kind: 'file' }> => r.kind === 'file')) {
    const channel = where.kind === 'dm' ? where.channel : await o.dms.of(client, o.user);
    // Bytes (a PDF) go as a file; text as its content, as before.
    const body = file.encoding === 'base64' ? { file: fileBytes(file) } : { content: file.content };
    await client.files.uploadV2({ channel_id: channel, ...body, filename: file.filename, title: file.title });
  }
}
