import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planRedis, type Machine } from './setup/redis-install-plan.js';

const bare: Machine = { haveRedis: false, root: false, passwordlessSudo: false, aptGet: false, brew: false };

describe('planRedis: how npm test gets a redis-server', () => {
  it('does nothing when one is there', () => {
    expect(planRedis({ ...bare, haveRedis: true, aptGet: true, root: true })).toEqual({ kind: 'ready' });
  });

  it('uses apt-get as root, and sudo -n apt-get with passwordless sudo', () => {
    const asRoot = planRedis({ ...bare, aptGet: true, root: true });
    expect(asRoot.kind).toBe('install');
    if (asRoot.kind !== 'install') return;
    expect(asRoot.commands.at(-1)).toEqual(['apt-get', 'install', '-y', '-qq', 'redis-server']);
    expect(asRoot.say).toMatch(/^redis-server not found: installing it/);
    const viaSudo = planRedis({ ...bare, aptGet: true, passwordlessSudo: true });
    expect(viaSudo.kind === 'install' && viaSudo.commands.every((c) => c[0] === 'sudo' && c[1] === '-n')).toBe(true);
  });

  it('uses Homebrew, but never as root', () => {
    const brew = planRedis({ ...bare, brew: true });
    expect(brew.kind === 'install' && brew.commands).toEqual([['brew', 'install', 'redis']]);
    expect(planRedis({ ...bare, brew: true, root: true }).kind).toBe('stop');
  });

  it('stops with one line naming what to install when nothing may install it', () => {
    for (const m of [bare, { ...bare, aptGet: true }, { ...bare, passwordlessSudo: true }, { ...bare, root: true }]) {
      const plan = planRedis(m);
      expect(plan.kind).toBe('stop');
      expect(plan.kind === 'stop' && plan.say).toMatch(/^The tests need redis-server.*apt-get install redis-server.*brew install redis/);
      expect(plan.kind === 'stop' && plan.say.includes('\n')).toBe(false);
    }
  });
});

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the test command on a machine with no redis-server, apt-get or brew', () => {
  it('prints the one line and exits non-zero before any test runs', async () => {
    // A PATH holding only node: no redis-server, no package manager, no sudo.
    const bin = mkdtempSync(join(tmpdir(), 'offboard-bare-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
    delete env.TEST_REDIS_URL;
    delete env.REDIS_SERVER_BIN;
    delete env.VITEST; // a fresh vitest, not one that thinks it runs inside this one
    try {
      const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'catalogs'], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).not.toBe(0);
      const lines = stderr.trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^The tests need redis-server and it is not installed: install it/)]);
      expect(stdout).not.toMatch(/✓|passed/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
