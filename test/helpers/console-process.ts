import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryArgs } from './app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'adapters', 'main.ts');
// One node process (no tsx CLI wrapper in between), so a signal reaches the console itself.

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process was seen to exit. */
  at: number;
}

/** A console whose stdin stays open until `end()`, like a person sitting at it. */
export interface ConsoleProcess {
  child: ChildProcess;
  /** stdout and stderr together, as a person sees them. */
  output(): string;
  /** Writes one line; returns Date.now() at the write, for timing what comes back. */
  type(line: string): number;
  /** Resolves with the time (Date.now()) the pattern was first in the output, after `from` characters. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<number>;
  /** Ctrl-D. */
  end(): number;
  /**
   * Ctrl-C as a terminal sends it: to the console's whole process group (the console is
   * spawned as a group leader for this), so anything it started in its own group gets it too.
   */
  interrupt(): number;
  exited: Promise<Exit>;
}

const live = new Set<ChildProcess>();

/** Kills whatever a failed test left running. */
export function killAllConsoles(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

export function openConsole(env: Record<string, string>, cwd = ROOT): ConsoleProcess {
  const child = spawn(process.execPath, entryArgs(MAIN), {
    cwd,
    detached: true,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', OFFBOARD_LANG: 'en', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  // When each length of the output was reached: a pattern's first appearance is timed by the
  // chunk that completed it, not by when the poll below happened to look.
  const arrivals: Array<{ length: number; at: number }> = [];
  const keep = (d: Buffer) => {
    out += d.toString();
    arrivals.push({ length: out.length, at: Date.now() });
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => undefined);
  // 'close', not 'exit': output may still be arriving when the process has exited.
  let closed = false;
  child.once('close', () => (closed = true));
  const exited = new Promise<Exit>((r) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      r({ code, signal, at: Date.now() });
    }),
  );
  return {
    child,
    output: () => out,
    type(line) {
      child.stdin?.write(`${line}\n`);
      return Date.now();
    },
    async waitFor(pattern, timeoutMs = 20_000, from = 0) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(out.slice(from));
        if (m) {
          const end = from + m.index + m[0].length;
          return arrivals.find((a) => a.length >= end)?.at ?? Date.now();
        }
        if (Date.now() > until) throw new Error(`console never printed ${pattern}; it printed:\n${out.slice(-3000)}`);
        if (closed) throw new Error(`console exited (${child.exitCode ?? child.signalCode}) without printing ${pattern}:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    end() {
      child.stdin?.end();
      return Date.now();
    },
    interrupt() {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      return Date.now();
    },
    exited,
  };
}
