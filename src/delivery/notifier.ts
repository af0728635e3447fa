import type { Reply } from '../model/reply.js';
import type { Locale } from '../model/settings.js';
import type { Platform, UserRef } from '../model/user.js';

/** A message the bot starts on its own (a reminder, or several collected into one). */
export interface OutboundMessage {
  /**
   * Idempotency key: one key is one message however often a send is attempted. Letters,
   * digits, `-`, `_` and `.` only, at most 64 characters, so it fits platform nonces.
   */
  key: string;
  user: UserRef;
  locale: Locale;
  replies: Reply[];
}

/** What the platform can tell about an earlier send whose outcome was lost in a crash. */
export type DeliveryCheck = 'delivered' | 'notDelivered' | 'unknown';

/** A shared budget of sends: `points` per `perSeconds`, counted across every worker process. */
export interface SendBudget {
  /** e.g. `slack.dm` (one DM channel, with `user`) or `discord.bot` (the whole bot). */
  key: string;
  points: number;
  perSeconds: number;
  /**
   * Set when the budget is one person's (a DM channel): it is counted under that user's keys,
   * so it never names them anywhere else, and `forget` takes it with the rest.
   */
  user?: UserRef;
}

/**
 * How a delivery failed. `transient`: try again later with backoff (network, 5xx).
 * `rateLimited`: the platform said when to come back; `scope: 'global'` pauses every send.
 * `permanent`: this user cannot be reached (left, DMs closed); retrying cannot help.
 * `notSent`: the platform certainly did not post it (so a retry cannot duplicate).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'transient' | 'rateLimited' | 'permanent',
    /** A short stable code for logs and the case: `ratelimited`, `user_not_found`, `50007`, `http_503`. */
    readonly code: string,
    readonly details: { retryAfterMs?: number; scope?: 'global' | 'channel'; notSent?: boolean } = {},
  ) {
    super(`${kind} delivery error: ${code}`);
    this.name = 'DeliveryError';
  }
}

/**
 * The port every platform implements so the reminder worker can reach a user without a
 * conversation open. Implementations render `replies` with their platform's buttons exactly
 * as in a conversation, so a click on a reminder comes back as an ordinary `choice` inbound.
 */
export interface Notifier {
  readonly platform: Platform;
  /** Throws `DeliveryError` for anything the worker should tell apart. */
  send(message: OutboundMessage): Promise<void>;
  /**
   * Asked only after a send was started and its outcome lost (the process died mid-call).
   * 'unknown' means the platform cannot tell: the worker then sends again.
   */
  check(message: OutboundMessage): Promise<DeliveryCheck>;
  /** The platform's send limit this message counts against, if any. */
  budget?(user: UserRef): SendBudget;
}
