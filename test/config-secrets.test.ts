/**
 * Secrets are never printed, whatever shape a value has: a table of REDIS_URL shapes (no
 * scheme, a bare password, a broken port, unicode, line breaks, very long…) and of secret
 * variables gone wrong. For each: the config problems, and everything the real entry point
 * prints when started with that environment, hold no part of the secret. One more run with a
 * Redis that wants the password shows the running bot's logs do not hold it either.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment, SECRET_VARIABLES, ENV_VARIABLES } from '../src/config.js';
import { freePort, waitUntil } from './helpers/net.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';
import { configProblems } from './helpers/config-problems.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BOT = join(ROOT, 'adapters', 'main.ts');
const WORKER = join(ROOT, 'jobs', 'main.ts');
const RUN_TIMEOUT_MS = 30_000;

const problems = (env: Record<string, string>): string[] => configProblems(readEnvironment, env);

/** Each way a secret could show: as is, JSON-escaped (a quoted value), percent-encoded. */
function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

function expectHidden(text: string, hidden: readonly string[], where: string): void {
  for (const secret of hidden) for (const form of forms(secret)) expect(text.includes(form), `${where} shows ${JSON.stringify(form)}:\n${text.slice(0, 3000)}`).toBe(false);
}

interface Output {
  code: number | null;
  out: string;
}

