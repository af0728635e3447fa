import type { RespondFn } from '@slack/bolt';

/**
 * `respond()` from a stored `response_url`, as Bolt builds it for a listener: the turn may run
 * in another process, after a restart, where Bolt's own function no longer exists.
 */
export function respondVia(responseUrl: string): RespondFn {
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const res = await fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // Slack answers an expired or overused response_url with a 404: the answer did not arrive.
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return res;
  };
}
