/**
 * A fake Discord on 127.0.0.1 for the real discord.js client: REST (`/api/v10/...`) and the
 * gateway WebSocket (`/gateway`) on one port. It keeps the messages as a user would see
 * them (DMs, ephemeral replies, edits), shows modals, de-duplicates enforced nonces as
 * Discord documents, records every REST call, and can be told to fail the next matching call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './fake-discord-gateway.js';
import { parseBody, readRaw, sendJson, type UploadedFile } from './fake-discord-http.js';
import {
  apiMessage,
  apiUser,
  dmChannelPayload,
  EPHEMERAL,
  interactionBase,
  LOADING,
  type FakeUser,
  type Place,
  type StoredAttachment,
  type StoredMessage,
} from './fake-discord-payloads.js';

export { EPHEMERAL, type FakeUser, type Place, type StoredMessage } from './fake-discord-payloads.js';

export interface RecordedCall {
  method: string;
  /** After `/api/v10`, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  authorized: boolean;
  status: number;
  /** When the request arrived (ms since the epoch), to measure waits such as a 429's. */
  at: number;
}

export interface ShownModal {
  userId: string;
  customId: string;
  title: string;
  components: Record<string, unknown>[];
  /** The message whose button opened it. */
  sourceMessageId?: string;
}

export interface Failure {
  method?: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Let this many matching calls through first (fail the second part of a message, say). */
  after?: number;
}

interface InteractionState {
  id: string;
  token: string;
  user: FakeUser;
  channelId: string;
  sourceMessageId?: string;
  originalMessageId?: string;
}

type Body = Record<string, unknown>;

