import { DeliveryError, type DeliveryCheck, type Notifier, type OutboundMessage } from '../../src/delivery/notifier.js';
import type { Platform } from '../../src/model/user.js';
import { userKey } from '../../src/model/user.js';

const TIMEOUT_MS = 10_000;

/** Delivers over real HTTP to the fake platform of notify-server.ts, with its error semantics. */
export class HttpNotifier implements Notifier {
  constructor(
    private readonly baseUrl: string,
    readonly platform: Platform = 'console',
  ) {}

  async send(m: OutboundMessage): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: m.key, user: userKey(m.user), replies: m.replies }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      // Refused before anything was written means certainly not sent; anything else is unknown.
      const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      throw new DeliveryError('transient', 'network', refused ? { notSent: true } : {});
    }
    if (res.ok) {
      await res.arrayBuffer();
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { retry_after?: number; global?: boolean };
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
    const res = await fetch(`${this.baseUrl}/sent/${encodeURIComponent(m.key)}`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => null);
    if (!res?.ok) return 'unknown';
    const body = (await res.json()) as { delivered: boolean };
    return body.delivered ? 'delivered' : 'notDelivered';
  }
}