// Entry points started at once: each loads discord.js, Bolt and BullMQ through tsx, and the
// other test files (timing-sensitive console runs among them) share the machine's two cores.
const AT_ONCE = 2;
let running = 0;
const queued: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  // A finished run hands its slot straight to the next in line, so no newcomer slips in between.
  if (running >= AT_ONCE) await new Promise<void>((go) => queued.push(go));
  else running++;
  try {
    return await work();
  } finally {
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

/** The entry point as `npm start` / `npm run worker` run it (see entryArgs), stdout and stderr together. */
function runEntry(entry: string, args: string[], env: Record<string, string>, stopWhen?: (out: string) => boolean, opts: { tsx?: boolean } = {}): Promise<Output> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...entryArgs(entry, opts), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', LOG_FORMAT: 'json', OFFBOARD_USER: 'e2e', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const take = (s: string) => {
      out += s;
      if (stopWhen?.(out)) child.kill('SIGTERM');
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

interface Shape {
  name: string;
  value: string;
  /** What must never be printed. */
  hidden: string[];
  /** Whether the value is a valid URL (then the process gets as far as trying Redis). */
  valid: boolean;
}

const LONG = `Hunter2Long${'q'.repeat(4000)}`;
const REDIS_SHAPES: Shape[] = [
  { name: 'a colon missing after the scheme', value: 'redis//:Hunter2pw@host:6379', hidden: ['Hunter2pw', 'redis//:Hunter2pw@host:6379'], valid: false },
  { name: 'no scheme at all', value: ':Hunter2pw@host', hidden: ['Hunter2pw'], valid: false },
  { name: 'a bare password', value: 'Hunter2pwBare', hidden: ['Hunter2pwBare'], valid: false },
  { name: 'a bare password with symbols', value: 'p@ss:W0rd/#?x', hidden: ['p@ss:W0rd/#?x', 'W0rd/#?x', 'p@ss'], valid: false },
  { name: 'one slash after the scheme', value: 'redis:/admin:Hunter2pw@host', hidden: ['Hunter2pw', 'admin:Hunter2pw'], valid: false },
  { name: 'another scheme', value: 'http://:Hunter2pw@host:6379', hidden: ['Hunter2pw'], valid: false },
  { name: 'a port that is not a number', value: 'redis://h:notaport', hidden: ['notaport'], valid: false },
  { name: 'a password that breaks the port', value: 'redis://:Hunter2#pw@host', hidden: ['Hunter2#pw', 'Hunter2'], valid: false },
  { name: 'a password with a slash', value: 'redis://:Hunter2/pw@host:6379', hidden: ['Hunter2/pw', 'Hunter2'], valid: false },
  { name: 'a line break in the password', value: 'redis://:Line1Secret\nLine2Secret@host:6379', hidden: ['Line1Secret', 'Line2Secret'], valid: false },
  { name: 'a space in the password', value: 'redis://:Hunter2 pw@host:6379', hidden: ['Hunter2 pw', 'Hunter2'], valid: false },
  { name: 'a tab and unicode', value: 'redis://\t:pässwörd🔑Secret@host', hidden: ['pässwörd🔑Secret', 'pässwörd'], valid: false },
  { name: 'a very long bare password', value: LONG, hidden: [LONG, LONG.slice(0, 40), 'Hunter2Long'], valid: false },
  { name: 'a port out of range', value: 'redis://:Hunter2pw@host:99999', hidden: ['Hunter2pw'], valid: false },
  { name: 'no host', value: 'redis://:Hunter2pw@/0', hidden: ['Hunter2pw'], valid: false },
  { name: 'a database that is not a number', value: 'redis://:Hunter2pw@host:6379/Secret0db', hidden: ['Hunter2pw', 'Secret0db'], valid: false },
  { name: 'an encoded @ in the password (valid)', value: 'redis://:p%40ssW0rd@127.0.0.1:1', hidden: ['p%40ssW0rd', 'p@ssW0rd'], valid: true },
  { name: 'TLS, user and database (valid)', value: 'rediss://user:Hunter2pw@127.0.0.1:1/0', hidden: ['Hunter2pw'], valid: true },
  { name: 'unicode in the password (valid)', value: 'redis://:pässwörd🔑Valid@127.0.0.1:1', hidden: ['pässwörd🔑Valid', 'pässwörd'], valid: true },
  { name: 'a very long password (valid)', value: `redis://:${LONG}@127.0.0.1:1`, hidden: [LONG.slice(0, 40), 'Hunter2Long'], valid: true },
  { name: 'a password in the query (valid)', value: 'redis://127.0.0.1:1/0?password=Hunter2query', hidden: ['Hunter2query'], valid: true },
];

interface SecretRow {
  name: string;
  env: Record<string, string>;
  hidden: string[];
}

const DISCORD_ID = '100000000000000001';
const SECRET_ROWS: SecretRow[] = [
  { name: 'a Slack bot token of the wrong kind', env: { SLACK_BOT_TOKEN: 'xoxp-SecretUserToken123', SLACK_SIGNING_SECRET: 'SigningSecret123' }, hidden: ['SecretUserToken123', 'SigningSecret123'] },
  { name: 'a Slack bot token with a line break', env: { SLACK_BOT_TOKEN: 'xoxb-Secret\nSecondLine9', SLACK_SIGNING_SECRET: 'SigningSecret123', PORT: 'x' }, hidden: ['SecondLine9', 'xoxb-Secret', 'SigningSecret123'] },
  { name: 'a Slack app token of the wrong kind', env: { SLACK_BOT_TOKEN: 'xoxb-1234-Secret', SLACK_APP_TOKEN: 'xoxb-SecretNotApp123' }, hidden: ['SecretNotApp123', 'xoxb-1234-Secret'] },
  { name: 'a short Slack state secret', env: { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'ClientSecret123', SLACK_STATE_SECRET: 'ShortSt1', SLACK_SIGNING_SECRET: 'SigningSecret123' }, hidden: ['ShortSt1', 'ClientSecret123', 'SigningSecret123'] },
  { name: 'a client secret without its state secret', env: { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'ClientSecret🔑ü', SLACK_APP_TOKEN: 'xapp-AppSecret42' }, hidden: ['ClientSecret🔑ü', 'AppSecret42'] },
  { name: 'a signing secret pasted into a quoted variable', env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'SigningSecret123', SLACK_API_URL: 'https//user:SigningSecret123@h', OFFBOARD_PREFIX: 'SigningSecret123!' }, hidden: ['SigningSecret123'] },
  { name: 'a short admin password', env: { ADMIN_USER: 'admin', ADMIN_PASSWORD: 'Short1Pw' }, hidden: ['Short1Pw'] },
  { name: 'an admin password with a line break', env: { ADMIN_USER: 'ad:min', ADMIN_PASSWORD: 'AdminSecret\nLineTwo123' }, hidden: ['AdminSecret', 'LineTwo123'] },
  { name: 'a malformed Discord token', env: { DISCORD_TOKEN: 'Bot NotAToken\nSecretDiscordLine', DISCORD_APPLICATION_ID: DISCORD_ID }, hidden: ['NotAToken', 'SecretDiscordLine'] },
  { name: 'a unicode Discord token', env: { DISCORD_TOKEN: 'SecretDiscord🔑.part.two', DISCORD_APPLICATION_ID: 'x' }, hidden: ['SecretDiscord🔑.part.two', 'SecretDiscord'] },
  { name: 'a very long Discord token', env: { DISCORD_TOKEN: `SecretLong${'y'.repeat(5000)}`, DISCORD_APPLICATION_ID: DISCORD_ID, PORT: '-1' }, hidden: ['SecretLong', 'y'.repeat(40)] },
  { name: 'every secret at once, with REDIS_URL a bare password', env: { REDIS_URL: 'AllAtOncePw', SLACK_BOT_TOKEN: 'xoxp-AllSecret1', SLACK_APP_TOKEN: 'AllSecret2', SLACK_CLIENT_SECRET: 'AllSecret3', SLACK_STATE_SECRET: 'AllSecret4', ADMIN_PASSWORD: 'AllSecret5', DISCORD_TOKEN: 'AllSecret6' }, hidden: ['AllAtOncePw', 'AllSecret1', 'AllSecret2', 'AllSecret3', 'AllSecret4', 'AllSecret5', 'AllSecret6'] },
];

