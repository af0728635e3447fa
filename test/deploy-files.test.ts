/**
 * The deployment files, read without Docker: docker-compose.yml (parsed with `yaml`, merge
 * keys on, as Compose reads them), the Dockerfile (a line parser that joins `\`
 * continuations) and .dockerignore. They check what a `docker compose up` for a community
 * relies on, and that every file the image runs is one tsc actually emits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../src/config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

// ---- docker-compose.yml --------------------------------------------------------------------

type Yaml = Record<string, unknown>;

interface Compose {
  services: Record<string, Yaml>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_TEXT = read('docker-compose.yml');
const compose = parse(COMPOSE_TEXT, { merge: true }) as Compose;
const APP_SERVICES = ['bot', 'worker', 'board'] as const;

function service(name: string): Yaml {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

/** A command or healthcheck test as a list of words (Compose accepts a string or a list). */
function words(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.trim().split(/\s+/);
  return [];
}

/** `environment:` as a map, from either the map or the `KEY=value` list form. */
function environment(s: Yaml): Record<string, string> {
  const env = s['environment'];
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env as Yaml).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

interface Published {
  ip: string | null;
  target: number;
}

/** Published ports, short (`[ip:]host:container[/proto]`) or long syntax. */
function ports(s: Yaml): Published[] {
  const list = (s['ports'] ?? []) as unknown[];
  return list.map((p) => {
    if (typeof p === 'object' && p !== null) {
      const o = p as Yaml;
      return { ip: o['host_ip'] ? String(o['host_ip']) : null, target: Number(o['target']) };
    }
    // Interpolations such as ${PORT:-3000} contain a colon of their own: take them out first.
    const parts = String(p).replace(/\$\{[^}]*\}/g, 'VAR').replace(/\/(tcp|udp)$/, '').split(':');
    return { ip: parts.length === 3 ? (parts[0] ?? null) : null, target: Number(parts[parts.length - 1]) };
  });
}

/** A Compose duration (`30s`, `1m30s`, `500ms`) in seconds. */
function seconds(value: unknown): number {
  const units: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of String(value).matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) total += Number(m[1]) * (units[m[2] ?? 's'] ?? 0);
  return total;
}

// ---- tsc's output: dist/X.js comes from X.ts ------------------------------------------------

const tsconfigBuild = JSON.parse(read('tsconfig.build.json')) as {
  compilerOptions: { outDir?: string; rootDir?: string };
  include: string[];
};

/**
 * The TypeScript file that `npm run build` compiles to `js` (a path like dist/jobs/main.js),
 * after checking that tsconfig.build.json really emits it there: outDir dist, rootDir the
 * project, and the file's top directory included.
 */
function sourceOf(js: string): string {
  expect(tsconfigBuild.compilerOptions.outDir).toBe('dist');
  expect(tsconfigBuild.compilerOptions.rootDir).toBe('.');
  const m = /^dist\/(.+)\.js$/.exec(js);
  if (!m?.[1]) throw new Error(`${js} is not a file under dist/`);
  const ts = `${m[1]}.ts`;
  expect(tsconfigBuild.include, `tsconfig.build.json does not compile ${ts}`).toContain(ts.split('/')[0]);
  return ts;
}

/** The compiled entry point a command runs (`node dist/X.js …`), or null for another command. */
function entryOf(command: string[]): string | null {
  return command[0] === 'node' ? (command.find((w) => w.endsWith('.js')) ?? null) : null;
}

