import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { DeliveryError } from '../../src/delivery/notifier.js';

/** Codes that mean this person cannot be reached by the bot: retrying cannot help. */
const UNREACHABLE: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser, // 50007: DMs closed, no shared server, blocked
  RESTJSONErrorCodes.UnknownUser, // 10013: the account is gone
  RESTJSONErrorCodes.UnknownChannel, // 10003: the DM channel is gone
]);

// Without a Retry-After, come back after a second rather than at once.
const DEFAULT_RETRY_MS = 1000;

/**
 * Sorts a failed REST call for the worker. `posted` tells whether an earlier part of the same
 * message already went out; only when none did is a failure certainly "not sent".
 */
export function toDeliveryError(err: unknown, posted: boolean): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    return new DeliveryError('rateLimited', 'ratelimited', {
      retryAfterMs: err.retryAfter > 0 ? err.retryAfter : DEFAULT_RETRY_MS,
      scope: err.global || err.scope === 'global' ? 'global' : 'channel',
      notSent: !posted,
    });
  }
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    if (UNREACHABLE.has(code)) return new DeliveryError('permanent', String(code), { notSent: !posted });
    // A rejected token is the operator's to fix, not this user's fault: keep retrying with backoff.
    if (err.status === 401 || err.status >= 500) return new DeliveryError('transient', `http_${err.status}`);
    return new DeliveryError('permanent', code ? String(code) : `http_${err.status}`, { notSent: !posted });
  }
  if (err instanceof HTTPError) return new DeliveryError('transient', `http_${err.status}`);
  // Connection refused, reset or timed out: the request may or may not have arrived.
  return new DeliveryError('transient', 'network');
}
