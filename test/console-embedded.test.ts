/**
 * The console on the embedded store, through the real entry point, on a machine as a newcomer
 * has it: nothing answers at REDIS_URL and the PATH holds only `node` (no redis-server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Notifier } from '../src/delivery/notifier.js';
import { Engine } from '../src/engine/engine.js';
import { EMBEDDED_NOTICE } from '../adapters/console/embedded-console.js';
import { EmbeddedReminders } from '../adapters/console/embedded-reminders.js';
import { EmbeddedDb } from '../src/store/embedded-db.js';
import { EMBEDDED_DATA_DIR } from '../src/store/embedded-paths.js';
import { EmbeddedInbox } from '../src/store/embedded-inbox.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { keys } from '../src/store/keys.js';
import { goldenPath, readScripts } from './helpers/golden.js';
import { freePort } from './helpers/net.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'adapters', 'main.ts');

const dirs: string[] = [];
const running = new Set<ChildProcess>();
function tempDir(label: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `offboard-embedded-${label}-`)));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A PATH with only node on it, and a port nothing listens on. */
async function bareMachine(): Promise<Record<string, string>> {
  const bin = tempDir('bin');
  symlinkSync(process.execPath, join(bin, 'node'));
  return { PATH: bin, REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
}

interface Session {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  type: (line: string) => void;
  waitFor: (pattern: RegExp, from?: number) => Promise<void>;
  exited: Promise<number | null>;
}

function open(cwd: string, env: Record<string, string>, preload: string[] = []): Session {
  const child = spawn(process.execPath, [...preload, ...entryArgs(MAIN)], { cwd, env: { HOME: cwd, OFFBOARD_LANG: 'en', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    type: (line) => void child.stdin!.write(`${line}\n`),
    async waitFor(pattern, from = 0) {
      const until = Date.now() + 20_000;
      while (!pattern.test(out.slice(from))) {
        if (Date.now() > until) throw new Error(`no ${pattern} in:\n${out.slice(-2000)}\n${err}`);
        if (child.exitCode !== null) throw new Error(`console exited before ${pattern}:\n${out.slice(-2000)}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exited,
  };
}

/** The whole script piped in, stdin closed, the exit awaited. */
async function runScript(cwd: string, env: Record<string, string>, lines: string[], preload: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  const s = open(cwd, env, preload);
  s.child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  const code = await s.exited;
  return { code, out: s.out(), err: s.err() };
}

const FIXED = { TZ: 'Europe/Berlin', OFFBOARD_NOW: '2026-11-23T09:00:00Z' };

describe('the console with no Redis anywhere', () => {
  it('walks a whole case on the embedded store, saying so in one line, exactly as on Redis', async () => {
    const script = readScripts().find((s) => s.name === 'case-en')!;
    const cwd = tempDir('case');
    const run = await runScript(cwd, { ...(await bareMachine()), ...FIXED, OFFBOARD_USER: 'golden-case-en', ...script.env }, script.lines);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toBe(`${EMBEDDED_NOTICE}\n`);
    // The same transcript the Redis console makes (test/golden/case-en.txt), byte for byte.
    expect(run.out).toBe(readFileSync(goldenPath('case-en'), 'utf8'));
    expect(existsSync(join(cwd, '.offboard', 'data', 'offboard.sqlite'))).toBe(true);
  });

  it('without the optional better-sqlite3 either, says in one line how to get Redis and exits 1', async () => {
    const cwd = tempDir('nosqlite');
    const env = await bareMachine();
    const hide = pathToFileURL(join(ROOT, 'test', 'helpers', 'without-sqlite.mjs')).href;
    const run = await runScript(cwd, { ...env, ...FIXED, OFFBOARD_USER: 'eve' }, ['start Acme'], ['--import', hide]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err.trim().split('\n')).toEqual([expect.stringMatching(/^offboard needs Redis and nothing answers at redis:\/\/127\.0\.0\.1:\d+: install it .*apt-get install redis-server.*brew install redis/)]);
    expect(existsSync(join(cwd, '.offboard'))).toBe(false);
  });

  it('travels in time on the embedded store as on Redis: every reminder at its own time', async () => {
    const script = readScripts().find((s) => s.name === 'time-travel')!;
    const cwd = tempDir('travel');
    const run = await runScript(cwd, { ...(await bareMachine()), ...FIXED, OFFBOARD_USER: 'golden-time-travel', OFFBOARD_FILES: './offboard-files', ...script.env }, script.lines);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(readFileSync(goldenPath('time-travel'), 'utf8'));
  });

  it('keeps the case through a kill -9 mid-session and refuses a second console meanwhile', async () => {
    const cwd = tempDir('kill');
    const env = { ...(await bareMachine()), ...FIXED, OFFBOARD_USER: 'ana' };
    const first = open(cwd, env);
    first.type('start Initech');
    await first.waitFor(/Initech/);
    let from = first.out().length;
    first.type('1,8');
    await first.waitFor(/\S/, from);
    // A second console on the same data is refused with one line while the first is open.
    const second = await runScript(cwd, env, ['list']);
    expect(second.code).toBe(1);
    expect(second.err.trim().split('\n')).toEqual([expect.stringMatching(/another console is already using \.\/\.offboard\/data/)]);
    from = first.out().length;
    first.type('skip');
    first.child.kill('SIGKILL');
    await first.exited;

    // redis-server installed meanwhile: the console starts one and moves the file's cases into it.
    const withRedis = { ...env, PATH: process.env.PATH ?? '' };
    const again = await runScript(cwd, withRedis, ['list']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain(EMBEDDED_NOTICE);
    expect(again.err).toMatch(/so I started one for you[^\n]*\nmoved 1 case from \.\/\.offboard\/data into Redis at /);
    // The question left open by the killed console is asked again first, then the case is there.
    expect(again.out).toMatch(/^[^>]*\?[^>]*\n> list\nYou have 1 open case:\n• Initech/);
    // The file is gone, with a note saying where its cases went; the next start finds them in Redis.
    expect(existsSync(join(cwd, EMBEDDED_DATA_DIR, 'offboard.sqlite'))).toBe(false);
    expect(readFileSync(join(cwd, EMBEDDED_DATA_DIR, 'MOVED.txt'), 'utf8')).toMatch(/^Cases kept here were moved into Redis at /);
    const third = await runScript(cwd, withRedis, ['status Initech']);
    expect(third.code, third.err).toBe(0);
    expect(third.err).not.toContain('moved');
    expect(third.out).toContain('Initech: ');
    // And without any Redis now, the console says where the cases are instead of opening an empty file.
    const bare = await runScript(cwd, env, ['list']);
    expect(bare.code).toBe(1);
    expect(bare.err.trim().split('\n')).toEqual([expect.stringMatching(/^Your cases were moved into Redis \(see \.\/\.offboard\/data\/MOVED\.txt\) and nothing answers at /)]);
  });

  it('shows at the next start a reminder that came due while it was closed', async () => {
    const script = readScripts().find((s) => s.name === 'case-en')!;
    const cwd = tempDir('due');
    const env = { ...(await bareMachine()), TZ: 'Europe/Berlin', OFFBOARD_USER: 'ben', ...script.env };
    const before = await runScript(cwd, { ...env, OFFBOARD_NOW: '2026-11-23T09:00:00Z' }, script.lines);
    expect(before.code, before.err).toBe(0);
    // Weeks later: whatever the case planned is due; the console opens with it.
    const later = await runScript(cwd, { ...env, OFFBOARD_NOW: '2027-02-01T09:00:00Z' }, []);
    expect(later.code, later.err).toBe(0);
    // As the worker does after downtime: everything overdue in one message, oldest first.
    expect(later.out.startsWith('I was away for a while; 6 reminders came due meanwhile:\n\nSorry, this reminder was due on Thu, Nov 26, 2026, 9:00 AM and comes late.\n'), later.out).toBe(true);
    expect(later.out).toContain('Have they confirmed they received it?');
    expect(later.out).toContain('Payment check for Acme: €1,200.00');
    // Shown once: the next start has nothing new to show.
    const third = await runScript(cwd, { ...env, OFFBOARD_NOW: '2027-02-01T10:00:00Z' }, []);
    expect(third.code, third.err).toBe(0);
    expect(third.out).not.toContain('comes late');
    // `forget` then leaves nothing of the user in the file: cases, inbox, reminder markers.
    const ofBen = (): string[] => {
      const db = new EmbeddedDb(join(cwd, EMBEDDED_DATA_DIR));
      const found = db.keysWithPrefix('offboard:').filter((k) => k.includes('ben'));
      db.close();
      return found;
    };
    expect(ofBen().some((k) => k.includes(':inbox:'))).toBe(true);
    expect(ofBen().some((k) => k.includes(':reminder:'))).toBe(true);
    const forgot = await runScript(cwd, { ...env, OFFBOARD_NOW: '2027-02-01T10:00:00Z' }, ['forget', '1']);
    expect(forgot.code, forgot.err).toBe(0);
    expect(forgot.out).toContain('> forget');
    expect(ofBen()).toEqual([]);
    // Nor in the bytes of the file and its log: what was typed is gone, not just unlisted.
    for (const f of readdirSync(join(cwd, EMBEDDED_DATA_DIR))) {
      expect(readFileSync(join(cwd, EMBEDDED_DATA_DIR, f)).includes('They keep changing the scope.'), f).toBe(false);
    }
  });

  it('loses no reminder when the process dies between deciding it and showing it', async () => {
    const script = readScripts().find((s) => s.name === 'case-en')!;
    const env = { ...(await bareMachine()), TZ: 'Europe/Berlin', OFFBOARD_USER: 'cleo', ...script.env };
    const later = Date.parse('2027-02-01T09:00:00Z');
    const shown: string[] = [];
    for (const crash of [false, true]) {
      const cwd = tempDir(crash ? 'crash' : 'calm');
      expect((await runScript(cwd, { ...env, OFFBOARD_NOW: '2026-11-23T09:00:00Z' }, script.lines)).code).toBe(0);
      if (crash) {
        // The first due reminder's turn is decided and saved, then the send dies: as a kill would.
        const db = new EmbeddedDb(join(cwd, EMBEDDED_DATA_DIR), () => later);
        const store = new EmbeddedStore(db);
        const dying: Notifier = { platform: 'console', send: () => Promise.reject(new Error('killed')), check: async () => 'notDelivered' };
        const reminders = new EmbeddedReminders({ db, store, keys: keys(), inbox: dying, user: { platform: 'console', tenant: '', id: 'cleo' }, clock: () => new Date(later) });
        reminders.attach(new Engine({ store, effects: reminders, clock: () => new Date(later) }));
        await reminders.deliverDue();
        reminders.close();
        await store.close();
      }
      const run = await runScript(cwd, { ...env, OFFBOARD_NOW: '2027-02-01T09:00:00Z' }, []);
      expect(run.code, run.err).toBe(0);
      shown.push(run.out);
    }
    expect(shown[0]).toContain('Have they confirmed they received it?');
    expect(shown[1]).toBe(shown[0]);
  }, 120_000);

  it('delivers a reminder into the inbox when it comes due while the console is open', async () => {
    const script = readScripts().find((s) => s.name === 'case-en')!;
    const cwd = tempDir('open');
    const env = { ...(await bareMachine()), TZ: 'Europe/Berlin', OFFBOARD_USER: 'dana', ...script.env };
    expect((await runScript(cwd, { ...env, OFFBOARD_NOW: '2026-11-23T09:00:00Z' }, script.lines)).code).toBe(0);
    // A clock that runs in real time, placed just before the first planned reminder.
    let offset = 0;
    const clock = (): Date => new Date(Date.now() + offset);
    const db = new EmbeddedDb(join(cwd, EMBEDDED_DATA_DIR), () => clock().getTime());
    const store = new EmbeddedStore(db);
    const inbox = new EmbeddedInbox(db, keys());
    const dana = { platform: 'console' as const, tenant: '', id: 'dana' };
    const reminders = new EmbeddedReminders({ db, store, keys: keys(), inbox, user: dana, clock });
    reminders.attach(new Engine({ store, effects: reminders, clock }));
    try {
      const first = (await reminders.pending())[0]!;
      offset = first.dueMs - Date.now() - 300;
      await reminders.deliverDue(); // nothing due yet: arms the timer
      expect(await inbox.unread(dana)).toEqual([]);
      const until = Date.now() + 15_000;
      while ((await inbox.unread(dana)).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const [entry] = await inbox.unread(dana);
      expect(entry?.message.replies.map((r) => ('text' in r ? r.text : '')).join('\n')).toContain('Have they confirmed they received it?');
    } finally {
      reminders.close();
      await store.close();
    }
  });
});
