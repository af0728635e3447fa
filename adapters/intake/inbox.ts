import type { InboxEntry } from './entry.js';

/**
 * Where an adapter puts an acknowledged event, and from where its turn runs. The durable
 * inbox (a Redis stream, see durable-inbox.ts) keeps the event across a crash; the memory one
 * keeps the old in-process path (the benchmark's "before", and a process without Redis).
 */
export interface Inbox<T> {
  /**
   * Keeps the event; resolves once it is safe to acknowledge. Throws when it could not be
   * kept: the caller must then not acknowledge, so the platform retries.
   */
  append(user: string, eventId: string, payload: T): Promise<void>;
  /** Called right after each ack: work waits for a quiet moment (see quiet.ts). */
  acked(): void;
  /** Resolves when every event appended here so far has had its turn. */
  idle(): Promise<void>;
  /** Stops taking work; the turns already started finish. */
  stop(): Promise<void>;
}

/** Runs one entry's turn; a failure is the runner's to report (the user is told by it). */
export type RunEntry<T> = (entry: InboxEntry<T>) => Promise<void>;