export const GUILD_ID = '900000000000000001';
export const GUILD_CHANNEL_ID = '900000000000000002';
// Discord remembers an enforced nonce "for the past few minutes".
const NONCE_MEMORY_MS = 5 * 60_000;

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly modals: ShownModal[] = [];
  readonly autocompleteResults: unknown[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly users = new Map<string, FakeUser>();
  /** Users whose DMs refuse the bot (Discord error 50007). */
  readonly closedDms = new Set<string>();
  readonly bot: FakeUser = { id: '800000000000000001', username: 'offboard' };
  readonly gateway: FakeGateway;
  private readonly dmChannels = new Map<string, string>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly failures: Failure[] = [];
  private readonly delays: { method?: string; path: RegExp; ms: number }[] = [];
  private seq = 0n;

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly applicationId: string,
    heartbeatIntervalMs: number,
  ) {
    this.gateway = new FakeGateway(server, { token, applicationId, botUser: apiUser(this.bot, true), heartbeatIntervalMs }, () => this.gatewayUrl);
  }

  static async start(opts: { token: string; applicationId: string; heartbeatIntervalMs?: number }): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, opts.token, opts.applicationId, opts.heartbeatIntervalMs ?? 5000);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  /** What DISCORD_API_URL should be: discord.js appends `/v10`. */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }
  get gatewayUrl(): string {
    return `${this.origin.replace('http', 'ws')}/gateway`;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the test's side -------------------------------------------------------------------

  private nextId(): string {
    this.seq += 1n;
    return String(1_300_000_000_000_000_000n + this.seq);
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  dmChannelOf(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = this.nextId();
      this.dmChannels.set(userId, id);
    }
    return id;
  }

  dmPlace(user: FakeUser): Place {
    return { kind: 'dm', channelId: this.dmChannelOf(user.id) };
  }

  guildPlace(): Place {
    return { kind: 'guild', guildId: GUILD_ID, channelId: GUILD_CHANNEL_ID };
  }

  /** The messages of a channel in order, as they look now (to `viewer`, when given). */
  channelMessages(channelId: string, viewer?: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted && (!viewer || !m.visible_to || m.visible_to === viewer));
  }

  /** The user types a line in their DM with the bot. */
  sendDm(user: FakeUser, content: string): StoredMessage {
    const message = this.store({ channel_id: this.dmChannelOf(user.id), author: apiUser(user), content, flags: 0 });
    this.gateway.dispatch('MESSAGE_CREATE', { ...apiMessage(message), channel_type: 1 });
    return message;
  }

  private interaction(user: FakeUser, place: Place, type: number, data: Body, source?: StoredMessage): string {
    const id = this.nextId();
    const token = `itoken-${id}-secret`;
    const state: InteractionState = { id, token, user, channelId: place.channelId, ...(source ? { sourceMessageId: source.id } : {}) };
    this.interactions.set(token, state);
    const payload = { ...interactionBase(id, token, this.applicationId, type, user, place), data, ...(source ? { message: apiMessage(source) } : {}) };
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return id;
  }

  /** `/offboard <sub> [option:value …]`. */
  slash(user: FakeUser, place: Place, sub: string, options: Record<string, string> = {}): string {
    const opts = Object.entries(options).map(([name, value]) => ({ type: 3, name, value }));
    return this.interaction(user, place, 2, { id: '700000000000000001', name: 'offboard', type: 1, options: [{ type: 1, name: sub, options: opts }] });
  }

  autocomplete(user: FakeUser, place: Place, sub: string, option: string, typed: string): string {
    const opts = [{ type: 3, name: option, value: typed, focused: true }];
    return this.interaction(user, place, 4, { id: '700000000000000001', name: 'offboard', type: 1, options: [{ type: 1, name: sub, options: opts }] });
  }

  click(user: FakeUser, place: Place, message: StoredMessage, customId: string): string {
    return this.interaction(user, place, 3, { custom_id: customId, component_type: 2 }, message);
  }

  select(user: FakeUser, place: Place, message: StoredMessage, customId: string, values: string[]): string {
    return this.interaction(user, place, 3, { custom_id: customId, component_type: 3, values }, message);
  }

  /** Submits a modal the bot showed, with a value per text input id (Label-wrapped, as sent). */
  submitModal(user: FakeUser, place: Place, modal: ShownModal, values: Record<string, string>): string {
    const components = modal.components.map((label, i) => {
      const input = (label['component'] ?? {}) as Body;
      const customId = String(input['custom_id']);
      return { type: 18, id: i * 2 + 1, component: { type: 4, id: i * 2 + 2, custom_id: customId, value: values[customId] ?? '' } };
    });
    const source = modal.sourceMessageId ? this.messages.get(modal.sourceMessageId) : undefined;
    return this.interaction(user, place, 5, { custom_id: modal.customId, components }, source);
  }

  /** The next call matching `failure` gets its status and body instead of an answer. */
  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  /** Minutes pass: Discord no longer remembers the nonces it has seen. */
  forgetNonces(): void {
    this.nonces.clear();
  }

  /** The next call matching `path` is answered only after `ms` (a slow network, a busy Discord). */
  delayNext(delay: { method?: string; path: RegExp; ms: number }): void {
    this.delays.push(delay);
  }

  // ---- REST ------------------------------------------------------------------------------

  private store(m: Omit<StoredMessage, 'id' | 'embeds' | 'components' | 'attachments' | 'timestamp' | 'edited_timestamp'> & Partial<StoredMessage>): StoredMessage {
    const message: StoredMessage = { embeds: [], components: [], attachments: [], timestamp: new Date().toISOString(), edited_timestamp: null, ...m, id: this.nextId() };
    this.messages.set(message.id, message);
    return message;
  }

  private attachments(files: UploadedFile[]): StoredAttachment[] {
    return files.map((f) => {
      const id = this.nextId();
      return { id, filename: f.name, content_type: f.contentType, size: Buffer.byteLength(f.text), url: `${this.origin}/attachments/${id}/${f.name}`, proxy_url: '', text: f.text };
    });
  }

  private fromBody(body: Body, files: UploadedFile[]): Partial<StoredMessage> {
    const out: Partial<StoredMessage> = {};
    if (typeof body['content'] === 'string') out.content = body['content'];
    if (Array.isArray(body['embeds'])) out.embeds = body['embeds'] as Body[];
    if (Array.isArray(body['components'])) out.components = body['components'] as Body[];
    if (files.length) out.attachments = this.attachments(files);
    return out;
  }

  private edit(message: StoredMessage, body: Body, files: UploadedFile[]): StoredMessage {
    Object.assign(message, this.fromBody(body, files), { edited_timestamp: new Date().toISOString(), flags: message.flags & ~LOADING });
    return message;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const parsed = parseBody(await readRaw(req), req.headers['content-type']);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body: parsed.json,
      files: parsed.files,
      authorized: req.headers.authorization === `Bot ${this.token}`,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      sendJson(res, status, body, headers);
    };
    const delay = this.delays.findIndex((d) => d.path.test(path) && (!d.method || d.method === call.method));
    if (delay >= 0) {
      const [d] = this.delays.splice(delay, 1);
      await new Promise((r) => setTimeout(r, d?.ms ?? 0));
    }
    const failure = this.failures.findIndex((f) => f.path.test(path) && (!f.method || f.method === call.method));
    const pending = failure >= 0 ? this.failures[failure] : undefined;
    if (pending && (pending.after ?? 0) > 0) {
      pending.after = (pending.after ?? 0) - 1;
    } else if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      if (f) return reply(f.status, f.body, f.headers);
    }
    const body = (parsed.json ?? {}) as Body;
    const tokenRoute = /^\/(interactions|webhooks)\//.test(path);
    if (!tokenRoute && !call.authorized) return reply(401, { message: '401: Unauthorized', code: 0 });
    const route = `${call.method} ${path}`;
    let m: RegExpExecArray | null;

    if (route === 'GET /gateway/bot') {
      return reply(200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (route === 'GET /users/@me') return reply(200, apiUser(this.bot, true));
    if (route === 'POST /users/@me/channels') {
      const recipient = String(body['recipient_id']);
      const user = this.users.get(recipient);
      if (!user) return reply(400, { message: 'Unknown User', code: 10013 });
      return reply(200, dmChannelPayload(this.dmChannelOf(recipient), user));
    }
    if ((m = /^POST \/channels\/(\d+)\/messages$/.exec(route))) {
      const channelId = m[1] ?? '';
      const recipient = [...this.dmChannels.entries()].find(([, id]) => id === channelId)?.[0];
      if (!recipient) return reply(404, { message: 'Unknown Channel', code: 10003 });
      if (this.closedDms.has(recipient)) return reply(403, { message: 'Cannot send messages to this user', code: 50007 });
      const nonce = typeof body['nonce'] === 'string' ? body['nonce'] : undefined;
      const nonceKey = `${channelId}|${this.bot.id}|${nonce}`;
      const seen = nonce && body['enforce_nonce'] === true ? this.nonces.get(nonceKey) : undefined;
      const earlier = seen && Date.now() - seen.at < NONCE_MEMORY_MS ? this.messages.get(seen.messageId) : undefined;
      if (earlier) return reply(200, apiMessage(earlier));
      const message = this.store({ channel_id: channelId, author: apiUser(this.bot, true), content: '', flags: 0, ...this.fromBody(body, parsed.files), ...(nonce ? { nonce } : {}) });
      if (nonce && body['enforce_nonce'] === true) this.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
      return reply(200, apiMessage(message));
    }
    if ((m = /^POST \/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route))) {
      const state = this.interactions.get(m[2] ?? '');
      if (!state || state.id !== m[1]) return reply(404, { message: 'Unknown interaction', code: 10062 });
      return reply(...this.callback(state, body, parsed.files));
    }
    if ((m = /^(PATCH|DELETE) \/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(route))) {
      const state = this.interactions.get(m[3] ?? '');
      const target = m[4] === '@original' ? state?.originalMessageId : m[4];
      const message = target ? this.messages.get(target) : undefined;
      if (!state || !message) return reply(404, { message: 'Unknown Message', code: 10008 });
      if (m[1] === 'DELETE') {
        message.deleted = true;
        return reply(204, null);
      }
      return reply(200, apiMessage(this.edit(message, body, parsed.files)));
    }
    if ((m = /^POST \/webhooks\/(\d+)\/([^/]+)$/.exec(route))) {
      const state = this.interactions.get(m[2] ?? '');
      if (!state) return reply(404, { message: 'Unknown Webhook', code: 10015 });
      const flags = Number(body['flags'] ?? 0) & EPHEMERAL;
      const viewer = flags ? { visible_to: state.user.id } : {};
      const message = this.store({ channel_id: state.channelId, author: apiUser(this.bot, true), content: '', flags, interaction_id: state.id, ...viewer, ...this.fromBody(body, parsed.files) });
      return reply(200, apiMessage(message));
    }
    if ((m = /^PUT \/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(route))) {
      if (m[1] !== this.applicationId) return reply(403, { message: 'Missing Access', code: 50001 });
      const commands = Array.isArray(parsed.json) ? (parsed.json as Body[]) : [];
      return reply(200, commands.map((c) => ({ ...c, id: this.nextId(), application_id: this.applicationId, version: this.nextId(), ...(m?.[2] ? { guild_id: m[2] } : {}) })));
    }
    return reply(404, { message: `404: Not Found (${route})`, code: 0 });
  }

  /** An interaction response: a message, a deferral, an update, autocomplete choices or a modal. */
  private callback(state: InteractionState, body: Body, files: UploadedFile[]): [number, unknown] {
    const type = Number(body['type']);
    const data = (body['data'] ?? {}) as Body;
    const source = state.sourceMessageId ? this.messages.get(state.sourceMessageId) : undefined;
    switch (type) {
      case 4:
      case 5: {
        const flags = (Number(data['flags'] ?? 0) & EPHEMERAL) | (type === 5 ? LOADING : 0);
        const viewer = flags & EPHEMERAL ? { visible_to: state.user.id } : {};
        const message = this.store({ channel_id: state.channelId, author: apiUser(this.bot, true), content: '', flags, interaction_id: state.id, ...viewer, ...this.fromBody(data, files) });
        state.originalMessageId = message.id;
        return [204, null];
      }
      case 6:
      case 7:
        if (!source) return [400, { message: 'Interaction has no message', code: 50035 }];
        state.originalMessageId = source.id;
        if (type === 7) this.edit(source, data, files);
        return [204, null];
      case 8:
        this.autocompleteResults.push(data['choices']);
        return [204, null];
      case 9:
        this.modals.push({
          userId: state.user.id,
          customId: String(data['custom_id']),
          title: String(data['title']),
          components: (data['components'] ?? []) as Body[],
          ...(source ? { sourceMessageId: source.id } : {}),
        });
        return [204, null];
      default:
        return [400, { message: `Unknown interaction response type ${type}`, code: 50035 }];
    }
  }
}