describe('docker-compose.yml', () => {
  it('has redis, bot, worker and board', () => {
    for (const name of ['redis', ...APP_SERVICES]) expect(compose.services, name).toHaveProperty(name);
  });

  it('runs Redis with an append-only file, fsync every second and no eviction', () => {
    const redis = service('redis');
    const command = words(redis['command']);
    const after = (flag: string) => command[command.indexOf(flag) + 1];
    expect(command).toContain('--appendonly');
    expect(after('--appendonly')).toBe('yes');
    expect(after('--appendfsync')).toBe('everysec');
    expect(after('--maxmemory-policy')).toBe('noeviction');
    // noeviction means nothing without a limit: Redis would grow until the kernel kills it.
    expect(after('--maxmemory'), 'a memory limit').toMatch(/^(\d+[kmg]b?|\$\{REDIS_MAXMEMORY:-\d+[kmg]b\})$/i);
    expect(String(redis['image'])).toMatch(/^redis:7(\b|-)/);
    expect(redis['restart']).toBe('unless-stopped');
  });

  it('keeps Redis data in a named volume declared at the top level', () => {
    const mounts = (service('redis')['volumes'] ?? []) as unknown[];
    const data = mounts.map(String).find((m) => m.split(':')[1] === '/data');
    expect(data, 'a volume mounted at /data').toBeDefined();
    const name = data!.split(':')[0]!;
    expect(name, 'a named volume, not a host directory').toMatch(/^[A-Za-z0-9][\w.-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(name);
  });

  it('checks Redis health with redis-cli ping, and does not publish it beyond the host', () => {
    const redis = service('redis');
    const test = words((redis['healthcheck'] as Yaml | undefined)?.['test']);
    expect(test).toContain('redis-cli');
    expect(test).toContain('ping');
    for (const p of ports(redis)) expect(p.ip, 'Redis has no password: loopback only').toBe('127.0.0.1');
  });

  it('starts the bot, the workers and the board only once Redis is healthy, and points them at it', () => {
    for (const name of APP_SERVICES) {
      const s = service(name);
      expect(s['depends_on'], name).toMatchObject({ redis: { condition: 'service_healthy' } });
      // redis:6379 unless .env blanks COMPOSE_REDIS_URL for the ha profile (tested below).
      expect(environment(s)['REDIS_URL'], name).toBe('${COMPOSE_REDIS_URL-redis://redis:6379}');
      expect(s['init'], `${name}: tini forwards signals and reaps zombies`).toBe(true);
      expect(s['restart'], name).toBe('unless-stopped');
    }
  });

  it('builds one image for the bot, the workers and the board', () => {
    const images = new Set(APP_SERVICES.map((name) => service(name)['image']));
    expect(images.size).toBe(1);
    expect([...images][0]).toBeTruthy();
    expect(service('bot')['build']).toBeDefined();
  });

  it('reads .env without requiring it', () => {
    for (const name of APP_SERVICES) {
      const files = (service(name)['env_file'] ?? []) as unknown[];
      const paths = files.map((f) => (typeof f === 'string' ? f : String((f as Yaml)['path'])));
      expect(paths, name).toContain('.env');
      const long = files.find((f) => typeof f === 'object' && (f as Yaml)['path'] === '.env') as Yaml | undefined;
      expect(long?.['required'], `${name}: a first \`docker compose up\` without .env must still start`).toBe(false);
    }
  });

  it('serves chat from the bot on container port 3000, leaving reminders to the workers', () => {
    const bot = service('bot');
    const command = words(bot['command']);
    expect(command.join(' ')).toMatch(/^(node dist\/adapters\/main\.js --serve|npm run serve)$/);
    expect(ports(bot).map((p) => p.target)).toContain(3000);
    expect(environment(bot)['PORT'], 'the port inside the container is fixed').toBe('3000');
    expect(environment(bot)['OFFBOARD_WORKER']).toBe('off');
    expect(bot['profiles']).toBeUndefined();
  });

  it('keeps Bull Board off the bot and the workers: only the board service serves it', () => {
    for (const name of ['bot', 'worker'] as const) {
      expect(environment(service(name))['ADMIN_USER'], `${name} blanks the admin login`).toBe('');
      expect(environment(service(name))['ADMIN_PASSWORD'], `${name} blanks the admin login`).toBe('');
    }
    expect(environment(service('board'))['ADMIN_USER']).toBeUndefined();
  });

  it('runs two worker replicas with no published port, their own health check and time to finish', () => {
    const worker = service('worker');
    expect(words(worker['command']).join(' ')).toMatch(/^(node dist\/jobs\/main\.js|npm run worker)$/);
    expect((worker['deploy'] as Yaml | undefined)?.['replicas']).toBe(2);
    expect(worker['ports'] ?? [], 'two replicas cannot publish one host port').toEqual([]);
    expect(worker['profiles']).toBeUndefined();
    expect(environment(worker)['WORKER_PORT']).toBe('3001');
    // The image's health check serves: it finds whichever port this container listens on.
    expect((worker['healthcheck'] as Yaml | undefined)?.['disable']).not.toBe(true);
    // A worker finishes the jobs in hand within 10 s of SIGTERM.
    expect(seconds(worker['stop_grace_period'])).toBeGreaterThanOrEqual(15);
  });

  it('starts Bull Board only in the admin profile, on loopback', () => {
    const board = service('board');
    expect(board['profiles']).toEqual(['admin']);
    expect(words(board['command']).join(' ')).toMatch(/^(node dist\/ops\/board-main\.js|npm run board)$/);
    expect(environment(board)['BOARD_PORT']).toBe('3002');
    const published = ports(board);
    expect(published.map((p) => p.target)).toContain(3002);
    for (const p of published) expect(p.ip, 'Bull Board can delete jobs: loopback only').toBe('127.0.0.1');
    expect((board['healthcheck'] as Yaml | undefined)?.['disable']).not.toBe(true);
    for (const name of ['redis', 'bot', 'worker']) expect(service(name)['profiles'], name).toBeUndefined();
  });

  it('runs compiled files that tsc emits', () => {
    for (const name of APP_SERVICES) {
      const js = entryOf(words(service(name)['command']));
      if (js) expect(existsSync(join(ROOT, sourceOf(js))), `${name} runs ${js}`).toBe(true);
    }
  });

  it('hard-codes no token, secret or password', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(environment(s))) {
        // Blanking one (turning a feature off for a service) is fine; a value belongs in .env.
        if (/TOKEN|SECRET|PASSWORD|CLIENT_ID|_KEY$/.test(key) && value !== '') expect.fail(`${name} sets ${key} in docker-compose.yml; it belongs in .env`);
      }
    }
    expect(COMPOSE_TEXT).not.toMatch(/xox[abpr]-|xapp-/); // Slack tokens
    expect(COMPOSE_TEXT).not.toMatch(/[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/); // a Discord bot token
  });
});

