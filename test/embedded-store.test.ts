import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedDataBusy, EmbeddedDb } from '../src/store/embedded-db.js';
import type { OutboundMessage } from '../src/delivery/notifier.js';
import { EmbeddedInbox } from '../src/store/embedded-inbox.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { keys } from '../src/store/keys.js';
import { makeCase, makeUser, userRef } from './helpers/fixtures.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WRITER = join(ROOT, 'test', 'helpers', 'embedded-writer.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'offboard-embedded-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const me = userRef('U_ME', 'console', '');

describe('EmbeddedStore on disk', () => {
  it('keeps what was committed across a close and reopen', async () => {
    const first = new EmbeddedStore(new EmbeddedDb(dir));
    const user = makeUser(me, { openCases: ['c1'] });
    const c1 = makeCase(me, 'c1');
    expect(await first.commit({ user, expectedUserVersion: null, cases: [{ case: c1, expectedVersion: null }] })).toBe(true);
    await first.close();
    const again = new EmbeddedStore(new EmbeddedDb(dir));
    expect(await again.loadUser(me)).toEqual(user);
    expect(await again.loadCase(me, 'c1')).toEqual(c1);
    await again.close();
  });

  it('lets event claims and saved results lapse after their TTL', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const db = new EmbeddedDb(dir, () => now);
    const store = new EmbeddedStore(db);
    expect(await store.claimEvent('Ev1', 60)).toBe(true);
    const user = makeUser(me);
    expect(await store.commit({ user, expectedUserVersion: null, cases: [], outbox: { id: 'j1', value: 'done', ttlSeconds: 120 } })).toBe(true);
    now += 59_000;
    expect(await store.claimEvent('Ev1', 60)).toBe(false);
    now += 2_000;
    expect(await store.claimEvent('Ev1', 60)).toBe(true);
    expect(await store.loadOutbox(me, 'j1')).toBe('done');
    now += 60_000;
    expect(await store.loadOutbox(me, 'j1')).toBeNull();
    await store.close();
  });

  it('refuses a second opener while the first has the file', async () => {
    const first = new EmbeddedDb(dir);
    expect(() => new EmbeddedDb(dir)).toThrow(EmbeddedDataBusy);
    first.close();
    new EmbeddedDb(dir).close();
  });

  it('survives kill -9 mid-writing: every acknowledged turn is there, the file is whole', async () => {
    let acknowledged = 0;
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, [...entryArgs(WRITER), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Kill once it has written a good number of turns of its own, wherever it is in the next one.
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.split('\n').length > 40) resolve();
        });
        child.once('exit', () => reject(new Error(`writer died on its own: ${err}`)));
      });
      child.kill('SIGKILL');
      await exited;
      // Only whole lines: the kill may cut the last one short.
      const printed = out.split('\n').slice(0, -1).map(Number);
      const last = printed.at(-1)!;
      expect(printed[0]).toBe(acknowledged + (round === 0 ? 2 : 1));

      const db = new EmbeddedDb(dir);
      expect(db.integrityCheck()).toBe('ok');
      const store = new EmbeddedStore(db);
      const c1 = await store.loadCase(userRef('U_WRITER'), 'c1');
      // The turn in flight at the kill may or may not have landed; nothing acknowledged is lost.
      expect([last, last + 1]).toContain(c1?.version);
      expect(c1?.pushbacks).toBe(c1!.version - 1);
      expect((await store.loadUser(userRef('U_WRITER')))?.version).toBe(c1?.version);
      acknowledged = c1!.version;
      await store.close();
    }
  });

  it('keeps one copy of each inbox message, unread until shown, across a reopen', async () => {
    const k = keys();
    const first = new EmbeddedDb(dir);
    const inbox = new EmbeddedInbox(first, k);
    const message = (key: string, text: string): OutboundMessage => ({ key, user: me, locale: 'en', replies: [{ kind: 'text', text }] });
    await inbox.send(message('occ-1', 'first'));
    await inbox.send(message('occ-1', 'first again'));
    await inbox.send(message('occ-2', 'second'));
    expect(await inbox.check(message('occ-1', ''))).toBe('delivered');
    expect(await inbox.check(message('occ-3', ''))).toBe('notDelivered');
    const unread = await inbox.unread(me);
    expect(unread.map((e) => e.message.replies[0])).toEqual([{ kind: 'text', text: 'first' }, { kind: 'text', text: 'second' }]);
    await inbox.markRead(me, unread[0]!.id);
    first.close();
    const again = new EmbeddedInbox(new EmbeddedDb(dir), k);
    expect((await again.unread(me)).map((e) => e.message.key)).toEqual(['occ-2']);
    // Another user's inbox is their own.
    expect(await again.unread(userRef('U_OTHER', 'console', ''))).toEqual([]);
  });
});
