import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NotifyServer {
  url: string;
  /** Every POST received, in order (a key sent twice appears twice). */
  posts: Array<{ key: string; user: string; at: number }>;
  /** Answer the next sends with this status (e.g. 429) instead of 200. */
  failNext(status: number, times: number, body?: Record<string, unknown>): void;
  /** Delay before answering each send, so a process killed mid-burst dies mid-send. */
  latencyMs: number;
  /** Bytes of every send's body received (the bench compares its floor's sends with the app's). */
  bodyBytes: number;
  /** The last send's body, as received. */
  lastBody: string | undefined;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in chat platform on 127.0.0.1 for delivery tests and the benchmark: it counts sends
 * outside the worker processes, so a worker killed mid-burst cannot hide a duplicate.
 */
export async function startNotifyServer(): Promise<NotifyServer> {
  const posts: NotifyServer['posts'] = [];
  const keys = new Set<string>();
  let failures: Array<{ status: number; body: Record<string, unknown> }> = [];
  const state: { latencyMs: number; bodyBytes: number; lastBody: string | undefined } = { latencyMs: 0, bodyBytes: 0, lastBody: undefined };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname.startsWith('/sent/')) {
      const key = decodeURIComponent(url.pathname.slice('/sent/'.length));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ delivered: keys.has(key) }));
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/send') {
      res.writeHead(404).end();
      return;
    }
    const raw = await readBody(req);
    const body = JSON.parse(raw) as { key: string; user: string };
    state.bodyBytes += Buffer.byteLength(raw);
    state.lastBody = raw;
    const fail = failures.shift();
    if (fail) {
      res.writeHead(fail.status, { 'content-type': 'application/json' }).end(JSON.stringify(fail.body));
      return;
    }
    // Counted when fully received, as a platform would post it, before the answer goes back.
    posts.push({ key: body.key, user: body.user, at: Date.now() });
    keys.add(body.key);
    if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    get bodyBytes() {
      return state.bodyBytes;
    },
    set bodyBytes(n: number) {
      state.bodyBytes = n;
    },
    get lastBody() {
      return state.lastBody;
    },
    failNext(status, times, body = {}) {
      failures = [...failures, ...Array.from({ length: times }, () => ({ status, body }))];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
