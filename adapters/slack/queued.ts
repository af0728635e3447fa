import type { BlockAction } from '@slack/bolt';
import type { ActionOutcome, ActionPayload } from './read-action.js';
import type { FormMetadata } from './render-view.js';
import { parseObject } from '../intake/entry.js';

/**
 * An acknowledged Slack event as the inbox keeps it: everything its turn needs in any process,
 * after a restart too (ids, text, the `response_url`), nothing that lives in memory. The
 * WebClient is made again from the team's token; `respond` from the `response_url` (valid 30
 * minutes, five posts). A `trigger_id` is kept but lives 3 s: a late turn opens no modal and
 * shows the form's "Fill in" button instead (see post.ts).
 */
export type SlackQueued =
  | { kind: 'command'; team: string; user: string; channel: string; text: string; triggerId: string; responseUrl?: string }
  | { kind: 'message'; team: string; user: string; channel: string; text: string }
  | { kind: 'action'; team: string; user: string; body: BlockAction; payload: ActionPayload; outcome: Exclude<ActionOutcome, { kind: 'unknown' | 'ignore' | 'openForm' }> }
  | { kind: 'view'; team: string; user: string; viewId: string; meta: FormMetadata | null; fields: Record<string, string>; triggerId?: string }
  /** A "Fill in" click on a form that expired: said so, and the case's status shown. */
  | { kind: 'staleForm'; team: string; user: string };

const KINDS = new Set<string>(['command', 'message', 'action', 'view', 'staleForm']);

/** Reads an entry back; null for a shape this version does not know (a newer one wrote it). */
export function parseQueued(json: string): SlackQueued | null {
  const value = parseObject(json);
  if (!value) return null;
  const v = value as { kind?: unknown; team?: unknown; user?: unknown };
  if (typeof v.kind !== 'string' || !KINDS.has(v.kind) || typeof v.team !== 'string' || typeof v.user !== 'string') return null;
  return value as unknown as SlackQueued;
}
