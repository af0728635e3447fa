import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../src/delivery/notifier.js';

/** Slack errors that mean this person cannot be reached by DM; retrying cannot help. */
const PERMANENT = new Set(['account_inactive', 'user_not_found', 'channel_not_found', 'cannot_dm_bot', 'user_disabled', 'is_archived', 'not_installed', 'invalid_auth', 'token_revoked', 'missing_scope']);

const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * A Web API failure as the worker needs it: rate limited (come back after Retry-After, this
 * DM only), permanent, or transient (network, 5xx, anything unknown).
 */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryError('rateLimited', 'ratelimited', { retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000, scope: 'channel', notSent: true });
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return new DeliveryError('rateLimited', code, { retryAfterMs: DEFAULT_RETRY_AFTER_MS, scope: 'channel', notSent: true });
      // Slack answered with an error: nothing was posted.
      if (PERMANENT.has(code)) return new DeliveryError('permanent', code, { notSent: true });
      return new DeliveryError('transient', code, { notSent: true });
    }
    case webApi.ErrorCode.HTTPError:
      return new DeliveryError('transient', `http_${e.statusCode ?? 0}`);
    default:
      return new DeliveryError('transient', 'network');
  }
}
