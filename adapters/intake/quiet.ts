/**
 * Lets acknowledgements go before work. Slack needs each ack within 3 s whatever the load; if
 * every acknowledged turn started at once, a burst of 200 commands would fill the event loop
 * and the later acks would wait behind the earlier turns. Work waits for this much quiet after
 * the latest ack, but never longer than MAX_HOLD_MS, so steady traffic cannot starve it.
 */
const QUIET_MS = 3;
const MAX_HOLD_MS = 250;

export class AckQuiet {
  private lastAckAt = 0;
  private inFlight = 0;

  /** Called right after each ack. */
  acked(): void {
    this.lastAckAt = performance.now();
  }

  /**
   * An ack that waits for something (the durable inbox's append) is in flight from `begin` to
   * `end`: work waits for it too. Otherwise, in a burst, the first turns would start while the
   * later requests' appends are still on their way, and those acks would queue behind turns.
   */
  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.acked();
  }

  async wait(): Promise<void> {
    const since = performance.now();
    const held = (): boolean => performance.now() - since >= MAX_HOLD_MS;
    for (;;) {
      while ((this.inFlight > 0 || performance.now() - this.lastAckAt < QUIET_MS) && !held()) {
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
}
