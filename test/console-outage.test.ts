/**
 * The console while Redis goes away and comes back (issue 13, part 5), through the real entry
 * point (`adapters/main.ts` spawned with stdin held open, like a person at the terminal)
 * against a throwaway redis-server that the test stops and restarts. Times are measured from
 * the moment the test wrote the line or sent the signal.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, listening, shutdownRedis } from './helpers/net.js';
import { killAllConsoles, openConsole, type ConsoleProcess } from './helpers/console-process.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

// What the issue promises the user.
const ANSWER_WITHIN_MS = 2_000;
const EXIT_WITHIN_MS = 2_000;

const AWAY = /I can't reach my storage right now\. Nothing you typed is lost/;
const STILL_AWAY = /Still waiting for my storage/;
const BACK = /My storage is back/;
const HELP = /start <client>/;

let server: TestRedis;

beforeAll(async () => {
  // AOF on: what was saved before the outage is there after it.
  server = await startRedis({ aof: true, allowExternal: false });
});

afterEach(async () => {
  killAllConsoles();
  await server.resume();
});

afterAll(async () => {
  await server.stop();
});

const envFor = (user: string) => ({ REDIS_URL: server.url, OFFBOARD_PREFIX: randomPrefix(), OFFBOARD_USER: user });

/** A console that has answered once, so start-up is behind it and Redis is known to work. */
async function settledConsole(user: string): Promise<ConsoleProcess> {
  const c = openConsole(envFor(user));
  const spawned = c.type('help');
  const answered = await c.waitFor(HELP);
  if (!figures.some((f) => f.startsWith('start-up'))) figures.push(`start-up: 'help' typed at spawn answered after ${answered - spawned} ms`);
  return c;
}

/** The throwaway server's process id, from the server itself. */
async function serverPid(): Promise<number> {
  const r = new Redis(server.url);
  try {
    const info = await r.info('server');
    return Number(/process_id:(\d+)/.exec(info)?.[1]);
  } finally {
    r.disconnect();
  }
}

/** The figures the closing note quotes, printed once per run. */
const figures: string[] = [];
afterAll(() => {
  if (figures.length) process.stdout.write(`\nconsole outage figures:\n  ${figures.join('\n  ')}\n`);
});

