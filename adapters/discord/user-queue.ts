/**
 * Runs each user's turns one after another, in the order they arrived (two lines typed fast
 * are answered in order), while different users run side by side. It also knows what is
 * still running, so the bot can stop only once every event it accepted is handled.
 */
export class UserQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private handled = 0;

  /** Runs `work` after the user's earlier turns; a failure reaches the caller, not the next turn. */
  run(userId: string, work: () => Promise<void>): Promise<void> {
    const result = (this.tails.get(userId) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    this.tails.set(userId, tail);
    void tail.then(() => {
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    });
    return result;
  }

  /**
   * For an interaction: `ack` (the defer, already sent) must succeed before `work` runs, but
   * the place in line is taken now. Awaiting the defer first would let Discord's confirmations,
   * which may come back in any order, reorder two quick clicks.
   */
  runAcknowledged(userId: string, ack: Promise<unknown>, work: () => Promise<void>): Promise<void> {
    ack.catch(() => undefined); // awaited in line below; not an unhandled rejection meanwhile
    return this.run(userId, async () => {
      await ack;
      await work();
    });
  }

  /** Tracks the handling of one gateway event until it is done. */
  event(handling: Promise<void>): Promise<void> {
    const done = handling.catch(() => undefined).finally(() => {
      this.running.delete(done);
      this.handled++;
    });
    this.running.add(done);
    return done;
  }

  /** How many events have been handled to the end (tests wait on it; so could a health check). */
  get handledCount(): number {
    return this.handled;
  }

  /** Resolves when every event accepted so far is handled. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
