import { COMMANDS, type CommandName, type Inbound } from '../model/inbound.js';

const isCommand = (word: string): word is CommandName => (COMMANDS as readonly string[]).includes(word);

// Very long pastes are cut before any parsing so one message can't cost much; the cap is far
// above any platform's message size, so what the answer keeps (a list's items) is counted on
// everything the user sent and a cut list says so truthfully.
const MAX_TEXT = 200_000;

/**
 * Reads a typed line: a command word ("status Acme", "/offboard status Acme") or an answer.
 * The command words are the same on every platform and in every language.
 */
export function parseTyped(raw: string): Inbound {
  const line = raw.slice(0, MAX_TEXT);
  const m = /^\s*(\/)?(?:offboard\s+)?(\S+)(?:\s+([\s\S]*))?$/iu.exec(line);
  if (!m) return { kind: 'text', text: line };
  const slash = m[1] === '/';
  const word = (m[2] ?? '').toLowerCase();
  if (word === 'offboard' && !m[3]) return { kind: 'command', command: 'help', arg: '' };
  if (isCommand(word)) return { kind: 'command', command: word, arg: (m[3] ?? '').trim(), raw: line };
  if (slash) return { kind: 'unknownCommand', word: `/${m[2] ?? ''}` };
  return { kind: 'text', text: line };
}

/** A slash command's text ("/offboard start Acme" gives "start Acme"): empty means help. */
export function parseSlashText(raw: string): Inbound {
  const trimmed = raw.trim();
  if (!trimmed) return { kind: 'command', command: 'help', arg: '' };
  const parsed = parseTyped(trimmed);
  if (parsed.kind === 'text') return { kind: 'unknownCommand', word: trimmed.split(/\s+/)[0] ?? '' };
  // A slash command is always meant as a command, never as an answer.
  if (parsed.kind === 'command') return { kind: 'command', command: parsed.command, arg: parsed.arg };
  return parsed;
}
