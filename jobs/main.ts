import { ConfigError, formatConfigProblems, readEnvironment } from '../src/config.js';
import { fail } from '../ops/fail.js';

/** `npm run worker`: only the reminder worker. Run as many as you like against one Redis. */
async function main(): Promise<void> {
  let config;
  let platforms;
  try {
    // One pass over the environment: every problem of every variable at once.
    ({ config, ...platforms } = readEnvironment());
  } catch (err) {
    if (err instanceof ConfigError) fail(formatConfigProblems(err.problems, 'offboard worker'));
    throw err;
  }
  // Loaded only now: a configuration mistake is reported at once, before BullMQ and the
  // platforms' libraries are read in.
  await (await import('./run-worker.js')).runWorker(config, platforms);
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(`offboard worker stopped: ${err instanceof Error ? err.message : String(err)}`),
);
