import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryEvent } from '../jobs/deliver-reminder.js';
import { QUEUE_STATES } from '../jobs/queue.js';
import { within } from './deadline.js';
import type { SchedulerCounts } from '../jobs/scheduler.js';
import type { TurnObservation } from '../src/engine/engine.js';

/** Where queue depth comes from: BullMQ's own counts, read at scrape time. */
export type JobCounts = () => Promise<Record<string, number>>;

// A scrape has a deadline of its own (Prometheus: 10 s by default); the depth must not eat it.
const COUNTS_TIMEOUT_MS = 1_000;



// Seconds after its planned time: most reminders go out within a second; a restart or a
// night held for the morning lands in the long buckets.
const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600, 1800, 3600, 4 * 3600, 16 * 3600, 3 * 86400];

/**
 * One process's Prometheus metrics. Counters are per process, as Prometheus expects
 * (sum them across instances); the queue depth is the shared queue's, the same from any.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly turns: Counter<'platform' | 'inbound' | 'outcome'>;
  private readonly replies: Counter<'platform'>;
  private readonly scheduled: Counter<'change'>;
  private readonly delivered: Counter<'platform' | 'outcome'>;
  private readonly moot: Counter<'reason'>;
  private readonly late: Counter<'platform'>;
  private readonly failed: Counter<'platform' | 'reason'>;
  private readonly lateness: Histogram<'platform'>;
  private queue: { counts: JobCounts; connected: () => boolean } | null = null;

  constructor(process: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ process });
    collectDefaultMetrics({ register: this.registry, prefix: 'offboard_' });
    this.turns = new Counter({ name: 'offboard_turns_total', help: 'Turns the engine handled, by platform, what came in and how it ended', labelNames: ['platform', 'inbound', 'outcome'], registers });
    this.replies = new Counter({ name: 'offboard_replies_total', help: 'Replies the engine produced for users', labelNames: ['platform'], registers });
    this.scheduled = new Counter({ name: 'offboard_reminder_jobs_total', help: 'Reminder jobs added (scheduled) or removed (cancelled) on the queue', labelNames: ['change'], registers });
    this.delivered = new Counter({
      name: 'offboard_reminders_sent_total',
      help: 'Reminders this process delivered (sent) or found already delivered by a process that died mid-send (recovered)',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.moot = new Counter({ name: 'offboard_reminders_moot_total', help: 'Reminders dropped because no longer wanted (case closed, date moved, task done…)', labelNames: ['reason'], registers });
    this.late = new Counter({ name: 'offboard_reminders_late_total', help: 'Reminders delivered more than 10 minutes after their time, marked late', labelNames: ['platform'], registers });
    this.failed = new Counter({ name: 'offboard_reminders_failed_total', help: 'Reminders that failed permanently (the user cannot be reached); shown to them in status', labelNames: ['platform', 'reason'], registers });
    this.lateness = new Histogram({ name: 'offboard_reminder_lateness_seconds', help: 'How long after its planned time each reminder was delivered', labelNames: ['platform'], buckets: LATENESS_BUCKETS, registers });
    const self = this;
    new Gauge({
      name: 'offboard_reminder_queue_jobs',
      help: 'Jobs on the shared reminder queue by state (the same from every process)',
      labelNames: ['state'],
      registers,
      async collect() {
        // A scrape while Redis is away must still answer, at once (readyz says why): the
        // queue's client would wait for the reconnection, so it is not asked, and the gauge
        // goes empty rather than repeating stale figures.
        const counts = self.queue && self.queue.connected() ? await within(COUNTS_TIMEOUT_MS, null, self.queue.counts) : null;
        this.reset();
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
  }

  /** Reports the queue's depth on every scrape, while `connected` says Redis is there. */
  watchQueue(counts: JobCounts, connected: () => boolean): void {
    this.queue = { counts, connected };
  }

  readonly onTurn = (t: TurnObservation): void => {
    this.turns.inc({ platform: t.platform, inbound: t.inbound, outcome: t.outcome });
    if (t.replies) this.replies.inc({ platform: t.platform }, t.replies);
  };

  readonly onScheduler = (change: keyof SchedulerCounts): void => {
    this.scheduled.inc({ change });
  };

  readonly onDelivery = (e: DeliveryEvent): void => {
    if (e.outcome === 'sent' || e.outcome === 'recovered') {
      this.delivered.inc({ platform: e.platform, outcome: e.outcome }, e.count);
      if (e.late) this.late.inc({ platform: e.platform }, e.count);
      if (e.outcome === 'sent' && e.lateMs !== undefined) this.lateness.observe({ platform: e.platform }, Math.max(0, e.lateMs) / 1000);
    } else if (e.outcome === 'moot') {
      this.moot.inc({ reason: e.reason ?? 'unknown' }, e.count);
    } else if (e.outcome === 'failed') {
      this.failed.inc({ platform: e.platform, reason: e.reason ?? 'unknown' }, e.count);
    }
  };

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