describe('docker-compose.yml, profile ha (a replica and three Sentinels)', () => {
  const SENTINELS = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'];
  const sentinelConf = (name: string): string => words(service(name)['command']).join(' ');

  it('adds a replica of redis and three Sentinels, only in the ha profile', () => {
    for (const name of ['redis-replica', ...SENTINELS]) expect(service(name)['profiles'], name).toEqual(['ha']);
    const replica = words(service('redis-replica')['command']);
    const after = (flag: string) => replica[replica.indexOf(flag) + 1];
    expect(after('--replicaof')).toBe('redis');
    expect(replica[replica.indexOf('--replicaof') + 2]).toBe('6379');
    // It may become the primary: the same durability and memory rules.
    expect(after('--appendonly')).toBe('yes');
    expect(after('--maxmemory-policy')).toBe('noeviction');
    expect(after('--maxmemory')).toBe(words(service('redis')['command'])[words(service('redis')['command']).indexOf('--maxmemory') + 1]);
    expect((service('redis-replica')['volumes'] as unknown[]).map(String).some((v) => v.endsWith(':/data'))).toBe(true);
  });

  it('the Sentinels watch redis under one name, a majority deciding, each as its own service', () => {
    const monitors = SENTINELS.map((name) => /sentinel monitor (\S+) (\S+) (\d+) (\d+)/.exec(sentinelConf(name)));
    for (const [i, m] of monitors.entries()) {
      expect(m, SENTINELS[i]).not.toBeNull();
      expect(m?.slice(1)).toEqual(['offboard', 'redis', '6379', '2']);
      expect(sentinelConf(SENTINELS[i] ?? '')).toMatch(/--sentinel$/);
      expect(sentinelConf(SENTINELS[i] ?? '')).toContain('sentinel resolve-hostnames yes');
    }
    // Quorum 2 of 3: more than half, so one Sentinel alone never promotes.
    expect(2 * 2).toBeGreaterThan(SENTINELS.length);
  });

  it('the app containers take .env\'s Sentinels when COMPOSE_REDIS_URL is blank, and redis:6379 otherwise', () => {
    for (const name of APP_SERVICES) expect(environment(service(name))['REDIS_URL'], name).toBe('${COMPOSE_REDIS_URL-redis://redis:6379}');
    const example = read('.env.example');
    // The ha block comes last in .env.example (after the generic examples).
    const line = (name: string) => [...example.matchAll(new RegExp(`^#\\s*${name}=(.*)$`, 'gm'))].at(-1)?.[1] ?? '';
    const sentinels = line('REDIS_SENTINELS').split(',').filter((s) => s.startsWith('redis-sentinel'));
    expect(sentinels).toEqual(SENTINELS.map((n) => `${n}:26379`));
    const ha = readConfig({ REDIS_URL: '', REDIS_SENTINELS: sentinels.join(','), REDIS_SENTINEL_NAME: line('REDIS_SENTINEL_NAME') });
    expect(ha.redis).toMatchObject({ mode: 'sentinel', name: 'offboard' });
    expect(readConfig({ REDIS_URL: 'redis://redis:6379' }).redis).toEqual({ mode: 'single', url: 'redis://redis:6379' });
  });
});

