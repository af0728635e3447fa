/**
 * The console's clock: the real one, or OFFBOARD_NOW held still, moved forward by `wait`.
 * The engine, the reminder scheduler and the inline worker all read this one clock, so a
 * reminder met on the way is decided and delivered at the time it was planned for.
 */
export class ConsoleClock {
  private offsetMs = 0;

  constructor(private readonly fixed?: Date) {}

  readonly now = (): Date => new Date((this.fixed ? this.fixed.getTime() : Date.now()) + this.offsetMs);

  readonly nowMs = (): number => this.now().getTime();

  /** Moves the clock to `to`; never backwards, so nothing is decided twice. */
  advanceTo(to: Date): void {
    const by = to.getTime() - this.nowMs();
    if (by > 0) this.offsetMs += by;
  }
}
