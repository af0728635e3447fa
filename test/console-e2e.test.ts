/**
 * End to end through the real entry point: `adapters/main.ts` is spawned as a child process
 * with scripted stdin (piped, so no TTY), against a throwaway redis-server. Nothing here
 * touches the machine's own Redis or flushes anything; every run uses a random key prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { freePort, listening, shutdownRedis } from './helpers/net.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'adapters', 'main.ts');
// One node process (no tsx CLI wrapper in between), so a kill really ends the console.

const NOW = '2026-11-23T09:30:00Z'; // Monday, 10:30 in Berlin
const USER = 'e2e-ana';
const RUN_TIMEOUT_MS = 20_000;
const ESC = '\u001b';
const RULE = /─{20,}/;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  /** Everything the child sees: nothing is inherited from this process (LANG would leak in). */
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();
const tempDirs: string[] = [];

function tempDir(label: string): string {
  // realpath: the child's process.cwd() is the resolved path, and so are the paths it prints.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `offboard-e2e-${label}-`)));
  tempDirs.push(dir);
  return dir;
}

/** Spawns the console, writes all the lines, ends stdin, and waits for the exit (or kills it). */
function runConsole(lines: string[], opts: RunOptions): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, entryArgs(MAIN), {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    // The child may exit before reading its input (no Redis): a broken pipe is not our error.
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`console did not exit within ${opts.timeoutMs ?? RUN_TIMEOUT_MS} ms\n--- stdout:\n${stdout.slice(-3000)}\n--- stderr:\n${stderr.slice(-3000)}`));
    }, opts.timeoutMs ?? RUN_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** The replies as the console prints them: blocks separated by one empty line, echoes left out. */
function blocks(out: string): string[] {
  return out
    .split(/\n{2,}/)
    .map((b) => b.split('\n').filter((l) => !l.startsWith('> ')).join('\n').trim())
    .filter(Boolean);
}

/** The letter's body: the text between the two rules of the file reply. */
function letterBody(out: string, filename: string): string {
  // The label is the path the console wrote the letter to.
  const at = out.indexOf(`(offboard-files/${filename})`);
  expect(at, `no letter ${filename} in the output`).toBeGreaterThan(-1);
  const parts = out.slice(at).split(RULE);
  expect(parts.length).toBeGreaterThanOrEqual(3);
  return parts[1] as string;
}

/** What every run must show: ended by itself, no colours, no stack trace. */
function expectCleanExit(run: Run, code = 0): void {
  const context = `\n--- stdout:\n${run.stdout.slice(-2000)}\n--- stderr:\n${run.stderr}`;
  expect(run.signal, context).toBeNull();
  expect(run.code, context).toBe(code);
  expect(run.stdout.includes(ESC), 'ANSI escape in stdout').toBe(false);
  expect(run.stderr.includes(ESC), 'ANSI escape in stderr').toBe(false);
  expect(run.stdout + run.stderr).not.toContain('    at ');
}

/** Piped input: no banner and no prompt; each line typed is echoed once, in order, as "> line". */
function expectEchoNoPrompt(out: string, typed: string[]): void {
  const echoed = out.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
  expect(echoed).toEqual(typed.map((l) => l.trim()).filter(Boolean));
  expect(out).not.toContain('Ctrl-D');
}



let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