// ---- Dockerfile ------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  base: string;
  name: string | null;
  instructions: Instruction[];
}

/** Instructions by stage; `\` continues a line, and comment lines inside a continuation go. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i++] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i < lines.length) {
      const next = lines[i++] ?? '';
      if (/^\s*(#|$)/.test(next)) continue; // the line still ends in \: go on past the comment
      line = line.replace(/\\\s*$/, ' ') + next.trim();
    }
    const m = /^\s*(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = (m[1] ?? '').toUpperCase();
    const args = (m[2] ?? '').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ base: from?.[1] ?? args, name: from?.[2] ?? null, instructions: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`Dockerfile line ${start + 1}: ${keyword} before FROM`);
      stage.instructions.push({ keyword, args, line: start + 1 });
    }
  }
  return stages;
}

/** Shell words of a RUN line, with quotes taken off (enough for `npm pkg set a="b c" 'd=e'`). */
function shellWords(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** The words of an exec-form (JSON) or shell-form CMD / HEALTHCHECK CMD. */
function execWords(args: string): string[] {
  const trimmed = args.trim();
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]) : shellWords(trimmed);
}

const stages = parseDockerfile(read('Dockerfile'));
const finalStage = stages[stages.length - 1]!;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  it('builds in one stage and runs from another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.base, 'a Node image pinned to a major version').toMatch(/^node:\d+(-|$)/);
  });

  it('installs every dependency and compiles in a build stage', () => {
    const build = stages.slice(0, -1).find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));
    expect(build, 'a stage before the last runs npm run build').toBeDefined();
    const install = runs(build!).find((r) => /\bnpm ci\b/.test(r));
    expect(install, 'the build stage runs npm ci').toBeDefined();
    expect(install, 'the build stage needs the dev dependencies (TypeScript)').not.toMatch(/--omit[= ]dev|--production/);
    const env = of(build!, 'ENV').map((i) => i.args).join(' ');
    expect(env, 'NODE_ENV=production would make npm ci skip TypeScript').not.toMatch(/NODE_ENV=production/);
  });

  it('ships production dependencies only, and dist/ from the build stage', () => {
    const installs = runs(finalStage).filter((r) => /\bnpm (ci|install|prune)\b/.test(r));
    expect(installs.length).toBeGreaterThan(0);
    for (const r of installs) expect(r).toMatch(/--omit[= ]dev/);
    const builder = stages.find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));
    const copies = of(finalStage, 'COPY').map((i) => i.args);
    expect(copies.some((c) => c.includes(`--from=${builder?.name}`) && /\/dist\b/.test(c))).toBe(true);
    // From the build context, the runtime stage takes files by name, never the whole context.
    for (const c of copies.filter((c) => !c.includes('--from='))) {
      const sources = c.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1);
      expect(sources, `COPY ${c}`).not.toContain('.');
      expect(sources, `COPY ${c}`).not.toContain('./');
    }
    expect(of(finalStage, 'ENV').map((i) => i.args).join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('runs as a user that is not root', () => {
    const users = of(finalStage, 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)$/);
  });

  it('checks health with the compiled probe, exposes the three ports and runs the bot by default', () => {
    const health = of(finalStage, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/\bCMD\b/);
    const probe = entryOf(execWords(health[0]!.args.slice(health[0]!.args.indexOf('CMD') + 3)));
    expect(probe).toBe('dist/ops/healthcheck.js');
    expect(existsSync(join(ROOT, sourceOf(probe!))), 'the probe is compiled from ops/healthcheck.ts').toBe(true);
    const exposed = of(finalStage, 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(['3000', '3001', '3002']));
    const cmd = execWords(of(finalStage, 'CMD').at(-1)?.args ?? '');
    const js = entryOf(cmd);
    expect(js ?? cmd.join(' ')).toMatch(/^(dist\/adapters\/main\.js|npm run serve)$/);
    if (js) expect(existsSync(join(ROOT, sourceOf(js))), `CMD runs ${js}`).toBe(true);
  });

  it('points the npm scripts at files that tsc emits', () => {
    const set = runs(finalStage).find((r) => /\bnpm pkg set\b/.test(r));
    expect(set, 'the runtime stage rewrites the scripts (tsx is a dev dependency)').toBeDefined();
    const scripts = Object.fromEntries(
      shellWords(set!)
        .filter((w) => w.startsWith('scripts.'))
        .map((w) => [w.slice('scripts.'.length, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
    );
    expect(Object.keys(scripts).sort()).toEqual(['board', 'discord:register', 'serve', 'start', 'worker']);
    for (const [name, command] of Object.entries(scripts)) {
      const js = entryOf(shellWords(command));
      expect(js, `scripts.${name} runs node on a compiled file`).not.toBeNull();
      expect(existsSync(join(ROOT, sourceOf(js!))), `scripts.${name} runs ${js}, compiled from ${sourceOf(js!)}`).toBe(true);
      // The same command outside the image runs the same source with tsx.
      const dev = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts[name];
      expect(dev, `package.json has scripts.${name}`).toBe(command.replace(/^node dist\/(\S+)\.js/, 'tsx $1.ts'));
      expect(dev, `package.json has scripts.${name}`).toBe(command.replace(/^node /, 'tsx ').replace(join('dist', sourceOf(js!).replace(/\.ts$/, '.js')), sourceOf(js!)).replace(/^tsx dist\//, 'tsx '));
    }
    expect(scripts['serve']).toMatch(/ --serve$/);
    expect(scripts['start']).not.toMatch(/--serve/);
  });
});

// ---- .dockerignore -------------------------------------------------------------------------

/** Whether .dockerignore leaves `path` out of the build context (last matching rule wins). */
function ignored(rules: string[], path: string): boolean {
  let out = false;
  for (const rule of rules) {
    const negate = rule.startsWith('!');
    const pattern = (negate ? rule.slice(1) : rule).replace(/^\/+|\/+$/g, '');
    const source = pattern
      .split(/(\*\*|\*|\?)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    // A rule matching a directory leaves out everything in it.
    if (new RegExp(`^${source}(/.*)?$`).test(path)) out = !negate;
  }
  return out;
}

describe('.dockerignore', () => {
  const rules = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps secrets, local installs and build output out of the build context', () => {
    for (const path of ['.env', '.env.production', 'node_modules', 'node_modules/bullmq/package.json', 'dist', '.git', '.offboard', 'coverage', 'test']) {
      expect(ignored(rules, path), path).toBe(true);
    }
  });

  it('keeps what the build stage compiles', () => {
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', ...tsconfigBuild.include.map((d) => `${d}/main.ts`)]) {
      expect(ignored(rules, path), path).toBe(false);
    }
  });
});

// ---- .env.example documents what the deployment sets ----------------------------------------

describe('.env.example', () => {
  it('names every variable the compose file sets or interpolates, and the image sets', () => {
    const names = new Set<string>();
    for (const s of Object.values(compose.services)) for (const key of Object.keys(environment(s))) names.add(key);
    for (const m of COMPOSE_TEXT.matchAll(/(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
    // The image's own variables, except the ones for Node and npm themselves.
    for (const env of of(finalStage, 'ENV')) {
      for (const m of env.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) {
        if (m[1] !== 'NODE_ENV' && !m[1]!.startsWith('NPM_CONFIG_')) names.add(m[1]!);
      }
    }
    expect(existsSync(join(ROOT, '.env.example')), '.env.example exists').toBe(true);
    const example = read('.env.example');
    const missing = [...names].filter((name) => !new RegExp(`^\\s*#?\\s*(export\\s+)?${name}=`, 'm').test(example));
    expect(missing, 'variables missing from .env.example').toEqual([]);
  });
});
