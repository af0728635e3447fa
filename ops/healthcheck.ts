import { readConfig } from '../src/config.js';

/**
 * The image's HEALTHCHECK: healthy when this container's process answers /healthz on its
 * port. One image runs the bot, a worker or the board, each on its own port, and only that
 * one listens in the container, so any of the three answering means it is alive.
 */
async function main(): Promise<number> {
  let ports: number[];
  try {
    const config = readConfig();
    ports = [config.port, config.workerPort, config.boardPort];
  } catch {
    // The process itself reports configuration problems; the probe still tries the defaults.
    ports = [3000, 3001, 3002];
  }
  const answers = await Promise.all(
    ports.map((port) =>
      fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
        (res) => res.ok,
        () => false,
      ),
    ),
  );
  return answers.some(Boolean) ? 0 : 1;
}

main().then((code) => process.exit(code), () => process.exit(1));
