import { createInterface } from 'node:readline';
import type { Engine } from '../../src/engine/engine.js';
import type { ProfileHints } from '../../src/engine/new-records.js';
import type { UserRef } from '../../src/model/user.js';
import { ansi, plain } from './render.js';
import { ConsoleSession } from './session.js';

export interface ConsoleOptions {
  engine: Engine;
  user: string;
  hints: ProfileHints;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  banner?: string;
}

/**
 * The no-token default: one line per turn on stdin. Piped (no TTY) it prints only the
 * replies, no colours and no prompt, and ends cleanly at end of input.
 */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const tty = Boolean(output.isTTY) && Boolean((input as { isTTY?: boolean }).isTTY);
  const write = (text: string) => output.write(`${text}\n\n`);
  const user: UserRef = { platform: 'console', tenant: '', id: opts.user };
  const session = new ConsoleSession(opts.engine, user, opts.hints, write, tty ? ansi : plain, !tty);
  const rl = createInterface({ input, output, terminal: tty });
  // Ctrl-C, a closed terminal or a stop request end the session like Ctrl-D: the caller then
  // stops the Redis it may have started, instead of leaving it running.
  const end = () => rl.close();
  rl.on('SIGINT', end);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, end);
  const prompt = () => {
    if (!tty) return;
    rl.setPrompt(session.pendingPrompt() ?? '> ');
    rl.prompt();
  };
  if (opts.banner) write(tty ? ansi.dim(opts.banner) : opts.banner);
  prompt();
  // Lines are handled strictly one after another, even when pasted or piped in at once.
  let chain = Promise.resolve();
  for await (const raw of rl) {
    chain = chain.then(async () => {
      const line = raw.trim();
      if (line === '' && !session.pendingPrompt()) return;
      if (tty && (line === 'exit' || line === 'quit')) return rl.close();
      await session.line(line);
    });
    await chain;
    prompt();
  }
  await chain;
}
