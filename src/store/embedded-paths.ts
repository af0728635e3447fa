import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Apart from embedded-db.ts so that deciding where the console runs never loads SQLite's
// native binding, which is an optional dependency and may be missing.

/** Where the console keeps its cases when no Redis is around, relative to the working directory. */
export const EMBEDDED_DATA_DIR = join('.offboard', 'data');

/** The SQLite file inside a data directory. */
export function embeddedFile(dir: string): string {
  return join(resolve(dir), 'offboard.sqlite');
}

/** True once a console has kept cases in ./.offboard/data. */
export function embeddedDataExists(): boolean {
  return existsSync(embeddedFile(EMBEDDED_DATA_DIR));
}

/** Left in the data directory once its cases have moved into Redis, saying where they went. */
export const MOVED_NOTE = 'MOVED.txt';

/** True once a console has moved the file's cases into Redis and removed the file. */
export function embeddedDataMoved(): boolean {
  return !embeddedDataExists() && existsSync(join(EMBEDDED_DATA_DIR, MOVED_NOTE));
}
