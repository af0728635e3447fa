import { randomUUID } from 'node:crypto';
import type { Envelope, TurnResult } from '../../src/engine/engine.js';

/** What the session needs from the engine: one turn. */
export interface Turns {
  handle(env: Envelope): Promise<TurnResult>;
}

/** What a patient runner needs to know about Redis. */
export interface StorageState {
  readonly up: boolean;
  whenUp(): Promise<void>;
}

/** Thrown when a line's turn is abandoned because the console is closing during an outage. */
export class TurnAbandoned extends Error {
  constructor() {
    super('turn abandoned: the console closed while Redis was away');
  }
}

// A failure with Redis answering again may still be the outage's tail (the store's connection
// reconnects a moment after the watch's): try a few times before calling it a real error.
const RETRIES_WHILE_UP = 5;
const RETRY_PAUSE_MS = 300;

/** ioredis's ways of saying the connection failed under a command (not a bad record or a bug). */
function lostConnection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Command timed out|LOADING/i.test(err.message);
}

/**
 * Runs a turn, and when Redis goes away under it, runs it again once Redis is back, so the
 * line typed during an outage is answered afterwards. Safe to repeat: each line has its own
 * outbox id, and the engine replays a turn whose commit got through instead of deciding it
 * twice.
 */
export class PatientTurns implements Turns {
  private abandoned = false;
  private wake: () => void = () => undefined;
  private readonly gaveUp = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    private readonly engine: Turns,
    private readonly storage: StorageState,
  ) {}

  async handle(env: Envelope): Promise<TurnResult> {
    const line: Envelope = env.outbox ? env : { ...env, outbox: `console-${randomUUID()}` };
    let failuresWhileUp = 0;
    for (;;) {
      if (this.abandoned) throw new TurnAbandoned();
      try {
        return await this.engine.handle(line);
      } catch (err) {
        if (this.storage.up && (!lostConnection(err) || ++failuresWhileUp > RETRIES_WHILE_UP)) throw err;
        const wait = this.storage.up ? new Promise<void>((r) => setTimeout(r, RETRY_PAUSE_MS).unref()) : this.storage.whenUp();
        await Promise.race([wait, this.gaveUp]);
      }
    }
  }

  /** Stops waiting for Redis: every turn still waiting ends with TurnAbandoned. */
  giveUp(): void {
    this.abandoned = true;
    this.wake();
  }
}