describe('the console during a Redis outage', () => {
  it('apologises within 2 s for a line typed while Redis is down, and answers it once Redis is back', async () => {
    const c = await settledConsole('outage-ana');
    await server.halt();
    const mark = c.output().length;
    const typed = c.type('start Acme');
    const apologised = await c.waitFor(AWAY, 10_000, mark);
    expect(apologised - typed).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
    figures.push(`apology after ${apologised - typed} ms (line typed with Redis already down)`);
    // A second line in the same outage: a short note, also at once, and no second apology.
    const typedAgain = c.type('list');
    const noted = await c.waitFor(STILL_AWAY, 10_000, mark);
    expect(noted - typedAgain).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
    // Nothing is answered while Redis is away.
    expect(c.output().slice(mark)).not.toMatch(/Let's look at Acme/);

    const resumed = Date.now();
    await server.resume();
    const back = await c.waitFor(BACK, 20_000, mark);
    await c.waitFor(/Let's look at Acme together[\s\S]*What makes you think it's time to part with Acme\?/, 20_000, mark);
    // The second line is answered too, after the first: the case it lists is the one just started.
    await c.waitFor(/Let's look at Acme[\s\S]*You have 1 open case:\s*\n• Acme/, 20_000, mark);
    figures.push(`answered ${back - resumed} ms after redis-server was started again`);
    const after = c.output().slice(mark);
    expect(after.indexOf('My storage is back')).toBeLessThan(after.indexOf("Let's look at Acme"));
    expect(after.match(/I can't reach my storage/g)).toHaveLength(1);
    expect(after.match(/Let's look at Acme together/g)).toHaveLength(1);

    c.end();
    expect((await c.exited).code).toBe(0);
  });

  it('apologises within 2 s when Redis hangs (no answer, connection open), and answers once it wakes', async () => {
    const c = await settledConsole('outage-bo');
    const pid = await serverPid();
    const mark = c.output().length;
    // SIGSTOP: the server keeps its sockets but answers nothing, the hardest outage to notice.
    process.kill(pid, 'SIGSTOP');
    try {
      const typed = c.type('start Initech');
      const apologised = await c.waitFor(AWAY, 10_000, mark);
      expect(apologised - typed).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
      figures.push(`apology after ${apologised - typed} ms (Redis hung: SIGSTOP)`);
      expect(c.output().slice(mark)).not.toMatch(/Let's look at Initech/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await c.waitFor(/My storage is back[\s\S]*Let's look at Initech together[\s\S]*What makes you think it's time to part with Initech\?/, 20_000, mark);
    expect(c.output().slice(mark).match(/Let's look at Initech together/g)).toHaveLength(1);
    c.end();
    expect((await c.exited).code).toBe(0);
  });

  it('Ctrl-C during an outage ends the console within 2 s', async () => {
    const c = await settledConsole('outage-cy');
    await server.halt();
    const mark = c.output().length;
    c.type('list');
    await c.waitFor(AWAY, 10_000, mark);
    const asked = Date.now();
    c.child.kill('SIGINT');
    const exit = await c.exited;
    expect(exit.at - asked).toBeLessThanOrEqual(EXIT_WITHIN_MS);
    expect(exit.code).toBe(0);
    figures.push(`Ctrl-C (SIGINT) during an outage: exit after ${exit.at - asked} ms`);
    // The line that could not be answered is owned up to, not silently dropped.
    expect(c.output().slice(mark)).toMatch(/without answering your last line/);
  });

  it('Ctrl-D during an outage ends the console within 2 s, also with nothing typed', async () => {
    const typing = await settledConsole('outage-dee');
    const idle = await settledConsole('outage-eve');
    await server.halt();
    const mark = typing.output().length;
    typing.type('list');
    await typing.waitFor(AWAY, 10_000, mark);
    const [askedTyping, askedIdle] = [typing.end(), idle.end()];
    const [exitTyping, exitIdle] = await Promise.all([typing.exited, idle.exited]);
    expect(exitTyping.at - askedTyping).toBeLessThanOrEqual(EXIT_WITHIN_MS);
    expect(exitIdle.at - askedIdle).toBeLessThanOrEqual(EXIT_WITHIN_MS);
    expect([exitTyping.code, exitIdle.code]).toEqual([0, 0]);
    figures.push(`Ctrl-D (end of input) during an outage: exit after ${exitTyping.at - askedTyping} ms (line pending), ${exitIdle.at - askedIdle} ms (idle)`);
    expect(idle.output()).not.toMatch(/without answering/);
  });
});

describe('a console that died', () => {
  it('is started again and shows the open question at once, without the user typing', async () => {
    const env = envFor('crash-fay');
    const first = openConsole(env);
    first.type('start Globex');
    await first.waitFor(/What makes you think it's time to part with Globex\?/);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = openConsole(env);
    const started = Date.now();
    const shown = await second.waitFor(/What makes you think it's time to part with Globex\?/, 20_000);
    figures.push(`open question shown ${shown - started} ms after the restarted console was spawned`);
    // Shown as a question (its options), not as a new case.
    expect(second.output()).toMatch(/1\) /);
    expect(second.output()).not.toMatch(/Let's look at Globex/);
    // And it can be answered as if nothing had happened.
    second.type('1,8');
    await second.waitFor(/Anything else on your mind about it\?/, 20_000);
    second.end();
    expect((await second.exited).code).toBe(0);

    // A console that ended cleanly leaves nothing to resume: the next one starts quietly.
    const third = openConsole(env);
    third.type('list');
    await third.waitFor(/Globex/);
    third.end();
    expect((await third.exited).code).toBe(0);
    expect(third.output()).not.toMatch(/What makes you think/);
  });
});

describe('two consoles on the Redis the first one started', () => {
  it('the first quits with Ctrl-C; the second keeps working, and the last one out stops that Redis', async () => {
    const port = await freePort();
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'offboard-shared-')));
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, OFFBOARD_PREFIX: randomPrefix() };
    try {
      const first = openConsole({ ...env, OFFBOARD_USER: 'shared-gus' }, cwd);
      first.type('help');
      await first.waitFor(HELP, 30_000);
      expect(first.output()).toMatch(/so I started one for you/);
      const second = openConsole({ ...env, OFFBOARD_USER: 'shared-hal' }, cwd);
      second.type('start Umbrella');
      await second.waitFor(/Let's look at Umbrella/, 30_000);
      expect(second.output()).not.toMatch(/started one for you/);

      // Ctrl-C in the first one's terminal: the whole foreground group gets SIGINT.
      const asked = first.interrupt();
      const exit = await first.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - asked).toBeLessThanOrEqual(EXIT_WITHIN_MS);
      figures.push(`first console (owner of the local Redis) exited ${exit.at - asked} ms after Ctrl-C`);
      expect(await listening(port)).toBe(true);

      // The second console goes on as if nothing happened.
      const mark = second.output().length;
      second.type('list');
      await second.waitFor(/You have 1 open case:\s*\n• Umbrella/, 10_000, mark);
      expect(second.output().slice(mark)).not.toMatch(/storage/);
      const ended = second.end();
      const last = await second.exited;
      expect(last.code).toBe(0);
      expect(last.at - ended).toBeLessThanOrEqual(EXIT_WITHIN_MS);
      // The last console out stopped the Redis a console had started; its data stays on disk.
      expect(await listening(port)).toBe(false);
      expect(readdirSync(join(cwd, '.offboard')).length).toBeGreaterThan(0);
    } finally {
      if (await listening(port)) await shutdownRedis(port);
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

