import { createHmac } from 'node:crypto';

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>"). */
export function slackSignature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SignedPost {
  secret: string;
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** Seconds since the epoch; defaults to now. A value over 5 minutes old is stale. */
  timestampSec?: number;
  /** Overrides the computed signature (a forged request). */
  signature?: string;
  /** Slack's `X-Slack-Retry-Num`, set when it re-sends an event it thinks was lost. */
  retryNum?: number;
}

/** POSTs to the app exactly as Slack would: raw body, timestamp and signature headers. */
export async function postSigned(url: string, p: SignedPost): Promise<{ status: number; body: string }> {
  const ts = p.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': p.contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': p.signature ?? slackSignature(p.secret, ts, p.body),
  };
  if (p.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(p.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body: p.body });
  return { status: res.status, body: await res.text() };
}

/** A slash command's form-encoded body. */
export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interaction's body: one form field, `payload`, holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
