/**
 * One event in the inbox as a consumer sees it. `payload` is the adapter's own JSON: what it
 * needs to run the turn in any process (ids, text, the platform's reply handles), nothing
 * held in memory.
 */
export interface InboxEntry<T> {
  /** The stream id (`<ms>-<seq>`): arrival order. */
  id: string;
  /** Whose turn it is (`userKey`): one user's entries run one after another. */
  user: string;
  /** The platform's id of the event: the engine's outbox key, so a re-run replays. */
  eventId: string;
  payload: T;
}

/** Stream fields: short, as every entry carries them. */
export const FIELD = { user: 'u', eventId: 'e', payload: 'p' } as const;

/** Orders stream ids (`ms-seq`) numerically; string order breaks when the ms part grows a digit. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  if (am.length !== bm.length) return am.length - bm.length;
  if (am !== bm) return am < bm ? -1 : 1;
  const d = BigInt(as) - BigInt(bs);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** A field's value in a stream entry's flat [name, value, …] list. */
export function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Reads XREADGROUP / XAUTOCLAIM field lists; null for a deleted entry or a foreign shape. */
export function readEntry<T>(id: string, fields: string[] | null, parse: (json: string) => T | null): InboxEntry<T> | null {
  if (!fields) return null;
  const get = (name: string): string | undefined => fieldOf(fields, name);
  const user = get(FIELD.user);
  const eventId = get(FIELD.eventId);
  const json = get(FIELD.payload);
  if (user === undefined || eventId === undefined || json === undefined) return null;
  const payload = parse(json);
  return payload === null ? null : { id, user, eventId, payload };
}

/** An inbox entry's JSON as an object, or null when it is not one (a newer or damaged entry). */
export function parseObject(json: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}
