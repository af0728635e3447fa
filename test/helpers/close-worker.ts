import type { RunningWorker } from '../../jobs/worker.js';

// Beyond the grace: what BullMQ needs to let go of Redis once the jobs are done or given up.
const MARGIN_MS = 3_000;

/**
 * A worker's close(grace) for a test's cleanup, bounded all the same: RunningWorker.close keeps
 * its grace now (tested in reminders-worker), but a hung cleanup would fail the whole file after
 * every test passed. Past the bound it says so on stderr and returns.
 */
export async function closeWorker(worker: RunningWorker | null | undefined, graceMs: number): Promise<void> {
  if (!worker) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs + MARGIN_MS);
  });
  const result = await Promise.race([worker.close(graceMs).then(() => 'closed' as const, () => 'closed' as const), bound]);
  clearTimeout(timer);
  if (result === 'late') process.stderr.write(`worker.close(${graceMs}) still waiting after ${graceMs + MARGIN_MS} ms: a job that never ended; its connection is dropped\n`);
}
