import { localCommand, localCommandBeforeName } from '../i18n/command-words.js';
import { CASE_COMMANDS, COMMANDS, type CommandName, type Inbound } from '../model/inbound.js';

const isCommand = (word: string): word is CommandName => (COMMANDS as readonly string[]).includes(word);

// Very long pastes are cut before any parsing so one message can't cost much; the cap is far
// above any platform's message size, so what the answer keeps (a list's items) is counted on
// everything the user sent and a cut list says so truthfully.
const MAX_TEXT = 200_000;

/**
 * Reads a typed line: a command word ("status Acme", "/offboard status Acme") or an answer.
 * The English command words work on every platform and in every language. A command word in
 * the user's language ("hilfe", "aide", "yardım", "trợ giúp") counts when it is the whole line,
 * or after a slash ("/offboard statut Acme"). Typed with words after it and no slash ("durum
 * Yıldız") it comes out marked `local`: a free-text answer that merely starts with "Liste …" or
 * "Thanh toán …" must stay an answer, and only the engine knows what was asked.
 */
export function parseTyped(raw: string): Inbound {
  const line = raw.slice(0, MAX_TEXT);
  // Command words are short; a long answer is never one, and need not be folded to find out.
  const alone = line.length <= 40 ? localCommand(line.replace(/^\s*\/?(?:offboard\s+)?/iu, '')) : undefined;
  if (alone) return { kind: 'command', command: alone, arg: '', raw: line };
  const slashed = /^\s*\/(?:offboard\s+)?([\s\S]+)$/iu.exec(line);
  if (slashed) {
    const local = localWithArg(slashed[1] ?? '');
    if (local) return { kind: 'command', command: local.command, arg: local.arg, raw: line };
  }
  const m = /^\s*(\/)?(?:offboard\s+)?(\S+)(?:\s+([\s\S]*))?$/iu.exec(line);
  if (!m) return { kind: 'text', text: line };
  const slash = m[1] === '/';
  const word = (m[2] ?? '').toLowerCase();
  if (word === 'offboard' && !m[3]) return { kind: 'command', command: 'help', arg: '' };
  if (isCommand(word)) return { kind: 'command', command: word, arg: (m[3] ?? '').trim(), raw: line };
  if (slash) return { kind: 'unknownCommand', word: `/${m[2] ?? ''}` };
  const local = line.length <= MAX_LOCAL_LINE ? localWithArg(line, localCommandBeforeName) : undefined;
  if (local?.arg && TAKES_A_NAME.has(local.command)) return { kind: 'command', command: local.command, arg: local.arg, raw: line, local: true };
  return { kind: 'text', text: line };
}

// A command with a client's name fits well within this; a longer line is an answer.
const MAX_LOCAL_LINE = 400;
// "Hilfe bei jedem Fehler" or "Liste des problèmes" is text: those commands take no name.
const TAKES_A_NAME: ReadonlySet<CommandName> = new Set(['start', ...CASE_COMMANDS]);

/** "statut Acme" → status + "Acme"; commands of several words ("trợ giúp", "đã thanh toán") included. */
function localWithArg(text: string, lookup: (words: string) => CommandName | undefined = localCommand): { command: CommandName; arg: string } | undefined {
  const words = text.trim().split(/\s+/);
  for (const n of [3, 2, 1]) {
    const command = words.length >= n ? lookup(words.slice(0, n).join(' ')) : undefined;
    if (command) return { command, arg: words.slice(n).join(' ') };
  }
  return undefined;
}

/** A slash command's text ("/offboard start Acme" gives "start Acme"): empty means help. */
export function parseSlashText(raw: string): Inbound {
  const trimmed = raw.trim();
  if (!trimmed) return { kind: 'command', command: 'help', arg: '' };
  const local = localWithArg(trimmed);
  if (local && !isCommand(trimmed.split(/\s+/)[0]?.toLowerCase() ?? '')) return { kind: 'command', command: local.command, arg: local.arg };
  const parsed = parseTyped(trimmed);
  if (parsed.kind === 'text') return { kind: 'unknownCommand', word: trimmed.split(/\s+/)[0] ?? '' };
  // A slash command is always meant as a command, never as an answer.
  if (parsed.kind === 'command') return { kind: 'command', command: parsed.command, arg: parsed.arg };
  return parsed;
}
