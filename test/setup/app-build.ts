/**
 * vitest globalSetup: transpiles the app (src, adapters, jobs, ops) and the test helpers that run
 * as their own processes into one directory for the run, once, so the end-to-end tests start
 * their child processes with plain node (test/helpers/app-entry.ts says why). Each file is
 * transformed alone, as tsx does it (esbuild, the project's tsconfig), not bundled: imports,
 * import.meta.url and the module graph stay as they are in the source.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_BUILD_ENV } from '../helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['src', 'adapters', 'jobs', 'ops', join('test', 'helpers')];

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Copies left by runs that were killed before their teardown (their process is gone). */
function removeLeftovers(): void {
  const parent = join(ROOT, '.offboard');
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const pid = /^app-build-(\d+)$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as someone else's process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function appBuild(): Promise<() => void> {
  // A vitest started by a test (ensure-redis.test.ts) uses the copy of the run around it.
  const given = process.env[APP_BUILD_ENV];
  if (given && existsSync(given)) return () => {};
  // esbuild comes with tsx; without it the children run through tsx, only slower.
  const esbuild = await import('esbuild').catch(() => undefined);
  if (!esbuild) return () => {};
  // Two levels under the project, as tsc's dist/ is one: node finds node_modules and
  // package.json ("type": "module") walking up, and ops/packet-fonts.ts finds assets/ through
  // the link below. One directory per run: two runs at once in one checkout keep apart.
  const out = join(ROOT, '.offboard', `app-build-${process.pid}`);
  removeLeftovers();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  symlinkSync(join(ROOT, 'assets'), join(out, 'assets'));
  await esbuild.build({
    entryPoints: SOURCES.flatMap(tsFiles),
    outdir: out,
    outbase: ROOT,
    absWorkingDir: ROOT,
    tsconfig: join(ROOT, 'tsconfig.json'),
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'error',
  });
  process.env[APP_BUILD_ENV] = out;
  return () => {
    delete process.env[APP_BUILD_ENV];
    rmSync(out, { recursive: true, force: true });
  };
}
