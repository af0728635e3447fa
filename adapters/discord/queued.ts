import type { APIInteraction } from 'discord.js';
import type { Inbound } from '../../src/model/inbound.js';
import { parseObject } from '../intake/entry.js';

/**
 * An accepted Discord event as the inbox keeps it. An interaction keeps the gateway's own
 * payload: its token answers it for 15 minutes (edit the deferred reply, follow up) from any
 * process, so a restarted bot rebuilds the interaction from it and answers as if it had never
 * died. What the event means (the inbound, the labels picked) is worked out before the defer
 * and kept too: it may depend on memory (a form's earlier parts) that a restart loses.
 */
export type DiscordQueued =
  | { kind: 'dm'; userId: string; channelId: string; messageId: string; content: string }
  | { kind: 'slash'; raw: APIInteraction; inbound: Inbound; ephemeral: boolean }
  | { kind: 'component'; raw: APIInteraction; inbound: Inbound; picked: string[]; ephemeral: boolean }
  | { kind: 'modal'; raw: APIInteraction; inbound: Inbound; ephemeral: boolean; fromMessage: boolean };

const KINDS = new Set<string>(['dm', 'slash', 'component', 'modal']);

/** Reads an entry back; null for a shape this version does not know. */
export function parseQueued(json: string): DiscordQueued | null {
  const value = parseObject(json);
  if (!value) return null;
  const v = value as { kind?: unknown; raw?: unknown; userId?: unknown };
  if (typeof v.kind !== 'string' || !KINDS.has(v.kind)) return null;
  if (v.kind === 'dm' ? typeof v.userId !== 'string' : !v.raw || typeof v.raw !== 'object') return null;
  return value as unknown as DiscordQueued;
}
