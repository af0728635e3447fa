import type { Inbox, RunEntry } from './inbox.js';
import { Lanes } from './lanes.js';
import { AckQuiet } from './quiet.js';

/**
 * The in-process path: the event lives only in this process until its turn ran, so a crash
 * after the ack loses it. Same order and bounds as the durable inbox.
 */
export class MemoryInbox<T> implements Inbox<T> {
  private seq = 0;
  private readonly quiet = new AckQuiet();
  private readonly lanes: Lanes<T>;

  constructor(concurrency: number, run: RunEntry<T>) {
    this.lanes = new Lanes<T>(concurrency, async (entry) => {
      await this.quiet.wait();
      await run(entry);
    });
  }

  async append(user: string, eventId: string, payload: T): Promise<void> {
    this.lanes.add({ id: `0-${this.seq++}`, user, eventId, payload });
  }

  acked(): void {
    this.quiet.acked();
  }

  idle(): Promise<void> {
    return this.lanes.idle();
  }

  async stop(): Promise<void> {
    await this.lanes.idle();
  }
}
