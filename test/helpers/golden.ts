import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryArgs } from './app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');
const SCRIPTS = join(GOLDEN_DIR, 'scripts');
const MAIN = join(ROOT, 'adapters', 'main.ts');

/**
 * The fixed world every transcript is made in: a Monday morning in Berlin. No reminder worker
 * unless a script asks for one (time travel): with the clock held still, nothing comes due
 * unless `wait` moves it, and a session without a worker starts a little faster.
 */
const FIXED = { TZ: 'Europe/Berlin', OFFBOARD_NOW: '2026-11-23T09:00:00Z', OFFBOARD_WORKER: 'off' };

export interface Script {
  name: string;
  env: Record<string, string>;
  lines: string[];
}

/**
 * A script is the lines a person types, one per line; lines starting with "#" are comments, and
 * "# env NAME=value" sets a variable for that session (OFFBOARD_LANG=de).
 */
export function readScripts(): Script[] {
  return readdirSync(SCRIPTS)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const env: Record<string, string> = {};
      const lines: string[] = [];
      for (const raw of readFileSync(join(SCRIPTS, f), 'utf8').split('\n')) {
        const setting = /^# env (\w+)=(.*)$/.exec(raw);
        if (setting) env[setting[1] as string] = setting[2] as string;
        else if (!raw.startsWith('#') && raw !== '') lines.push(raw);
      }
      return { name: basename(f, '.txt'), env, lines };
    });
}

export const goldenPath = (name: string) => join(GOLDEN_DIR, `${name}.txt`);

/** Pipes the script into the real console (its own user and key prefix) and returns what it printed. */
export function runScript(script: Script, redisUrl: string, prefix: string): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), `offboard-golden-${script.name}-`));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, entryArgs(MAIN), {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: cwd,
        REDIS_URL: redisUrl,
        OFFBOARD_PREFIX: prefix,
        OFFBOARD_USER: `golden-${script.name}`,
        OFFBOARD_LANG: 'en',
        ...FIXED,
        ...script.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      if (code === 0) done(out);
      else fail(new Error(`console for ${script.name} exited ${code}:\n${err}\n${out.slice(-2000)}`));
    });
    child.stdin.end(script.lines.map((l) => `${l}\n`).join(''));
  });
}
