import { ConfigError, formatConfigProblems, readEnvironment, type Config } from '../src/config.js';
import type { Platforms } from './platforms.js';
import { fail } from '../ops/fail.js';

async function main(): Promise<void> {
  let config: Config;
  let platforms: Platforms;
  try {
    // One pass over the environment: every problem of every variable at once.
    ({ config, ...platforms } = readEnvironment());
  } catch (err) {
    if (err instanceof ConfigError) fail(formatConfigProblems(err.problems, 'offboard'));
    throw err;
  }
  // `--serve` (the container's command): chat only, never the console, even with no tokens yet.
  // Loaded only now: a configuration mistake is reported at once, before Bolt, discord.js and
  // BullMQ are read in.
  if (platforms.slack || platforms.discord || process.argv.includes('--serve')) return (await import('./serve-chat.js')).serveChat(config, platforms);
  return (await import('./console/start.js')).startConsole(config);
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(`offboard stopped: ${err instanceof Error ? err.message : String(err)}`),
);
