/**
 * A fake Slack Web API on 127.0.0.1 for tests: answers the methods the adapter calls the way
 * Slack does (same envelope, same error shapes, 429 with Retry-After), records every call,
 * keeps each channel's history (with message metadata), and takes `response_url` posts and
 * file uploads. Failures are injected per method and user.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token the call carried. */
  token: string | undefined;
  /** When it arrived (Date.now()): retries and rate-limit waits are judged by the gaps. */
  at: number;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

export interface Failure {
  /** A Slack error code answered with HTTP 200 and ok:false. */
  error?: string;
  /** An HTTP status instead (429 for rate limits, 503 for an outage). */
  status?: number;
  retryAfterSec?: number;
  /** Only for calls whose args match (e.g. a user id). */
  when?: (args: Record<string, unknown>) => boolean;
  /** How many times it fails; forever when absent. */
  times?: number;
}

export interface UserProfile {
  tz?: string;
  locale?: string;
}

const parseValue = (v: string): unknown => {
  if (!/^[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly uploads: string[] = [];
  readonly history = new Map<string, StoredMessage[]>();
  readonly profiles = new Map<string, UserProfile>();
  private readonly failures = new Map<string, Failure[]>();
  private server: Server | null = null;
  private seq = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  fail(method: string, failure: Failure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `check` returns something truthy (the app works after its ack). */
  async waitFor<T>(check: () => T | undefined | null | false, what = 'condition', timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private failureFor(method: string, args: Record<string, unknown>): Failure | undefined {
    const list = this.failures.get(method) ?? [];
    const hit = list.find((f) => !f.when || f.when(args));
    if (hit && hit.times !== undefined && --hit.times <= 0) this.failures.set(method, list.filter((f) => f !== hit));
    return hit;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path.startsWith('/respond/')) {
      this.responses.push({ id: path.slice('/respond/'.length), body: JSON.parse(raw || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (path.startsWith('/upload/')) {
      this.uploads.push(raw);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const type = req.headers['content-type'] ?? '';
    const args: Record<string, unknown> = {};
    if (type.includes('json')) Object.assign(args, JSON.parse(raw || '{}'));
    else for (const [k, v] of new URLSearchParams(raw)) args[k] = parseValue(v);
    const auth = req.headers.authorization;
    this.calls.push({ method, args, token: auth?.replace(/^Bearer /, '') ?? (args['token'] as string | undefined), at: Date.now() });

    const failure = this.failureFor(method, args);
    if (failure?.status) {
      const headers: Record<string, string> = failure.retryAfterSec !== undefined ? { 'retry-after': String(failure.retryAfterSec) } : {};
      this.send(res, failure.status, { ok: false, error: failure.status === 429 ? 'ratelimited' : 'fatal_error' }, headers);
      return;
    }
    if (failure?.error) {
      this.send(res, 200, { ok: false, error: failure.error });
      return;
    }
    this.send(res, 200, { ok: true, ...this.answer(method, args) });
  }

  private post(channel: string, args: Record<string, unknown>): StoredMessage {
    const ts = `1790000000.${String(++this.seq).padStart(6, '0')}`;
    const m: StoredMessage = { ts, channel };
    if (typeof args['text'] === 'string') m.text = args['text'];
    if (Array.isArray(args['blocks'])) m.blocks = args['blocks'];
    if (args['metadata'] && typeof args['metadata'] === 'object') m.metadata = args['metadata'] as StoredMessage['metadata'];
    this.history.set(channel, [...(this.history.get(channel) ?? []), m]);
    return m;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { url: 'https://test.slack.com/', team: 'Test', user: 'offboard', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'conversations.open':
        return { channel: { id: `D${String(args['users'])}` } };
      case 'chat.postMessage': {
        const m = this.post(String(args['channel']), args);
        return { channel: m.channel, ts: m.ts, message: { ...m, type: 'message' } };
      }
      case 'chat.update': {
        const list = this.history.get(String(args['channel'])) ?? [];
        const m = list.find((x) => x.ts === args['ts']);
        if (m) {
          if (typeof args['text'] === 'string') m.text = args['text'];
          if (Array.isArray(args['blocks'])) m.blocks = args['blocks'];
        }
        return { channel: args['channel'], ts: args['ts'] };
      }
      case 'chat.postEphemeral':
        return { message_ts: `1790000000.${String(++this.seq).padStart(6, '0')}` };
      case 'conversations.history': {
        const list = [...(this.history.get(String(args['channel'])) ?? [])].reverse();
        const withMeta = args['include_all_metadata'] === true || args['include_all_metadata'] === 'true';
        return { messages: list.map((m) => (withMeta ? { type: 'message', ...m } : { type: 'message', ts: m.ts, text: m.text })), has_more: false };
      }
      case 'users.info': {
        const id = String(args['user']);
        const p = this.profiles.get(id) ?? {};
        return { user: { id, name: id.toLowerCase(), tz: p.tz ?? 'Europe/Berlin', ...(args['include_locale'] ? { locale: p.locale ?? 'en-US' } : {}) } };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return { view: { id: `V${++this.seq}`, ...(args['view'] as object) } };
      case 'files.getUploadURLExternal': {
        const id = `F${++this.seq}`;
        return { upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { files: (args['files'] as { id: string }[] | undefined) ?? [] };
      default:
        return {};
    }
  }
}
