import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Where test/setup/app-build.ts left this run's transpiled copy of the app, if it did. */
export const APP_BUILD_ENV = 'OFFBOARD_TEST_APP_BUILD';

/**
 * The node arguments that run a TypeScript entry point (an absolute path under the project)
 * as its own OS process: one node process either way, so a signal reaches the program itself.
 *
 * Under `npm test` the entry is run from the run's transpiled copy (same esbuild transform tsx
 * applies, done once for the run): tsx's loader hooks cost each process about as much again as
 * the app's own start (1.9 s against 1.0 s of CPU for the bot), and the suite starts well over a
 * hundred of them. `tsx: true` asks for the tsx path itself, for the tests that keep `npm start`
 * as it is covered; with no copy (a test run outside vitest, `npm run golden`) it is tsx too.
 */
export function entryArgs(entry: string, opts: { tsx?: boolean } = {}): string[] {
  const build = process.env[APP_BUILD_ENV];
  if (!opts.tsx && build) {
    const compiled = join(build, relative(ROOT, entry)).replace(/\.ts$/, '.js');
    if (existsSync(compiled)) return [compiled];
  }
  return ['--import', TSX_LOADER, entry];
}
