import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Engine } from '../../src/engine/engine.js';
import type { ProfileHints } from '../../src/engine/new-records.js';
import type { UserRef } from '../../src/model/user.js';
import type { InboxEntry } from './inbox.js';
import { ansi, plain } from './render.js';
import { ConsoleSession } from './session.js';

export interface ConsoleOptions {
  engine: Engine;
  user: string;
  hints: ProfileHints;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  banner?: string;
  /** Reminders delivered to this user: shown at start, then as they arrive. */
  inbox?: {
    unread(user: UserRef): Promise<InboxEntry[]>;
    markRead(user: UserRef, id: string): Promise<void>;
  };
  inboxPollMs?: number;
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
  // Taken at once: lines (and the end of piped input) that arrive while the inbox is read at
  // start would otherwise be dropped before the loop below starts listening.
  const lines = rl[Symbol.asyncIterator]();
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
  // Lines and arriving reminders are handled strictly one after another, so a reminder never
  // prints in the middle of a turn's replies.
  let chain = Promise.resolve();
  const inbox = opts.inbox;
  let typing = false;
  const showInbox = async (): Promise<void> => {
    if (!inbox) return;
    const entries = await inbox.unread(user).catch(() => []);
    if (entries.length === 0) return;
    if (tty && typing) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    for (const e of entries) {
      session.notify(e.message.replies, e.message.locale);
      await inbox.markRead(user, e.id).catch(() => undefined);
    }
    // Put the prompt back with whatever the user had typed so far.
    if (tty && typing) {
      rl.setPrompt(session.pendingPrompt() ?? '> ');
      rl.prompt(true);
    }
  };
  await showInbox();
  const poll = inbox
    ? setInterval(() => {
        chain = chain.then(showInbox);
      }, opts.inboxPollMs ?? 1_000)
    : undefined;
  poll?.unref();
  rl.on('close', () => clearInterval(poll));
  typing = true;
  prompt();
  for await (const raw of { [Symbol.asyncIterator]: () => lines }) {
    chain = chain.then(async () => {
      typing = false;
      const line = raw.trim();
      if (line === '' && !session.pendingPrompt()) return;
      if (tty && (line === 'exit' || line === 'quit')) return rl.close();
      await session.line(line);
    });
    await chain;
    typing = true;
    prompt();
  }
  clearInterval(poll);
  await chain;
}