describe('what counts as a secret', () => {
  it('every variable named *_SECRET, *_TOKEN or *_PASSWORD is one', () => {
    const named = ENV_VARIABLES.filter((n) => /_(SECRET|TOKEN|PASSWORD)$/.test(n));
    expect(named.length).toBeGreaterThanOrEqual(7);
    for (const name of named) expect(SECRET_VARIABLES).toContain(name);
  });
});

describe('REDIS_URL shapes: the problem says what is wrong, never the value', () => {
  it.each(REDIS_SHAPES.map((s) => [s.name, s] as const))('%s', (_name, shape) => {
    const lines = problems({ REDIS_URL: shape.value });
    if (shape.valid) {
      expect(lines).toEqual([]);
      return;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^REDIS_URL: .+\(example: redis:\/\/127\.0\.0\.1:6379/);
    expect(lines[0]).not.toContain('\n');
    expectHidden(lines.join('\n'), shape.hidden, 'the problem');
  });
});

describe('secret variables gone wrong: never quoted', () => {
  it.each(SECRET_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const lines = problems(row.env);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expectHidden(lines.join('\n'), row.hidden, 'the problems');
  });
});

// Each run is its own test, a few at a time: an entry point takes seconds to load on a busy
// machine, and one test for the whole table would have to wait for all of them.
const RUN_TEST_TIMEOUT_MS = 120_000;
// The worker reads the same schema; it is run where it gets further than the check (URLs that parse).
const WORKER_SHAPES = new Set(['TLS, user and database (valid)', 'a password in the query (valid)']);

describe('the real entry points print no secret', () => {
  const redisRuns = REDIS_SHAPES.flatMap((shape) => [
    [`bot, ${shape.name}`, BOT, shape] as const,
    ...(WORKER_SHAPES.has(shape.name) ? [[`worker, ${shape.name}`, WORKER, shape] as const] : []),
  ]);
  it.concurrent.each(redisRuns)('%s', async (what, entry, shape) => {
    const run = await inTurn(() => runEntry(entry, entry === BOT ? ['--serve'] : [], { REDIS_URL: shape.value }));
    expect(run.code, `${what}: ${run.out}`).toBe(1);
    // It said why it stopped: the configuration, or no Redis at the (masked) address.
    expect(run.out).toMatch(shape.valid ? /nothing answers at redis/ : /REDIS_URL: /);
    expectHidden(run.out, shape.hidden, what);
  }, RUN_TEST_TIMEOUT_MS);

  it.concurrent.each(SECRET_ROWS.map((r) => [r.name, r] as const))('bot, %s', async (_name, row) => {
    const run = await inTurn(() => runEntry(BOT, ['--serve'], row.env));
    expect(run.code, `${row.name}: ${run.out}`).toBe(1);
    expect(run.out).toMatch(/offboard cannot start:/);
    expectHidden(run.out, row.hidden, row.name);
  }, RUN_TEST_TIMEOUT_MS);
});

describe('a Redis that wants a password', () => {
  let server: TestRedis;
  const PASSWORD = 'LiveRedisSecret42';

  beforeAll(async () => {
    server = await startRedis({ allowExternal: false });
    const admin = new Redis(server.url);
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
  });
  afterAll(async () => server?.stop());

  it('the running bot logs (at debug) without it; a wrong one is not printed either', async () => {
    const port = await freePort();
    const url = `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`;
    let started = false;
    // Through tsx, exactly as `npm run serve` starts it: the one run here that loads the whole bot.
    const live = await runEntry(BOT, ['--serve'], { REDIS_URL: url, PORT: String(port), LOG_LEVEL: 'debug', OFFBOARD_WORKER: 'inline' }, (out) => (started ||= /No chat platform is configured/.test(out)), { tsx: true });
    await waitUntil('the bot to start', () => started, 1, () => live.out);
    expect(live.out).toMatch(/No chat platform is configured/);
    expectHidden(live.out, [PASSWORD, url], 'the live bot');

    const wrong = await runEntry(BOT, ['--serve'], { REDIS_URL: `redis://:WrongRedisSecret7@127.0.0.1:${server.port}` });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/nothing answers at redis:\/\/\*\*\*@127\.0\.0\.1:\d+/);
    expectHidden(wrong.out, ['WrongRedisSecret7', PASSWORD], 'the bot with a wrong password');
  }, RUN_TEST_TIMEOUT_MS);
});
