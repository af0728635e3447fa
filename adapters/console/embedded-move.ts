import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notifier } from '../../src/delivery/notifier.js';
import type { Case } from '../../src/model/case.js';
import type { UserRef, UserState } from '../../src/model/user.js';
import { EmbeddedDataBusy, EmbeddedDb } from '../../src/store/embedded-db.js';
import { EmbeddedInbox } from '../../src/store/embedded-inbox.js';
import { EMBEDDED_DATA_DIR, MOVED_NOTE } from '../../src/store/embedded-paths.js';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { keys as makeKeys } from '../../src/store/keys.js';
import type { Store } from '../../src/store/store.js';
import type { PlannedReminder } from '../../src/model/case.js';

export interface MoveTarget {
  /** The Redis store the console runs on now. */
  store: Store;
  /** Plans each moved reminder as a BullMQ job, as a turn's effects would. */
  schedule: (user: UserRef, caseId: string, reminder: PlannedReminder) => Promise<void>;
  /** The console's inbox on Redis, for messages the file held and no session showed yet. */
  inbox: Notifier;
  user: UserRef;
  keyPrefix: string;
  /** Where the cases went, for the note left in the data folder. */
  describe: string;
  /** The embedded data directory (tests); the console's own by default. */
  dir?: string;
}

export type MoveResult =
  | { moved: number; crashed: boolean }
  /** The file is open in another console: its cases stay there for now. */
  | { busy: true }
  /** Redis changed under the move (another console wrote first): nothing moved, retried next start. */
  | { conflict: true };

/** The user as Redis has it, with the file's cases added: Redis's settings and focus win. */
function merged(inRedis: UserState, inFile: UserState): UserState {
  const open = [...inRedis.openCases, ...inFile.openCases.filter((id) => !inRedis.openCases.includes(id))];
  const known = new Set(inRedis.history.map((h) => h.caseId));
  const history = [...inRedis.history, ...inFile.history.filter((h) => !known.has(h.caseId))].sort((a, b) => a.closedAt.localeCompare(b.closedAt));
  return { ...inRedis, version: inRedis.version + 1, openCases: open, history };
}

/**
 * Cases kept in the embedded file while no Redis was around, moved into Redis the first time the
 * console finds one (the admin installed Redis, or a local one could be started), so that they
 * are not left behind in a file nobody reads any more. All or nothing for the user: one commit
 * writes the user and every case; only then are the reminders planned as jobs, the unread
 * messages handed to the Redis inbox, and the user's records removed from the file. A crash in
 * between repeats the move at the next start, which finds the cases in Redis and moves nothing
 * twice (a case already there is not written again; a job already planned is not doubled).
 */
export async function moveEmbeddedCases(to: MoveTarget): Promise<MoveResult> {
  let db: EmbeddedDb;
  try {
    db = new EmbeddedDb(to.dir ?? EMBEDDED_DATA_DIR);
  } catch (err) {
    if (err instanceof EmbeddedDataBusy) return { busy: true };
    throw err;
  }
  try {
    const keys = makeKeys(to.keyPrefix);
    const file = new EmbeddedStore(db, to.keyPrefix);
    const me = to.user;
    const inFile = await file.loadUser(me);
    const done = (result: { moved: number; crashed: boolean }) => finish(db, to.dir ?? EMBEDDED_DATA_DIR, keys.prefix, to.describe, result);
    if (!inFile) return done({ moved: 0, crashed: false });
    const crashed = db.get(`${keys.prefix}:${keys.tag(me)}:console-open`) !== null;
    const inRedis = await to.store.loadUser(me);
    const ids = [...inFile.openCases, ...inFile.history.map((h) => h.caseId)];
    const already = inRedis ? await to.store.loadCases(me, ids) : [];
    const present = new Set(already.map((c) => c.id));
    const cases: Case[] = (await file.loadCases(me, ids)).filter((c) => !present.has(c.id));
    const user = inRedis ? merged(inRedis, inFile) : inFile;
    const ok = await to.store.commit({
      user,
      expectedUserVersion: inRedis ? inRedis.version : null,
      cases: cases.map((c) => ({ case: c, expectedVersion: null })),
    });
    if (!ok) return { conflict: true };
    // Cases a first, interrupted move already wrote get their jobs too (planning one twice is a no-op).
    for (const c of [...already, ...cases]) for (const r of c.reminders) await to.schedule(me, c.id, r);
    const inbox = new EmbeddedInbox(db, keys);
    for (const entry of await inbox.unread(me)) await to.inbox.send(entry.message);
    await file.forgetUser(me);
    return done({ moved: cases.length, crashed });
  } finally {
    db.close();
  }
}

/**
 * With nobody's records left in it, the file goes, and a note says where the cases went: a
 * later start without Redis then says so instead of opening an empty file.
 */
function finish(db: EmbeddedDb, dir: string, prefix: string, describe: string, result: { moved: number; crashed: boolean }): MoveResult {
  if (db.keysWithPrefix(`${prefix}:`).length > 0) return result;
  const path = db.path;
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  writeFileSync(join(dir, MOVED_NOTE), `Cases kept here were moved into Redis at ${describe} on ${new Date().toISOString()}.\n`);
  return result;
}
