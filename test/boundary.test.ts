/**
 * Architecture boundaries, checked on the source text:
 * - nothing under src/ reaches into the adapters, the jobs, or a platform/queue library;
 * - the pure core (decide, user-turn, the flow steps, and everything they import) does no I/O
 *   and reads no clock or randomness of its own: time and ids come in as arguments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');

/**
 * Drops block comments and whole-line // comments, keeping line numbers. Trailing comments
 * are kept: a `//` after code may sit inside a string (a URL), and keeping text is the strict side.
 */
function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*\/\/.*$/gm, '');
}

interface Specifier {
  spec: string;
  line: number;
  form: 'static' | 'dynamic' | 'require';
  /** `import type …` / `export type …`: erased at run time. */
  typeOnly: boolean;
}

// `import x from '…'`, `import { a,\n b } from '…'`, `import type …`, `export … from '…'`.
const FROM = /\b(?:import|export)\b\s*(type\s+)?[^'"`;]*?\bfrom\s*(['"])([^'"\n]+)\2/g;
// `import '…'` (side effects only).
const BARE_IMPORT = /\bimport\s*(['"])([^'"\n]+)\1/g;
// `import('…')`, also with a template literal without substitutions.
const DYNAMIC = /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1/g;
// `require('…')`, `import x = require('…')`, `createRequire(…)('…')`.
const REQUIRE = /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1/g;

export function specifiers(source: string): Specifier[] {
  const text = stripComments(source);
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const found: Specifier[] = [];
  const collect = (re: RegExp, form: Specifier['form'], specGroup: number) => {
    for (const m of text.matchAll(re)) {
      const spec = m[specGroup] as string;
      const typeOnly = form === 'static' && specGroup === 3 && Boolean(m[1]);
      found.push({ spec, line: lineOf((m.index ?? 0) + m[0].lastIndexOf(spec)), form, typeOnly });
    }
  };
  collect(FROM, 'static', 3);
  collect(BARE_IMPORT, 'static', 2);
  collect(DYNAMIC, 'dynamic', 2);
  collect(REQUIRE, 'require', 2);
  return found;
}

const FORBIDDEN_PACKAGES = [/^@slack\//, /^discord\.js(\/|$)/, /^bullmq(\/|$)/];
const FORBIDDEN_DIRS = ['adapters', 'jobs'];

/** Why `spec`, imported by `file` (absolute), breaks the src/ boundary, or null. */
function boundaryViolation(file: string, spec: string): string | null {
  if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) return `imports the platform/queue package "${spec}"`;
  const bare = spec.replace(/^\.\//, '');
  if (FORBIDDEN_DIRS.some((d) => bare === d || bare.startsWith(`${d}/`))) return `imports "${spec}" from ${bare.split('/')[0]}/`;
  const local = spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:');
  if (!local) return null;
  const target = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(dirname(file), spec);
  const fromRoot = relative(ROOT, target).split(sep).join('/');
  const inside = relative(SRC, target);
  if (inside === '' || inside.startsWith('..') || resolve(SRC, inside) !== target) {
    const where = FORBIDDEN_DIRS.find((d) => fromRoot === d || fromRoot.startsWith(`${d}/`));
    return where ? `imports "${spec}", which is in ${where}/` : `imports "${spec}", which leaves src/ (${fromRoot})`;
  }
  return null;
}

const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** Why `spec` has no place in the pure core, or null. */
function impureImport(spec: string): string | null {
  if (spec.startsWith('node:')) return `imports the Node module "${spec}"`;
  if (NODE_BUILTINS.has(spec.split('/')[0] as string)) return `imports the Node module "${spec}"`;
  if (/^ioredis(\/|$)/.test(spec)) return `imports "${spec}"`;
  return null;
}

const IMPURE_CALLS: Array<[RegExp, string]> = [
  [/\bDate\s*\.\s*now\b/, 'reads the clock with Date.now'],
  [/\bnew\s+Date\s*\(\s*\)/, 'reads the clock with new Date()'],
  [/\bnew\s+Date\b(?!\s*\()/, 'reads the clock with new Date (no parentheses)'],
  [/\bMath\s*\.\s*random\b/, 'uses Math.random'],
  [/\brandomUUID\b|\bgetRandomValues\b/, 'makes random ids'],
  [/\bperformance\s*\.\s*now\b|\bprocess\s*\.\s*hrtime\b/, 'reads a timer'],
];

/** Every impure call in the text, as "line N: why". */
function impureCalls(source: string): string[] {
  const lines = stripComments(source).split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    for (const [re, why] of IMPURE_CALLS) if (re.test(line)) found.push(`line ${i + 1}: ${why}: ${line.trim()}`);
  });
  return found;
}

const ALL_SRC = tsFiles(SRC);
const PURE_ROOTS = [join(SRC, 'engine', 'decide.ts'), join(SRC, 'engine', 'user-turn.ts'), ...tsFiles(join(SRC, 'flow'))];

/**
 * The src/ files `file` loads at run time through relative specifiers (`./x.js` is the
 * source `./x.ts`); `import type` is erased, so it does not pull a module into the core.
 */
function localImports(file: string): string[] {
  return specifiers(readFileSync(file, 'utf8'))
    .filter((s) => s.spec.startsWith('.') && !s.typeOnly)
    .map((s) => resolve(dirname(file), s.spec).replace(/\.js$/, '.ts'))
    .filter((target) => ALL_SRC.includes(target));
}

function closure(roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...localImports(file));
  }
  return [...seen].sort();
}

