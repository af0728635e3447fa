/**
 * The gateway half of the fake Discord: Hello, Identify → READY, heartbeat → ACK, Resume →
 * RESUMED, and dispatches pushed by the test. Speaks JSON without compression, as discord.js
 * does when zlib-sync is not installed.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface GatewayOptions {
  token: string;
  botUser: Record<string, unknown>;
  applicationId: string;
  heartbeatIntervalMs: number;
}

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

export class FakeGateway {
  readonly wss: WebSocketServer;
  identifies: { intents: number; token: string }[] = [];
  heartbeats = 0;
  private socket: WebSocket | null = null;
  private seq = 0;
  private ready = false;
  private waiting: Frame[] = [];
  private readyWaiters: (() => void)[] = [];

  constructor(server: Server, private readonly opts: GatewayOptions, private readonly url: () => string) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.connected(ws));
  }

  private send(frame: Frame): void {
    this.socket?.send(JSON.stringify(frame));
  }

  /** While set, every connection is cut at once: Discord unreachable. */
  private refusing = false;

  /** Cuts the bot's connection; with `refuse`, also every reconnection until `allow()`. */
  drop(opts: { refuse?: boolean } = {}): void {
    this.refusing = opts.refuse ?? false;
    this.socket?.terminate();
  }

  allow(): void {
    this.refusing = false;
  }

  private connected(ws: WebSocket): void {
    if (this.refusing) {
      ws.terminate();
      return;
    }
    this.socket = ws;
    this.ready = false;
    ws.on('message', (raw) => this.received(JSON.parse(String(raw)) as Frame));
    ws.on('close', () => {
      if (this.socket === ws) {
        this.socket = null;
        this.ready = false;
      }
    });
    this.send({ op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } });
  }

  private received(frame: Frame): void {
    switch (frame.op) {
      case 1:
        this.heartbeats++;
        this.send({ op: 11 });
        return;
      case 2: {
        const d = frame.d as { token: string; intents: number };
        this.identifies.push({ intents: d.intents, token: d.token });
        if (d.token !== this.opts.token) {
          this.socket?.close(4004, 'Authentication failed.');
          return;
        }
        this.send({
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: this.opts.botUser,
            guilds: [],
            session_id: 'fake-session',
            resume_gateway_url: this.url(),
            shard: [0, 1],
            application: { id: this.opts.applicationId, flags: 0 },
            private_channels: [],
            relationships: [],
            user_settings: {},
          },
        });
        this.becameReady();
        return;
      }
      case 6:
        this.send({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
        this.becameReady();
        return;
      default:
    }
  }

  private becameReady(): void {
    this.ready = true;
    for (const frame of this.waiting.splice(0)) this.send({ ...frame, s: ++this.seq });
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /** Resolves once a client has identified. */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends an event to the connected bot (queued until it is ready). */
  dispatch(t: string, d: unknown): void {
    const frame: Frame = { op: 0, t, d };
    if (this.ready) this.send({ ...frame, s: ++this.seq });
    else this.waiting.push(frame);
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
