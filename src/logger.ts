import { pino, type Level } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Log } from './log.js';

export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  /** Which process writes: `bot`, `worker`, `board`, `console`. */
  name: string;
  level: LogLevel;
  /** Unset: pretty for a person at a terminal, JSON lines for a log collector. */
  format: 'json' | 'pretty' | undefined;
  /** 1 = stdout; 2 = stderr (the console keeps stdout for the conversation). */
  fd?: 1 | 2;
  /** Instead of the fd (tests): receives the formatted lines. */
  stream?: NodeJS.WritableStream;
}

// Belt and braces: fields are ids and counts by convention, but a token that slips into one
// (an error object with its request config, say) must still never reach the log, at any depth.
const SECRET_KEY = /token|secret|password|authorization|cookie/i;
const MAX_DEPTH = 8;

function scrub(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

/**
 * The process's logger: pino, behind the project's small `Log` port. Bound functions, not
 * pino's methods: those need their `this`, and a `Log` is passed around and destructured.
 */
export function createLogger(opts: LoggerOptions): Log {
  const fd = opts.fd ?? 1;
  const tty = !opts.stream && Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY);
  const pretty = opts.format === 'pretty' || (opts.format === undefined && tty);
  const options = {
    level: opts.level,
    // "info", not 30: readable in `docker compose logs` and easy to filter on.
    formatters: { level: (label: string) => ({ level: label }), log: (fields: Record<string, unknown>) => scrub(fields) as Record<string, unknown> },
    base: { pid: process.pid, process: opts.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // pino-pretty as a synchronous stream, not a transport: no worker thread to keep alive,
  // and lines written just before exit are not lost.
  const stream = pretty
    ? PinoPretty({ colorize: tty, destination: opts.stream ?? fd, sync: true, ignore: 'pid,hostname,process' })
    : (opts.stream ?? pino.destination({ fd, sync: false }));
  const logger = pino(options, stream);
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}
