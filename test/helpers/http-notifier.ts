import { Agent, request } from 'node:http';
import { DeliveryError, type DeliveryCheck, type Notifier, type OutboundMessage } from '../../src/delivery/notifier.js';
import type { Platform } from '../../src/model/user.js';
import { userKey } from '../../src/model/user.js';

const TIMEOUT_MS = 10_000;

interface HttpAnswer {
  status: number;
  body: string;
}

/** Delivers over real HTTP to the fake platform of notify-server.ts, with its error semantics. */
export class HttpNotifier implements Notifier {
  // Kept-alive sockets, as a platform SDK keeps them: a burst should not pay a handshake per send.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 128 });

  constructor(
    private readonly baseUrl: string,
    readonly platform: Platform = 'console',
  ) {}

  async send(m: OutboundMessage): Promise<void> {
    let res: HttpAnswer;
    try {
      res = await this.call('POST', '/send', JSON.stringify({ key: m.key, user: userKey(m.user), replies: m.replies }));
    } catch (err) {
      // Refused before anything was written means certainly not sent; anything else is unknown.
      const refused = (err as { code?: string }).code === 'ECONNREFUSED';
      throw new DeliveryError('transient', 'network', refused ? { notSent: true } : {});
    }
    if (res.status >= 200 && res.status < 300) return;
    const body = (JSON.parse(res.body || '{}') as { retry_after?: number; global?: boolean }) ?? {};
    if (res.status === 429) {
      throw new DeliveryError('rateLimited', 'ratelimited', {
        retryAfterMs: Math.round((body.retry_after ?? 1) * 1000),
        scope: body.global ? 'global' : 'channel',
        notSent: true,
      });
    }
    if (res.status === 403 || res.status === 404) throw new DeliveryError('permanent', `http_${res.status}`, { notSent: true });
    throw new DeliveryError('transient', `http_${res.status}`);
  }

  async check(m: OutboundMessage): Promise<DeliveryCheck> {
    const res = await this.call('GET', `/sent/${encodeURIComponent(m.key)}`).catch(() => null);
    if (!res || res.status !== 200) return 'unknown';
    return (JSON.parse(res.body) as { delivered: boolean }).delivered ? 'delivered' : 'notDelivered';
  }

  private call(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.baseUrl}${path}`, {
        method,
        agent: this.agent,
        timeout: TIMEOUT_MS,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
