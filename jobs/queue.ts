import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { REMINDER_QUEUE, queuePrefix, type QueueJobData } from './reminder-job.js';

export type ReminderQueue = Queue<QueueJobData>;

/**
 * Transient failures (network, 5xx) back off exponentially: 5 s, 10 s, 20 s … about 21 minutes
 * in all over 9 tries. Completed jobs go at once (the case keeps the record); failed ones stay
 * a week for an operator to look at.
 */
export const REMINDER_JOB_OPTIONS: JobsOptions = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function openReminderQueue(connection: Redis, keyPrefix: string): ReminderQueue {
  const queue = new Queue<QueueJobData>(REMINDER_QUEUE, { connection, prefix: queuePrefix(keyPrefix) });
  // Connection trouble also fails the call that hit it, where it is handled; without a
  // listener BullMQ would print every reconnect attempt to the console.
  queue.on('error', () => undefined);
  return queue;
}

/** The job states an operator watches (queue depth in /metrics). */
export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized', 'waiting-children'] as const;
