/**
 * Cases kept in the console's embedded file move into Redis once one is there: the user and every
 * case in one commit, their reminders as BullMQ jobs, unread messages into the Redis inbox, and
 * nothing twice when a move is repeated after a crash. Real SQLite file, real Redis and BullMQ.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveEmbeddedCases } from '../adapters/console/embedded-move.js';
import { ConsoleInbox } from '../adapters/console/inbox.js';
import { reminderJobId } from '../jobs/reminder-job.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { newCase, newUserState } from '../src/engine/new-records.js';
import { silentLog } from '../src/log.js';
import type { Case } from '../src/model/case.js';
import type { UserRef, UserState } from '../src/model/user.js';
import { EmbeddedDb } from '../src/store/embedded-db.js';
import { EmbeddedInbox } from '../src/store/embedded-inbox.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { keys as makeKeys } from '../src/store/keys.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const ME: UserRef = { platform: 'console', tenant: '', id: 'ana' };
const REMINDER = { id: 'coolingEnd-case', kind: 'coolingEnd' as const, subject: 'case', at: '2026-11-30T08:00:00.000Z' };

let redis: TestRedis;
const dirs: string[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fileCase(): Case {
  return { ...newCase('from-file', ME, 'Initech', NOW), stage: 'cooling', step: 'cooling', reminders: [REMINDER] };
}

/** What a console without Redis left: the user, one case with a reminder, an unread message, a crash. */
async function seedFile(dir: string, prefix: string): Promise<void> {
  const db = new EmbeddedDb(dir);
  const keys = makeKeys(prefix);
  const store = new EmbeddedStore(db, prefix);
  const user: UserState = { ...newUserState(ME, { locale: 'en', timeZone: 'Europe/Berlin' }, NOW), openCases: ['from-file'] };
  expect(await store.commit({ user, expectedUserVersion: null, cases: [{ case: fileCase(), expectedVersion: null }] })).toBe(true);
  await new EmbeddedInbox(db, keys).send({ user: ME, key: 'msg-1', locale: 'en', replies: [{ kind: 'text', text: 'Your cooling-off ends today.' }] });
  db.set(`${keys.prefix}:${keys.tag(ME)}:console-open`, 'dead-session');
  db.close();
}

function target(rt: Runtime, prefix: string, dir: string) {
  return {
    store: rt.store,
    schedule: rt.scheduler.schedule.bind(rt.scheduler),
    inbox: new ConsoleInbox(rt.jobsRedis, rt.keys),
    user: ME,
    keyPrefix: prefix,
    describe: 'redis://test',
    dir,
  };
}

describe('moving the embedded file into Redis', () => {
  it('adds the file cases to the cases Redis has, plans their reminders, hands over unread messages, and removes the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-move-'));
    dirs.push(dir);
    const prefix = randomPrefix();
    const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog, () => NOW);
    try {
      // Redis already knows this user (a console used it once), with a case of its own.
      const inRedis: UserState = { ...newUserState(ME, { locale: 'de', timeZone: 'Europe/Berlin' }, NOW), openCases: ['in-redis'] };
      expect(await rt.store.commit({ user: inRedis, expectedUserVersion: null, cases: [{ case: newCase('in-redis', ME, 'Globex', NOW), expectedVersion: null }] })).toBe(true);
      await seedFile(dir, prefix);

      expect(await moveEmbeddedCases(target(rt, prefix, dir))).toEqual({ moved: 1, crashed: true });
      const user = await rt.store.loadUser(ME);
      expect(user?.openCases).toEqual(['in-redis', 'from-file']);
      // Redis's own settings win: the user chose German there.
      expect(user?.settings.locale).toBe('de');
      expect((await rt.store.loadCases(ME, ['in-redis', 'from-file'])).map((c) => c.client)).toEqual(['Globex', 'Initech']);
      const job = await rt.queue.getJob(reminderJobId(ME, 'from-file', REMINDER.id));
      expect(job?.data).toMatchObject({ caseId: 'from-file', kind: 'coolingEnd', at: REMINDER.at });
      const unread = await new ConsoleInbox(rt.jobsRedis, rt.keys).unread(ME);
      expect(unread.map((e) => e.message.key)).toEqual(['msg-1']);
      expect(existsSync(join(dir, 'offboard.sqlite'))).toBe(false);
      expect(readFileSync(join(dir, 'MOVED.txt'), 'utf8')).toContain('redis://test');

      // A crash after the commit and before the file was emptied: the next start moves it again.
      await seedFile(dir, prefix);
      expect(await moveEmbeddedCases(target(rt, prefix, dir))).toEqual({ moved: 0, crashed: true });
      expect((await rt.store.loadUser(ME))?.openCases).toEqual(['in-redis', 'from-file']);
      expect(await rt.queue.getJobCounts('delayed', 'wait')).toEqual({ delayed: 1, wait: 0 });
      expect((await new ConsoleInbox(rt.jobsRedis, rt.keys).unread(ME)).map((e) => e.message.key)).toEqual(['msg-1']);
    } finally {
      await rt.close();
    }
  });

  it('leaves the file alone while another console has it open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-move-busy-'));
    dirs.push(dir);
    const prefix = randomPrefix();
    await seedFile(dir, prefix);
    const holder = new EmbeddedDb(dir);
    const rt = openRuntime({ redisUrl: redis.url, keyPrefix: prefix }, silentLog, () => NOW);
    try {
      expect(await moveEmbeddedCases(target(rt, prefix, dir))).toEqual({ busy: true });
      expect(await rt.store.loadUser(ME)).toBeNull();
    } finally {
      holder.close();
      await rt.close();
    }
    expect(existsSync(join(dir, 'offboard.sqlite'))).toBe(true);
  });
});
