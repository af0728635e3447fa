/**
 * The floor for `reminders.burst.drain`: bare BullMQ in its own OS process, same queue, same
 * connection options, concurrency and lock as test/helpers/worker-process.ts, and for each job
 * the same one HTTP POST (HttpNotifier) to the fake platform, with no engine, store or ledger.
 * Env: REDIS_URL, PREFIX, NOTIFY_URL, CONCURRENCY, LOCK_MS, SAMPLE_REPLIES (the replies of a
 * message the app sent, posted with every job). Prints "ready" once it takes jobs.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { REMINDER_QUEUE, queuePrefix, type ReminderJobData } from '../jobs/reminder-job.js';
import type { OutboundMessage } from '../src/delivery/notifier.js';
import { HttpNotifier } from '../test/helpers/http-notifier.js';

const env = process.env;
const lockMs = Number(env['LOCK_MS'] ?? 30_000);
const notifier = new HttpNotifier(env['NOTIFY_URL'] ?? '');
// The message a real delivery posts (the bench passes one it saw), so both make the same call.
const replies = JSON.parse(env['SAMPLE_REPLIES'] ?? '[]') as OutboundMessage['replies'];
const connection = new Redis(env['REDIS_URL'] ?? '', { maxRetriesPerRequest: null, enableAutoPipelining: true });
const worker = new Worker<ReminderJobData>(
  REMINDER_QUEUE,
  async (job) => {
    const d = job.data;
    // The key the bench counts by, so lost and duplicated sends show for the floor too.
    await notifier.send({ key: `${d.caseId}.${d.reminderId}.${Date.parse(d.at)}`, user: d.user, locale: 'en', replies });
  },
  {
    connection,
    prefix: queuePrefix(env['PREFIX'] ?? 'offboard'),
    concurrency: Number(env['CONCURRENCY'] ?? 50),
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.round(lockMs / 2)),
  },
);
worker.on('error', () => undefined);
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
