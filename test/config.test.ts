/**
 * The configuration: one schema for every environment variable, one line per problem, no
 * secret ever quoted; every variable the code reads is in the schema and in .env.example;
 * and the real entry point stops cleanly on a bad value. Pure apart from one spawned process.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlatforms } from '../adapters/platforms.js';
import { ConfigError, DEFAULTS, ENV_VARIABLES, formatConfigProblems, readConfig, readEnvironment, SECRET_VARIABLES } from '../src/config.js';
import { configProblems } from './helpers/config-problems.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'adapters', 'main.ts');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const DISCORD_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GfAkE0.fake-token-never-logged-0123456789';
const DISCORD_ID = '100000000000000001';

const problems = (env: Record<string, string>): string[] => configProblems(readConfig, env);

describe('a bad value: exactly one line, naming the variable, with an example', () => {
  const cases: Array<[kind: string, env: Record<string, string>, variable: string, wording: RegExp]> = [
    // REDIS_URL is described, never quoted: the value may be a password (see config-secrets.test.ts).
    ['not a URL', { REDIS_URL: 'nope' }, 'REDIS_URL', /^REDIS_URL: does not start with redis:\/\/ or rediss:\/\/ \(with TLS\) \(example: redis:\/\/127\.0\.0\.1:6379, or rediss:/],
    ['not a URL (http for redis)', { REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL', /must start with redis:\/\/ or rediss:\/\/ \(with TLS\), not another scheme/],
    ['not an http URL', { DISCORD_TOKEN, DISCORD_APPLICATION_ID: DISCORD_ID, DISCORD_API_URL: 'ftp://x' }, 'DISCORD_API_URL', /"ftp:\/\/x" is not an http\(s\) URL/],
    ['not a port', { PORT: 'eighty' }, 'PORT', /"eighty" is not a port number \(example: 3000/],
    ['a port out of range', { PORT: '99999' }, 'PORT', /"99999" is not a port number, ports go from 0 to 65535/],
    ['a negative port', { WORKER_PORT: '-1' }, 'WORKER_PORT', /"-1" is not a port number \(example: 3001/],
    ['a board port out of range', { BOARD_PORT: '65536' }, 'BOARD_PORT', /"65536" is not a port number, ports go from 0 to 65535 \(example: 3002/],
    ['a number out of range', { OFFBOARD_WORKER_CONCURRENCY: '5000' }, 'OFFBOARD_WORKER_CONCURRENCY', /"5000" must be a whole number from 1 to 1000 \(example: 50\)$/],
    ['not a whole number', { OFFBOARD_WORKER_CONCURRENCY: '2.5' }, 'OFFBOARD_WORKER_CONCURRENCY', /"2.5" must be a whole number/],
    ['a lock too short', { OFFBOARD_WORKER_LOCK_SECONDS: '1' }, 'OFFBOARD_WORKER_LOCK_SECONDS', /"1" must be a whole number from 5 to 600/],
    ['a bad enum (worker)', { OFFBOARD_WORKER: 'sometimes' }, 'OFFBOARD_WORKER', /"sometimes" must be inline or off/],
    ['a bad enum (log level)', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /"verbose" must be trace, debug, info, warn, error, fatal or silent/],
    ['a bad enum (log format)', { LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /"xml" must be json or pretty/],
    ['a bad language', { OFFBOARD_LANG: 'klingon' }, 'OFFBOARD_LANG', /"klingon" is not a language offboard speaks: en, de, fr, tr, vi/],
    ['a bad ISO instant', { OFFBOARD_NOW: 'next tuesday' }, 'OFFBOARD_NOW', /"next tuesday" is not an ISO instant with a time zone \(example: 2026-11-23T09:00:00Z\)$/],
    ['an instant without a zone', { OFFBOARD_NOW: '2026-11-23T09:00:00' }, 'OFFBOARD_NOW', /is not an ISO instant with a time zone/],
    ['a bad prefix', { OFFBOARD_PREFIX: 'my bot' }, 'OFFBOARD_PREFIX', /"my bot" must be 1-40 letters, digits, dots, dashes or underscores \(example: offboard\)$/],
    ['ADMIN_USER without a password', { ADMIN_USER: 'admin' }, 'ADMIN_PASSWORD', /missing while ADMIN_USER is set, set both or neither/],
    ['a password without ADMIN_USER', { ADMIN_PASSWORD: 'a-long-admin-password' }, 'ADMIN_USER', /missing while ADMIN_PASSWORD is set/],
    ['a short password', { ADMIN_USER: 'admin', ADMIN_PASSWORD: 'hunter2abc' }, 'ADMIN_PASSWORD', /too short, use at least 12 characters/],
    ['a user name with a colon', { ADMIN_USER: 'ad:min', ADMIN_PASSWORD: 'a-long-admin-password' }, 'ADMIN_USER', /contain no ":"/],
    ['half a Slack config (HTTP without a signing secret)', { SLACK_BOT_TOKEN: 'xoxb-1234-5678-secret-bot-token' }, 'SLACK_SIGNING_SECRET', /missing, HTTP mode needs it/],
    ['half a Slack config (OAuth without its state secret)', { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret-value', SLACK_SIGNING_SECRET: 'signing-secret-value' }, 'SLACK_STATE_SECRET', /missing/],
    ['a short Slack state secret', { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret-value', SLACK_STATE_SECRET: 'short-state', SLACK_SIGNING_SECRET: 'signing-secret-value' }, 'SLACK_STATE_SECRET', /too short, use at least 16/],
    ['a malformed Slack bot token', { SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 'signing-secret-value' }, 'SLACK_BOT_TOKEN', /a bot token starts with "xoxb-"/],
    ['a malformed Slack app token', { SLACK_BOT_TOKEN: 'xoxb-1234-5678-secret-bot-token', SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, 'SLACK_APP_TOKEN', /an app-level token starts with "xapp-"/],
    ['both Slack install kinds', { SLACK_BOT_TOKEN: 'xoxb-1234-5678-secret-bot-token', SLACK_SIGNING_SECRET: 'signing-secret-value', SLACK_CLIENT_ID: '1.2' }, 'SLACK_BOT_TOKEN', /set together with SLACK_CLIENT_ID/],
    ['a bad Discord id', { DISCORD_TOKEN, DISCORD_APPLICATION_ID: '12' }, 'DISCORD_APPLICATION_ID', /"12" is not a Discord id, 17-20 digits \(example: \d{19}\)$/],
    ['a bad Discord server id', { DISCORD_TOKEN, DISCORD_APPLICATION_ID: DISCORD_ID, DISCORD_GUILD_ID: 'my server' }, 'DISCORD_GUILD_ID', /"my server" is not a server id/],
    ['a malformed Discord token', { DISCORD_TOKEN: 'not-a-token-but-secret', DISCORD_APPLICATION_ID: DISCORD_ID }, 'DISCORD_TOKEN', /does not look like a bot token/],
    ['half a Discord config', { DISCORD_APPLICATION_ID: DISCORD_ID }, 'DISCORD_TOKEN', /^DISCORD_TOKEN: missing/],
  ];

  it.each(cases)('%s', (_kind, env, variable, wording) => {
    const lines = problems(env);
    expect(lines).toHaveLength(1);
    const [line] = lines as [string];
    expect(line.startsWith(`${variable}: `), line).toBe(true);
    expect(line).toMatch(wording);
    expect(line).not.toContain('\n');
    for (const name of SECRET_VARIABLES) {
      const value = env[name];
      if (value) expect(line, `${name}'s value is quoted`).not.toContain(value);
    }
  });

  it('most lines end with an example', () => {
    const lines = cases.filter(([kind]) => kind !== 'both Slack install kinds').flatMap(([, env]) => problems(env));
    for (const line of lines) expect(line).toMatch(/\(example: .+\)$/);
  });
});

describe('secrets, long values and odd characters', () => {
  it('never quotes a secret, not even in a message about another variable', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-this-is-a-user-token-SECRET1',
      SLACK_APP_TOKEN: 'not-an-app-token-SECRET2',
      SLACK_STATE_SECRET: 'SECRET3',
      SLACK_CLIENT_SECRET: 'client-SECRET4',
      DISCORD_TOKEN: 'discord-SECRET5',
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: 'SECRET6-x',
      // Someone pasted a token into a variable that is quoted: the scrub catches it.
      OFFBOARD_PREFIX: 'discord-SECRET5!',
    };
    const err = (() => {
      try {
        readConfig(env);
      } catch (e) {
        return e;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const text = `${(err as ConfigError).problems.join('\n')}\n${(err as Error).message}`;
    for (const value of Object.values(env)) if (value.includes('SECRET')) expect(text).not.toContain(value);
    expect(text).toMatch(/OFFBOARD_PREFIX: "\*\*\*!" must be/);
  });

  it('masks the credentials of a bad URL and cuts long values', () => {
    const [redis] = problems({ REDIS_URL: 'redis:/admin:hunter2hunter2@host' });
    expect(redis).toMatch(/^REDIS_URL: does not start with redis:\/\//);
    expect(redis).not.toMatch(/hunter2|admin/);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'https//user:hunter2hunter2@h' })).toEqual([
      'SLACK_API_URL: "***@h" is not an http(s) URL (example: https://slack.com/api/)',
    ]);
    const [line] = problems({ OFFBOARD_PREFIX: `${'x'.repeat(200)}\nnext` });
    expect(line).toMatch(/^OFFBOARD_PREFIX: "x{39}…" must be/);
  });

  it('keeps a stray newline inside the quotes', () => {
    const lines = problems({ OFFBOARD_WORKER: 'in\nline' });
    expect(lines).toEqual([expect.stringMatching(/^OFFBOARD_WORKER: "in\\nline" must be inline or off/)]);
  });
});

describe('every problem at once', () => {
  it('several bad values give one line each, in the order of the variables', () => {
    const lines = problems({ PORT: '99999', REDIS_URL: 'nope', LOG_LEVEL: 'loud', ADMIN_USER: 'admin', DISCORD_GUILD_ID: 'x', SLACK_API_URL: 'nope' });
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'REDIS_URL',
      'LOG_LEVEL',
      'PORT',
      'ADMIN_PASSWORD',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'DISCORD_GUILD_ID',
    ]);
  });

  it('readPlatforms reports the processes\' variables too, and readConfig the platforms\'', () => {
    const env = { REDIS_URL: 'nope', SLACK_BOT_TOKEN: 'xoxb-1234-5678-secret-bot-token' };
    expect(() => readPlatforms(env)).toThrow(ConfigError);
    try {
      readPlatforms(env);
    } catch (err) {
      expect((err as ConfigError).problems.map((l) => l.split(':')[0])).toEqual(['REDIS_URL', 'SLACK_SIGNING_SECRET']);
    }
    expect(problems(env).map((l) => l.split(':')[0])).toEqual(['REDIS_URL', 'SLACK_SIGNING_SECRET']);
  });

  it('formats them for an entry point', () => {
    expect(formatConfigProblems(['REDIS_URL: bad', 'PORT: bad'], 'offboard')).toBe('offboard cannot start:\n  - REDIS_URL: bad\n  - PORT: bad');
  });
});

describe('good values', () => {
  it('nothing set: the defaults', () => {
    const config = readConfig({ OFFBOARD_USER: 'ana' });
    expect(config).toMatchObject({
      redisUrl: DEFAULTS.redisUrl,
      redisUrlDefault: true,
      keyPrefix: 'offboard',
      worker: 'inline',
      workerConcurrency: 50,
      workerLockSeconds: 30,
      port: 3000,
      workerPort: 3001,
      boardPort: 3002,
      admin: null,
      log: { level: 'info', format: undefined },
      console: { user: 'ana', locale: 'en', filesDir: './offboard-files', timeTravel: false },
    });
    expect(config.console.now).toBeUndefined();
  });

  it('an empty or blank value is the same as unset', () => {
    const blank = Object.fromEntries(ENV_VARIABLES.map((name) => [name, name === 'OFFBOARD_USER' ? 'ana' : ' ']));
    expect(readEnvironment(blank)).toEqual(readEnvironment({ OFFBOARD_USER: 'ana' }));
    expect(readEnvironment(blank)).toMatchObject({ slack: null, discord: null });
  });

  it('a full environment parses', () => {
    const env = {
      REDIS_URL: 'rediss://:pw@redis.example.com:6380/0',
      OFFBOARD_PREFIX: 'team-a.bot_1',
      OFFBOARD_USER: ' ana ',
      OFFBOARD_LANG: 'de_DE.UTF-8',
      LC_ALL: 'fr_FR.UTF-8',
      LANG: 'C.UTF-8',
      OFFBOARD_NOW: '2026-11-23T09:00:00+01:00',
      OFFBOARD_WORKER: 'OFF',
      OFFBOARD_WORKER_CONCURRENCY: '200',
      OFFBOARD_WORKER_LOCK_SECONDS: '60',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      PORT: '0',
      WORKER_PORT: '8081',
      BOARD_PORT: '8082',
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: 'correct horse battery',
      SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_APP_TOKEN: 'xapp-1-A0123-4567-abcdef',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      DISCORD_TOKEN: `Bot ${DISCORD_TOKEN}`,
      DISCORD_APPLICATION_ID: DISCORD_ID,
      DISCORD_GUILD_ID: '100000000000000002',
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
    };
    const all = readEnvironment(env);
    expect(all.config).toEqual({
      redisUrl: 'rediss://:pw@redis.example.com:6380/0',
      redisUrlDefault: false,
      redis: { mode: 'single', url: 'rediss://:pw@redis.example.com:6380/0' },
      keyPrefix: 'team-a.bot_1',
      worker: 'off',
      workerConcurrency: 200,
      workerLockSeconds: 60,
      port: 0,
      workerPort: 8081,
      boardPort: 8082,
      admin: { user: 'admin', password: 'correct horse battery' },
      log: { level: 'debug', format: 'pretty' },
      console: { user: 'ana', locale: 'de', filesDir: './offboard-files', timeTravel: false, now: new Date('2026-11-23T08:00:00Z') },
    });
    expect(all.slack).toEqual({
      signingSecret: 'signing-secret-value',
      install: { kind: 'single', botToken: 'xoxb-1234-5678-abcdef' },
      transport: { kind: 'socket', appToken: 'xapp-1-A0123-4567-abcdef', port: 0 },
      apiUrl: 'http://127.0.0.1:4000/api/',
    });
    expect(all.discord).toEqual({ token: DISCORD_TOKEN, applicationId: DISCORD_ID, guildId: '100000000000000002', apiUrl: 'http://127.0.0.1:9/api' });
    expect(readPlatforms(env)).toEqual({ slack: all.slack, discord: all.discord });
  });

  it('Slack over HTTP listens on PORT', () => {
    expect(readEnvironment({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' }).slack?.transport).toEqual({ kind: 'http', port: 8080 });
  });

  it('the language falls back from OFFBOARD_LANG to LC_ALL to LANG, and an unknown system locale means English', () => {
    expect(readConfig({ LC_ALL: 'tr_TR.UTF-8', LANG: 'fr_FR.UTF-8' }).console.locale).toBe('tr');
    expect(readConfig({ LANG: 'vi_VN' }).console.locale).toBe('vi');
    expect(readConfig({ LANG: 'C.UTF-8' }).console.locale).toBe('en');
    expect(readConfig({ OFFBOARD_LANG: 'en-GB', LANG: 'de_DE' }).console.locale).toBe('en');
  });
});

// ---- every variable the code reads is in the schema and in .env.example ------------------------

const SCANNED_DIRS = ['src', 'adapters', 'jobs', 'ops'];

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

// Upper-case names only: `env.user` and friends are envelopes, not the environment.
const NAME = '([A-Z_][A-Z0-9_]*)';
const ENV_READS = [
  new RegExp(`process\\.env\\.${NAME}\\b`, 'g'),
  new RegExp(`process\\.env\\[\\s*['"\`]${NAME}['"\`]\\s*\\]`, 'g'),
  new RegExp(`\\benv\\.${NAME}\\b`, 'g'),
  new RegExp(`\\benv\\[\\s*['"\`]${NAME}['"\`]\\s*\\]`, 'g'),
  new RegExp(`\\bget\\(\\s*['"\`]${NAME}['"\`]\\s*\\)`, 'g'),
];
const DESTRUCTURED = /\{([^{}]*)\}\s*=\s*process\.env\b/g;

/** The environment variables a source text reads by name (`process.env.X` also matches `env.X`: a set). */
function envReads(source: string): string[] {
  const names = ENV_READS.flatMap((re) => [...source.matchAll(re)].map((m) => m[1] as string));
  for (const m of source.matchAll(DESTRUCTURED)) {
    for (const part of (m[1] as string).split(',')) {
      const name = part.split(/[:=]/)[0]?.trim();
      if (name && /^[A-Z_][A-Z0-9_]*$/.test(name)) names.push(name);
    }
  }
  return [...new Set(names)];
}

