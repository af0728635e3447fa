import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { ProfileHints } from '../../src/engine/new-records.js';
import type { UserRef } from '../../src/model/user.js';
import type { InboxEntry } from './inbox.js';
import type { OpenQuestion } from './open-question.js';
import { PatientTurns, type StorageState, type Turns } from './patient-turns.js';
import { ansi, plain } from './render.js';
import { ConsoleFiles } from './files.js';
import { ConsoleSession } from './session.js';
import { waitArgument, type WaitCommand } from './wait-command.js';

/** Redis as the console sees it: answering or not, and told when that changes. */
export interface ConsoleStorage extends StorageState {
  whenDown(): Promise<void>;
  /** Look now: a line was typed (a hung Redis is otherwise noticed only at the next round). */
  check(): void;
  on(event: 'up' | 'down', listener: () => void): unknown;
}

export interface ConsoleOptions {
  engine: Turns;
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
  /** With it, a line typed while Redis is away is apologised for at once and answered later. */
  storage?: ConsoleStorage;
  /** Where the letter and other files go (OFFBOARD_FILES). */
  filesDir?: string;
  /** The question left open by a console that died: asked again before anything is typed. */
  resume?: () => Promise<OpenQuestion | null>;
  /** `wait …`: moves the console's clock, showing the reminders met on the way. */
  wait?: WaitCommand;
}

// Closing (Ctrl-D, Ctrl-C) during an outage waits this long for Redis, then gives up: the
// console must end within 2 s whatever Redis does.
const CLOSE_GRACE_MS = 500;

// Escape sequences and other control characters typed in a line must not reach the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// A pasted essay is answered in full but echoed in short: the transcript shows what was typed.
const ECHO_MAX = 200;
const echoOf = (line: string) => {
  const clean = line.replace(CONTROL, '');
  return clean.length > ECHO_MAX ? `${clean.slice(0, ECHO_MAX)}… (${clean.length})` : clean;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

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
  const storage = opts.storage;
  const turns = storage ? new PatientTurns(opts.engine, storage) : null;
  const session = new ConsoleSession(turns ?? opts.engine, user, opts.hints, write, tty ? ansi : plain, !tty, opts.filesDir ? new ConsoleFiles(opts.filesDir) : null);
  const rl = createInterface({ input, output, terminal: tty });
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    rl.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  // Ctrl-C, a closed terminal or a stop request end the session like Ctrl-D: the caller then
  // lets go of the Redis it may have started, instead of leaving it running.
  const end = () => rl.close();
  rl.on('SIGINT', end);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, end);

  // Lines typed and not answered yet. Zero means the user sits at the prompt.
  let pending = 0;
  const prompt = () => {
    if (!tty || isClosed) return;
    rl.setPrompt(session.pendingPrompt() ?? '> ');
    rl.prompt();
  };
  /** Says something between turns without mangling what the user is typing at the prompt. */
  const aside = (say: () => void) => {
    const atPrompt = tty && pending === 0 && !isClosed;
    if (atPrompt) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    say();
    if (atPrompt) {
      rl.setPrompt(session.pendingPrompt() ?? '> ');
      rl.prompt(true);
    }
  };

  // Spoken about once per outage, then a short note for each further line; "back" comes with
  // the first answer after it (the store may reconnect before the watch sees Redis again).
  let apologised = false;
  const apologise = () => {
    session.tell(apologised ? 'storage.stillAway' : 'storage.away', {}, 'warning');
    apologised = true;
    session.owe('storage.back');
  };
  storage?.on('down', () => {
    if (pending > 0 && !apologised) apologise();
  });
  storage?.on('up', () => {
    session.settleOwed(pending > 0);
    apologised = false;
  });

  // Lines and arriving reminders are handled strictly one after another, so a reminder never
  // prints in the middle of a turn's replies.
  let chain = Promise.resolve();
  // Listening from the first moment: lines (and the end of piped input) that arrive while the
  // start-up below runs must not be dropped.
  rl.on('line', (raw) => {
    pending++;
    if (storage && !storage.up) apologise();
    else storage?.check();
    chain = chain.then(async () => {
      try {
        const line = raw.trim();
        if (line === '' && !session.pendingPrompt()) return;
        // Piped, nothing shows what was typed: echo it, so a saved transcript reads as a session.
        if (!tty) output.write(`> ${echoOf(line)}\n`);
        if (tty && (line === 'exit' || line === 'quit')) return rl.close();
        const waitArg = opts.wait && !session.pendingPrompt() ? waitArgument(line) : null;
        if (opts.wait && waitArg !== null) {
          const said = await opts.wait(waitArg, showInbox).catch((err: unknown) => {
            process.stderr.write(`offboard: ${err instanceof Error ? err.message : String(err)}\n`);
            return { key: 'common.internalError' as const, params: {} };
          });
          return session.tell(said.key, said.params);
        }
        await session.line(line);
      } finally {
        pending--;
        if (pending === 0) prompt();
      }
    });
  });

  if (opts.banner) write(tty ? ansi.dim(opts.banner) : opts.banner);
  const inbox = opts.inbox;
  let polling = false;
  const showInbox = async (): Promise<void> => {
    if (!inbox || polling || (storage && !storage.up)) return;
    polling = true;
    try {
      const entries = await inbox.unread(user).catch(() => []);
      if (entries.length === 0) return;
      aside(() => {
        for (const e of entries) session.notify(e.message.replies, e.message.locale);
      });
      for (const e of entries) await inbox.markRead(user, e.id).catch(() => undefined);
    } finally {
      polling = false;
    }
  };
  const resume = opts.resume;
  chain = chain.then(async () => {
    const open = resume ? await resume().catch(() => null) : null;
    if (open) session.notify(open.replies, open.locale);
    await showInbox();
    if (pending === 0) prompt();
  });
  const poll = inbox
    ? setInterval(() => {
        // Not queued behind a turn waiting out an outage: the next round will look again.
        if (pending === 0) chain = chain.then(showInbox);
      }, opts.inboxPollMs ?? 1_000)
    : undefined;
  poll?.unref();

  await closed;
  clearInterval(poll);
  if (await settled(() => chain, storage)) return;
  // Redis is still away: the lines not answered are said to be so, and the console ends.
  turns?.giveUp();
  if (pending > 0) session.tell('storage.unanswered', { count: pending }, 'warning');
}

/**
 * True once every line is answered. While Redis is away it waits at most CLOSE_GRACE_MS for
 * it to come back, then answers false: closing must never hang on an outage.
 */
async function settled(chain: () => Promise<void>, storage: ConsoleStorage | undefined): Promise<boolean> {
  if (!storage) {
    await chain();
    return true;
  }
  // A hung Redis is noticed by a PING timing out: start one now rather than at the next round.
  storage.check();
  for (;;) {
    const done = chain().then(() => 'done' as const);
    if (storage.up) {
      if ((await Promise.race([done, storage.whenDown().then(() => 'down' as const)])) === 'done') return true;
      continue;
    }
    if ((await Promise.race([done, sleep(CLOSE_GRACE_MS).then(() => 'late' as const)])) === 'done') return true;
    if (!storage.up) return false;
  }
}
