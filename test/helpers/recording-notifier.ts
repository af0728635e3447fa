import type { DeliveryCheck, Notifier, OutboundMessage, SendBudget } from '../../src/delivery/notifier.js';
import type { Platform, UserRef } from '../../src/model/user.js';

/**
 * An in-process notifier that keeps every message, like a user's DM window. `failWith` lets a
 * test make the next sends fail the way a platform would.
 */
export class RecordingNotifier implements Notifier {
  readonly sent: OutboundMessage[] = [];
  readonly attempts: OutboundMessage[] = [];
  /** Called before each send; throw to fail it. */
  failWith: ((m: OutboundMessage, attempt: number) => void) | null = null;
  sendBudget: SendBudget | null = null;

  constructor(readonly platform: Platform = 'console') {}

  async send(m: OutboundMessage): Promise<void> {
    this.attempts.push(m);
    this.failWith?.(m, this.attempts.length);
    this.sent.push(m);
  }

  async check(m: OutboundMessage): Promise<DeliveryCheck> {
    return this.sent.some((s) => s.key === m.key) ? 'delivered' : 'notDelivered';
  }

  budget(_user: UserRef): SendBudget {
    return this.sendBudget ?? { key: 'test', points: 1_000_000, perSeconds: 1 };
  }

  textOf(m: OutboundMessage): string {
    return m.replies.map((r) => ('text' in r ? r.text : 'title' in r ? r.title : '')).join('\n');
  }
}
