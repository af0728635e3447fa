import type { webApi } from '@slack/bolt';

/**
 * Marks the messages a turn posts to the DM with the turn's event id and their position, so a
 * turn run again after a crash (its result replayed from the engine's outbox) can look in the
 * DM's history and post only the parts that never arrived. Slack has no idempotency key of its
 * own for chat.postMessage; reminders are marked the same way (notifier.ts).
 */
export const TURN_EVENT_TYPE = 'offboard_turn';
// Where to look: the parts were posted moments before the process died.
const HISTORY_LIMIT = 50;

export const partKey = (eventId: string, part: number): string => `${eventId}#${part}`;

/** The turn parts among the DM's recent messages. */
export async function postedParts(client: webApi.WebClient, channel: string): Promise<Set<string>> {
  const res = await client.conversations.history({ channel, limit: HISTORY_LIMIT, include_all_metadata: true });
  const keys = new Set<string>();
  for (const m of res.messages ?? []) {
    const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
    if (meta?.event_type === TURN_EVENT_TYPE && typeof meta.event_payload?.key === 'string') keys.add(meta.event_payload.key);
  }
  return keys;
}
