import { jsonLines, type Log } from '../../src/log.js';

export type { Log };

/** Without a log from the caller: one JSON line per event on stderr. */
export const stderrLog: Log = jsonLines((line) => process.stderr.write(line), { adapter: 'discord' });

// Interaction tokens sit in webhook and callback URLs: whoever has one can answer as the bot.
const URL_SECRETS = /((?:webhooks|interactions)\/\d+\/)[\w.-]+/g;

/** The message of an error, with the bot token and any interaction token blanked out. */
export function describeError(err: unknown, secret: string): string {
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return redact(raw, secret);
}

export function redact(text: string, secret: string): string {
  const blanked = secret ? text.split(secret).join('[token]') : text;
  return blanked.replace(URL_SECRETS, '$1[token]');
}
