// Longer than a worker's 10 s grace for the jobs in hand; shorter than compose's stop_grace_period.
const STUCK_EXIT_MS = 15_000;

/**
 * Resolves with the first SIGTERM (docker stop) or SIGINT (Ctrl-C). From then on the process
 * exits within 15 s whatever hangs (closing a connection to a Redis that is gone waits
 * forever), and a second signal exits at once.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', first);
      process.off('SIGINT', first);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      setTimeout(() => {
        process.stderr.write(`offboard: still stopping ${STUCK_EXIT_MS / 1000} s after ${signal}; exiting now\n`);
        process.exit(1);
      }, STUCK_EXIT_MS).unref();
      resolve(signal);
    };
    process.on('SIGTERM', first);
    process.on('SIGINT', first);
  });
}
