/**
 * The logging port: structured fields first, then a short message (pino's calling shape).
 * Fields carry ids and counts only, never tokens or what users typed.
 */
export interface Log {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One JSON object per line, for processes run without a logging library configured. */
export function jsonLines(write: (line: string) => void, base: Record<string, unknown> = {}): Log {
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    write(`${JSON.stringify({ level, time: new Date().toISOString(), ...base, ...fields, msg: message })}\n`);
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
