import type { ConsoleClock } from '../../adapters/console/clock.js';
import type { WaitResult } from '../../adapters/console/time-travel.js';
import type { EmbeddedReminders } from './embedded-reminders.js';

// A delivered reminder may plan a follow-up inside the same wait: bounded anyway.
const MAX_ROUNDS = 500;

/**
 * `wait` on the embedded store: the clock moves from one due reminder to the next, each one
 * delivered by the in-process scheduler at its own time and shown before the clock moves on.
 */
export class EmbeddedTimeTravel {
  constructor(
    private readonly deps: { reminders: EmbeddedReminders; clock: ConsoleClock; show: () => Promise<void> },
  ) {}

  async wait(to?: Date): Promise<WaitResult> {
    const { reminders, clock, show } = this.deps;
    let target = to?.getTime();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await reminders.deliverDue();
      await show();
      const pending = await reminders.pending();
      if (target === undefined) {
        const first = pending[0];
        if (!first) return { kind: 'nothingPlanned', now: clock.now() };
        target = first.dueMs;
      }
      const next = pending.find((p) => p.dueMs <= target!);
      if (!next) break;
      clock.advanceTo(new Date(next.dueMs));
    }
    clock.advanceTo(new Date(target ?? clock.nowMs()));
    return { kind: 'moved', now: clock.now() };
  }
}
