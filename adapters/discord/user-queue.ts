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