const EXAMPLE_PATH = join(ROOT, '.env.example');
const inExample = (example: string, name: string): boolean => new RegExp(`^\\s*#?\\s*${name}=`, 'm').test(example);

describe('the environment the code reads', () => {
  it('the scanner finds every form of read', () => {
    const sample = [
      "process.env.A_ONE; process.env['B_TWO']; process.env[\"C3\"];",
      "env.D_FOUR; env['E_FIVE']; get('F_SIX');",
      'const { G_SEVEN, H_EIGHT: h = 1 } = process.env;',
      "env.user; env.eventId; cfg.get('x'); myenv.NOT_ME;",
    ].join('\n');
    expect(envReads(sample).sort()).toEqual(['A_ONE', 'B_TWO', 'C3', 'D_FOUR', 'E_FIVE', 'F_SIX', 'G_SEVEN', 'H_EIGHT']);
  });

  const reads = SCANNED_DIRS.flatMap((d) => tsFiles(join(ROOT, d))).flatMap((file) =>
    envReads(readFileSync(file, 'utf8')).map((name) => ({ name, file: relative(ROOT, file).split(sep).join('/') })),
  );

  it('each one is a variable of the schema', () => {
    const unknown = reads.filter((r) => !(ENV_VARIABLES as readonly string[]).includes(r.name)).map((r) => `${r.file} reads ${r.name}`);
    expect(unknown, 'read outside the schema (add it to src/config/ and .env.example, or read it through readConfig)').toEqual([]);
  });

  it('each one, and every variable of the schema, is documented in .env.example', () => {
    const example = readFileSync(EXAMPLE_PATH, 'utf8');
    const names = new Set([...ENV_VARIABLES, ...reads.map((r) => r.name)]);
    expect([...names].filter((name) => !inExample(example, name))).toEqual([]);
  });

  it('.env.example sets no secret and names nothing the schema does not know', () => {
    const example = readFileSync(EXAMPLE_PATH, 'utf8');
    const assigned = [...example.matchAll(/^\s*(#\s*)?([A-Z_][A-Z0-9_]*)=(.*)$/gm)];
    // Read by docker-compose.yml itself, not by the code.
    const composeOnly = ['REDIS_MAXMEMORY', 'COMPOSE_PROFILES', 'COMPOSE_REDIS_URL'];
    for (const [, commented, name, value] of assigned) {
      if (composeOnly.includes(name as string)) continue;
      expect(ENV_VARIABLES as readonly string[], `${name} in .env.example`).toContain(name);
      if (!commented && SECRET_VARIABLES.includes(name as (typeof SECRET_VARIABLES)[number])) expect(value, name).toBe('');
    }
    // Its uncommented lines are a valid environment on their own.
    const live = Object.fromEntries(assigned.filter((m) => !m[1]).map((m) => [m[2] as string, m[3] as string]));
    expect(() => readEnvironment(live)).not.toThrow();
  });
});

// ---- the real entry point -----------------------------------------------------------------------

interface Run {
  code: number | null;
  stderr: string;
}

function runMain(env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe('adapters/main.ts with bad values', () => {
  it('stops with exit code 1 and one line per problem, no stack trace', async () => {
    const run = await runMain({ REDIS_URL: 'nope', PORT: '99999', OFFBOARD_USER: 'e2e' });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('    at ');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      'offboard cannot start:',
      expect.stringMatching(/^ {2}- REDIS_URL: does not start with redis:\/\/ or rediss:\/\//),
      expect.stringMatching(/^ {2}- PORT: "99999" is not a port number/),
    ]);
  });
});
