import { compareIds, type InboxEntry } from './entry.js';

/**
 * One lane per user: a user's entries run one after another in stream order (an entry taken
 * over from a dead process goes before the later ones already here), while different users
 * run side by side, at most `concurrency` at once.
 */
export class Lanes<T> {
  private readonly queued = new Map<string, InboxEntry<T>[]>();
  private readonly busy = new Set<string>();
  /** Users with work and no turn running, in the order they became ready (fair across users). */
  private readonly ready: string[] = [];
  private readonly readySet = new Set<string>();
  private running = 0;
  private held = 0;
  private readonly ids = new Set<string>();
  private readonly drained: Array<() => void> = [];

  /**
   * `run` resolves false when the entry may not run yet (an earlier one of the same user is
   * still held by another process): it goes back in its lane, still held here, and is tried
   * again after `retryMs`, when an earlier entry taken over meanwhile would go first.
   */
  constructor(
    private readonly concurrency: number,
    private readonly run: (entry: InboxEntry<T>) => Promise<boolean | void>,
    private readonly retryMs = 50,
  ) {}

  /** Entries held here (queued or running): the consumer reads more only below a bound. */
  get size(): number {
    return this.held;
  }

  /** Stream ids held here, for the heartbeat that keeps them from looking abandoned. */
  heldIds(): string[] {
    return [...this.ids];
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(entry: InboxEntry<T>): void {
    if (this.ids.has(entry.id)) return; // read again by a claim while still held here
    this.ids.add(entry.id);
    this.held++;
    this.enqueue(entry);
  }

  private enqueue(entry: InboxEntry<T>): void {
    const lane = this.queued.get(entry.user) ?? [];
    let at = lane.length;
    while (at > 0 && compareIds(lane[at - 1]!.id, entry.id) > 0) at--;
    lane.splice(at, 0, entry);
    this.queued.set(entry.user, lane);
    this.markReady(entry.user);
    this.pump();
  }

  private markReady(user: string): void {
    if (this.busy.has(user) || this.readySet.has(user)) return;
    this.readySet.add(user);
    this.ready.push(user);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length) {
      const user = this.ready.shift()!;
      this.readySet.delete(user);
      const lane = this.queued.get(user);
      const entry = lane?.shift();
      if (!lane || !entry) continue;
      if (!lane.length) this.queued.delete(user);
      this.busy.add(user);
      this.running++;
      void this.run(entry)
        .catch(() => undefined) // the runner reports its own failures
        .then((ran) => {
          this.running--;
          if (ran === false) {
            // Its lane stays busy until it is back, so a later entry of the user cannot pass it.
            setTimeout(() => {
              this.busy.delete(user);
              this.enqueue(entry);
            }, this.retryMs);
            this.pump();
            return;
          }
          this.held--;
          this.ids.delete(entry.id);
          this.busy.delete(user);
          if (this.queued.has(user)) this.markReady(user);
          this.pump();
          if (this.held === 0) for (const resolve of this.drained.splice(0)) resolve();
        });
    }
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.held === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}
