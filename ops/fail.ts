/** Ends a process with one line for the person who started it (config problems, no Redis). */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