afterAll(async () => {
  await redis?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function envFor(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    TZ: 'Europe/Berlin',
    REDIS_URL: redis.url,
    OFFBOARD_USER: USER,
    OFFBOARD_PREFIX: prefix,
    OFFBOARD_NOW: NOW,
    OFFBOARD_LANG: 'en',
    ...extra,
  };
}

/**
 * A whole case: signs, cooling off (then going on anyway), a contract with a 30-day clause
 * and one unpaid invoice (asked field by field), a video call on Monday 30 Nov at 14:00,
 * going ahead although the invoice is due after the talk, two weeks' notice, one project, an
 * agency as referral, the letter, marked sent before the talk ("sent it anyway").
 */
function wholeCase(letterLanguage: string, dueDate: string, talkAt: string, project: string, oneLineInvoice = false): string[] {
  return [
    'start Acme',
    '1,8', // ignores the contract terms, pays late
    'skip', // no note
    'skip', // no gut check
    '1', // raised it with them already, nothing changed
    '2', // cool off 3 days
    '?', // nothing is asked while cooling off: any line shows the choices
    '1', // go on now anyway
    '1', // has a contract
    '1', // it has a notice clause
    '30', // of 30 days
    '1', // paid work delivered
    '1', // add an unpaid invoice: the form, one field per line, or all on one line
    // Field by field, the amount with a space between its groups, as the French prompt shows
    // it: an amount, not a whole line (was read as amount 1, due "200").
    ...(oneLineInvoice ? [`1200 EUR ${dueDate}`] : ['1 200', 'EUR', dueDate]),
    '2', // that's all
    'skip', // no loose ends
    '3', // video call
    '1', // "the work no longer fits my business"
    talkAt,
    '2', // money first: the invoice is due after the talk; go ahead anyway
    '1', // two weeks' notice
    project,
    '2', // a full-service agency
    'next', // the handover plan is fine
    letterLanguage,
    '1', // I've sent it
    '2', // ...before the talk: "I sent it anyway"
    'status Acme',
  ];
}

describe('console end to end (spawned adapters/main.ts, piped stdin)', () => {
  it('walks a whole case in English, from "start Acme" to the letter marked sent', async () => {
    const typed = wholeCase('English', '2026-12-15', '2026-11-30 14:00', 'Website redesign');
    const cwd = tempDir('en');
    const run = await runConsole(typed, { env: envFor(randomPrefix()), cwd });
    expectCleanExit(run);
    // One line says which Redis is used (someone's own, perhaps with other data): nothing else.
    expect(run.stderr).toMatch(/^using Redis at redis:\/\/127\.0\.0\.1:\d+, prefix \S+\n$/);
    const out = run.stdout;
    expectEchoNoPrompt(out, typed);

    // The talk, in the freelancer's zone (Berlin), and the talking points.
    expect(out).toMatch(/Mon, Nov 30, 2026,? 0?2:00\sPM/u);
    expect(out).toMatch(/talking points/i);
    expect(out).toContain('Thank Acme');
    // Two weeks after Monday 30 Nov is Monday 14 Dec.
    const lastDay = new Intl.DateTimeFormat('en', { dateStyle: 'full', timeZone: 'UTC' }).format(Date.UTC(2026, 11, 14));
    expect(lastDay).toBe('Monday, December 14, 2026');
    expect(out).toMatch(/last working day: Monday, December 14, 2026/i);
    // The invoice form, typed field by field, was understood.
    expect(out).toContain('€1,200.00, due Tuesday, December 15, 2026');

    const letter = letterBody(out, 'notice-acme-en.txt');
    // The letter shown is the letter on disk, where the label says.
    expect(readFileSync(join(cwd, 'offboard-files', 'notice-acme-en.txt'), 'utf8').trim()).toBe(letter.trim());
    expect(letter).toMatch(/^Dear /m);
    expect(letter).toContain('Monday, December 14, 2026');
    expect(letter).toContain('Website redesign');
    expect(letter).toContain('€1,200.00');
    expect(letter).not.toMatch(/\[last working day\]/i);

    // Marked sent: the status printed afterwards says so, at the fixed clock's time.
    const status = out.slice(out.lastIndexOf('Acme: '));
    expect(status).toMatch(/sent on Mon, Nov 23, 2026/);
    expect(status).toContain('Last working day: Monday, December 14, 2026');
  });

  it('walks the same case in German, with a formal German letter', async () => {
    const typed = wholeCase('Deutsch', '15.12.2026', '30.11.2026 14:00', 'Website-Relaunch', true);
    const run = await runConsole(typed, {
      env: envFor(randomPrefix(), { OFFBOARD_LANG: 'de' }),
      cwd: tempDir('de'),
    });
    expectCleanExit(run);
    // One line says which Redis is used (someone's own, perhaps with other data): nothing else.
    expect(run.stderr).toMatch(/^using Redis at redis:\/\/127\.0\.0\.1:\d+, prefix \S+\n$/);
    const out = run.stdout;
    expectEchoNoPrompt(out, typed);

    const longDe = new Intl.DateTimeFormat('de', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 11, 14));
    expect(longDe).toBe('14. Dezember 2026');
    const fullDe = new Intl.DateTimeFormat('de', { dateStyle: 'full', timeZone: 'UTC' }).format(Date.UTC(2026, 11, 14));
    expect(fullDe).toBe('Montag, 14. Dezember 2026');

    // The freelancer is spoken to in German, not in the English placeholder.
    expect(out).not.toMatch(/last working day/i);
    expect(out).not.toMatch(/talking points/i);
    expect(out).toContain(fullDe);
    expect(out).toMatch(/Montag, 30\. November 2026, um 14:00 Uhr/);
    expect(out).toMatch(/1\.200,00\s€/u); // Intl puts a no-break space before the sign

    const letter = letterBody(out, 'notice-acme-de.txt');
    expect(letter).toContain('14. Dezember 2026');
    expect(letter).toMatch(/Sehr geehrte/);
    expect(letter).toMatch(/\bSie\b/);
    expect(letter).toMatch(/\bIhnen\b|\bIhre[mnrs]?\b/);
    // Formal throughout: no "du" forms in what goes to the client.
    expect(letter).not.toMatch(/\b(du|dich|dir|dein|deine[mnrs]?)\b/i);
    expect(letter).not.toMatch(/\bDear\b|\bThank you\b/);
    expect(letter).toContain('Website-Relaunch');
    expect(letter).toMatch(/1\.200,00\s€/u);

    const status = out.slice(out.lastIndexOf('Acme: '));
    expect(status).toContain(fullDe);
  });

  it('keeps the cases: a second run with the same user and prefix lists the first run’s case', async () => {
    const prefix = randomPrefix();
    const cwd = tempDir('persist');
    const first = await runConsole(['start Globex', '1,8', 'skip', 'skip', '1'], { env: envFor(prefix), cwd });
    expectCleanExit(first);
    expect(first.stdout).toContain('Globex');

    const second = await runConsole(['list', 'status Globex'], { env: envFor(prefix), cwd });
    expectCleanExit(second);
    const [listed, ...rest] = blocks(second.stdout);
    expect(listed).toContain('Globex');
    expect(rest.join('\n')).toContain('Pays late'); // the signs recorded in the first run

    // Another user with the same prefix sees nothing of it.
    const stranger = await runConsole(['list'], { env: envFor(prefix, { OFFBOARD_USER: 'e2e-someone-else' }), cwd });
    expectCleanExit(stranger);
    expect(stranger.stdout).not.toContain('Globex');
  });

  it('answers bad input clearly and asks again, and never crashes', async () => {
    const longName = 'X'.repeat(10 * 1024);
    const run = await runConsole(
      [
        '/frobnicate',
        'start', // no client: asked for the name
        'Acme',
        '1',
        'skip',
        'skip', // no gut check
        '1', // raised it already
        '5', // skip cooling off…
        '2', // …yes, really
        '2', // no contract
        '1', // gathered the emails
        '2', // not all paid work delivered
        '2', // no unpaid invoices
        'skip',
        '1',
        '1',
        '2026-02-30', // impossible
        '2026-11-20 14:00', // the Friday before: past
        '2026-11-30 14:00',
        `start ${longName}`,
        `start ${ESC}[31mRed${ESC}[0m Corp`, // no escape sequence may reach the terminal
        'list',
      ],
      { env: envFor(randomPrefix()), cwd: tempDir('bad') },
    );
    expectCleanExit(run);
    const out = run.stdout;
    const bs = blocks(out);

    // Unknown command: named back, with a pointer to help.
    // First contact: the zone and language taken from the computer, said once, then the answer.
    expect(bs[0]).toContain('From this computer I take your time zone to be Europe/Berlin');
    const unknown = bs.findIndex((b) => b.includes('/frobnicate'));
    expect(unknown, out.slice(0, 1500)).toBe(1);
    expect(bs.slice(0, 3).join('\n')).toMatch(/\bhelp\b/i);

    // The talk-date question, then the same question again after each bad date.
    const question = bs.find((b) => /When will you talk to Acme/.test(b));
    expect(question).toBeDefined();
    const impossible = bs.findIndex((b) => b.includes('2026-02-30'));
    expect(impossible).toBeGreaterThan(-1);
    expect(bs[impossible]).toMatch(/not a date|does not exist|calendar/i);
    expect(bs[impossible + 1]).toBe(question);
    const past = bs.findIndex((b, i) => i > impossible && /past/i.test(b));
    expect(past).toBe(impossible + 2);
    expect(bs[past]).toContain('November 20, 2026');
    expect(bs[past + 1]).toBe(question);
    expect(bs[past + 2]).toMatch(/Mon, Nov 30, 2026,? 0?2:00\sPM/u);
    // Nothing recorded the bad dates.
    expect(out).not.toMatch(/set for (Mon, Mar|Fri, Nov 20)/);

    // The 10 kB name: accepted, cut, and the freelancer is told so.
    expect(out).toMatch(/first (\d+) characters/);
    const kept = Number(/first (\d+) characters/.exec(out)?.[1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1000);
    // The echo of the typed line is cut at 200 characters; what the bot says keeps the name's first `kept`.
    const longestRun = Math.max(...(blocks(out).join('\n').match(/X+/g) ?? ['']).map((m) => m.length));
    expect(out).toMatch(/^> start X{194}… \(10246\)$/m);
    expect(longestRun).toBe(kept);
    const listed = bs.at(-1) ?? '';
    expect(listed).toContain('X'.repeat(kept));
    expect(listed).toContain('Acme');
    expect(listed).toMatch(/Red.*Corp/);
  });

  describe('without a Redis', () => {
    it('starts its own redis-server with data in <cwd>/.offboard, and stops it on exit', async () => {
      const cwd = tempDir('local');
      const port = await freePort();
      expect(await listening(port)).toBe(false);
      const env = envFor(randomPrefix(), { REDIS_URL: `redis://127.0.0.1:${port}` });
      try {
        const run = await runConsole(['start Initech', '1,8', 'skip', 'skip', '1', 'list'], { env, cwd, timeoutMs: 30_000 });
        expectCleanExit(run);
        const dataDir = join(cwd, '.offboard');
        const lines = run.stderr.split('\n').filter((l) => l.trim());
        expect(lines, run.stderr).toHaveLength(1);
        expect(lines[0]).toContain(dataDir);
        expect(lines[0]).toContain(String(port));
        expect(run.stdout).toContain('Initech');
        expect(blocks(run.stdout).at(-1)).toContain('Initech');
        expect(existsSync(dataDir)).toBe(true);
        expect(readdirSync(dataDir).length).toBeGreaterThan(0);
        // The child redis-server was stopped before the console exited.
        expect(await listening(port)).toBe(false);

        // Its data stays in <cwd>/.offboard: the next start there finds the case again.
        const again = await runConsole(['list'], { env, cwd, timeoutMs: 30_000 });
        expectCleanExit(again);
        expect(again.stdout).toContain('Initech');
        expect(await listening(port)).toBe(false);
      } finally {
        if (await listening(port)) await shutdownRedis(port);
      }
    });
  });
});

