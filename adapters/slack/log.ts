import { LogLevel, type Logger } from '@slack/bolt';
import { jsonLines, type Log } from '../../src/log.js';

export type { Log };

export const stderrLog: Log = jsonLines((line) => void process.stderr.write(line), { component: 'slack' });

// xoxb-/xoxp-/xoxa-/xoxe-/xapp- tokens, and Authorization headers, wherever they turn up
// (Bolt's debug output, an error that echoes a request).
const SECRET = /\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+|(Bearer\s+)[A-Za-z0-9._-]+/g;

export function redact(text: string): string {
  return text.replace(SECRET, (_m, tokenPrefix: string | undefined, bearer: string | undefined) => `${tokenPrefix ?? bearer ?? ''}[redacted]`);
}

export function describe(err: unknown): string {
  return redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

function line(parts: unknown[]): string {
  return redact(parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' '));
}

/** Bolt's and the Web API client's logger, fed into ours with every token redacted. */
export function boltLogger(log: Log): Logger {
  let level = LogLevel.INFO;
  const rank = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 } as const;
  const on = (l: LogLevel): boolean => rank[l] >= rank[level];
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => void (on(LogLevel.INFO) && log.info({ component: 'bolt' }, line(msg))),
    warn: (...msg: unknown[]) => void (on(LogLevel.WARN) && log.warn({ component: 'bolt' }, line(msg))),
    error: (...msg: unknown[]) => void (on(LogLevel.ERROR) && log.error({ component: 'bolt' }, line(msg))),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
