/**
 * The work that follows an acknowledgement. Slack needs the ack within 3 s whatever the
 * load; if every acknowledged turn started at once, a burst of 200 commands would fill the
 * event loop and the later acks would wait behind the earlier turns. So turns run here:
 * at most `concurrency` at a time, each user's in the order they arrived, and each only
 * after pending I/O (the next requests, their acks) has had its turn.
 */
// A burst of requests is acknowledged before its turns start: work waits for this much quiet
// after the latest ack, but never longer than MAX_HOLD_MS, so steady traffic cannot starve it.
const QUIET_MS = 3;
const MAX_HOLD_MS = 250;

export class WorkQueue {
  private active = 0;
  private lastAckAt = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly concurrency: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Called right after each ack. */
  acked(): void {
    this.lastAckAt = performance.now();
  }

  private async quiet(): Promise<void> {
    const since = performance.now();
    const held = (): boolean => performance.now() - since >= MAX_HOLD_MS;
    for (;;) {
      while (performance.now() - this.lastAckAt < QUIET_MS && !held()) {
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      }
      // Timers run before the event loop polls for I/O. After this process was off the CPU
      // (a loaded machine), requests that arrived meanwhile are still unread, so "no ack for
      // 3 ms" proves nothing yet: let one poll pass (setImmediate runs after it) and look again.
      const ackBefore = this.lastAckAt;
      await new Promise((resolve) => setImmediate(resolve));
      if (this.lastAckAt === ackBefore || held()) return;
    }
  }

  push(key: string, job: () => Promise<void>): void {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.inSlot(job)).catch(this.onError);
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async inSlot(job: () => Promise<void>): Promise<void> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      // Let acks and incoming requests go first.
      await this.quiet();
      await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }
}