describe('the checks themselves', () => {
  it('find every kind of import specifier, across lines, and skip comments', () => {
    const src = [
      "import { a } from '../adapters/console/render.js';",
      'import {',
      '  b,',
      '  type C,',
      "} from '../../jobs/worker.js';",
      "import type { Redis } from 'ioredis';",
      "import 'node:fs';",
      "export { d } from './d.js';",
      "export * from \"@slack/bolt\";",
      "const e = await import('discord.js');",
      'const f = await import(`bullmq`);',
      "const g = require('node:child_process');",
      "// import { h } from '../adapters/old.js';",
      "/* import('bullmq') */",
      "const url = 'redis://127.0.0.1:6379'; // from 'nowhere'",
    ].join('\n');
    expect(specifiers(src).map((s) => `${s.line}:${s.spec}`).sort()).toEqual(
      [
        '1:../adapters/console/render.js',
        '5:../../jobs/worker.js',
        '6:ioredis',
        '7:node:fs',
        '8:./d.js',
        '9:@slack/bolt',
        '10:discord.js',
        '11:bullmq',
        '12:node:child_process',
      ].sort(),
    );
    const typeOnly = specifiers(src).filter((s) => s.typeOnly).map((s) => s.spec);
    expect(typeOnly).toEqual(['ioredis']);
  });

  it('tell a specifier that leaves src/ from one that stays inside', () => {
    const file = join(SRC, 'engine', 'engine.ts');
    expect(boundaryViolation(file, '../model/case.js')).toBeNull();
    expect(boundaryViolation(file, './decide.js')).toBeNull();
    expect(boundaryViolation(file, 'ioredis')).toBeNull();
    expect(boundaryViolation(file, '../../adapters/console/render.js')).toMatch(/adapters\//);
    expect(boundaryViolation(file, '../../jobs/worker.js')).toMatch(/jobs\//);
    expect(boundaryViolation(file, '../../test/helpers/driver.js')).toMatch(/leaves src/);
    expect(boundaryViolation(file, '../../src/model/case.js')).toBeNull();
    expect(boundaryViolation(file, '../../srcx/a.js')).toMatch(/leaves src/);
    expect(boundaryViolation(file, 'adapters/console/render.js')).toMatch(/adapters\//);
    expect(boundaryViolation(file, '@slack/bolt')).toMatch(/@slack/);
    expect(boundaryViolation(file, 'discord.js')).toMatch(/discord/);
    expect(boundaryViolation(file, 'bullmq')).toMatch(/bullmq/);
    expect(boundaryViolation(file, 'discord.jsx')).toBeNull();
  });

  it('spot clock, randomness and Node imports', () => {
    expect(impureImport('node:crypto')).not.toBeNull();
    expect(impureImport('crypto')).not.toBeNull();
    expect(impureImport('fs/promises')).not.toBeNull();
    expect(impureImport('ioredis')).not.toBeNull();
    expect(impureImport('date-fns')).toBeNull();
    expect(impureImport('../model/case.js')).toBeNull();
    const bad = [
      'const t = Date.now();',
      'const d = new Date();',
      'const d = new Date;',
      'const id = Math.random().toString(36);',
      'const id = crypto.randomUUID();',
    ];
    for (const line of bad) expect(impureCalls(line), line).toHaveLength(1);
    const fine = [
      'const d = new Date(now);',
      'const d = new Date(c.conversation.at);',
      'const t = Date.parse(iso);',
      'function f(now: Date): Date { return now; }',
      '// never Date.now() here: the caller passes `now`',
      '/**\n * No Math.random() and no new Date() in the core.\n */',
    ];
    for (const line of fine) expect(impureCalls(line), line).toEqual([]);
  });
});

describe('src/ stays independent of the adapters, the jobs and the platforms', () => {
  it('finds the sources', () => {
    expect(ALL_SRC.length).toBeGreaterThan(10);
    expect(ALL_SRC).toContain(join(SRC, 'engine', 'decide.ts'));
  });

  it('no file under src/ imports adapters/, jobs/, @slack/*, discord.js or bullmq, or leaves src/', () => {
    const problems = ALL_SRC.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap(({ spec, line }) => {
        const why = boundaryViolation(file, spec);
        return why ? [`${rel(file)}:${line} ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });
});

describe('the pure core does no I/O and reads no clock or randomness', () => {
  it('covers decide.ts, user-turn.ts and every file under src/flow/', () => {
    expect(PURE_ROOTS.map(rel)).toEqual(expect.arrayContaining(['src/engine/decide.ts', 'src/engine/user-turn.ts']));
    expect(PURE_ROOTS.filter((f) => rel(f).startsWith('src/flow/')).length).toBeGreaterThan(3);
  });

  it.each(PURE_ROOTS.map((f) => [rel(f), f]))('%s imports no node: module or ioredis and calls no clock or random', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const problems = [
      ...specifiers(text).flatMap(({ spec, line }) => {
        const why = impureImport(spec);
        return why ? [`line ${line}: ${why}`] : [];
      }),
      ...impureCalls(text),
    ];
    expect(problems).toEqual([]);
  });

  it('nor does anything they import from src/, transitively', () => {
    const reached = closure(PURE_ROOTS);
    // The shell (engine.ts: store, clock, ids) and the runtime stay outside the pure core.
    expect(reached.map(rel)).not.toContain('src/engine/engine.ts');
    expect(reached.map(rel)).not.toContain('src/runtime/local-redis.ts');
    expect(reached.map(rel)).not.toContain('src/store/redis-store.ts');
    const problems = reached.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [
        ...specifiers(text).flatMap(({ spec, line }) => {
          const why = impureImport(spec);
          return why ? [`${rel(file)}:${line} ${why}`] : [];
        }),
        ...impureCalls(text).map((p) => `${rel(file)} ${p}`),
      ];
    });
    expect(problems).toEqual([]);
  });
});
