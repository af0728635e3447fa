// Command words in the user's language: typed alone or after a slash they run the command; a
// free-text answer that only starts with one stays an answer; none collides with an answer word.
import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS, foldWord } from '../src/i18n/command-words.js';
import { CATALOGS } from '../src/i18n/translate.js';
import type { MessageKey } from '../src/i18n/types.js';
import { parseSlashText, parseTyped } from '../src/engine/parse-command.js';
import { COMMANDS } from '../src/model/inbound.js';
import { LOCALES } from '../src/model/settings.js';

describe('localized command words', () => {
  it.each([
    ['hilfe', 'help'], ['aide', 'help'], ['yardım', 'help'], ['yardim', 'help'], ['trợ giúp', 'help'], ['tro giup', 'help'],
    ['Liste', 'list'], ['statut', 'status'], ['Réglages', 'settings'], ['reglages', 'settings'], ['ayarlar', 'settings'],
    ['danh sách', 'list'], ['  ÜBERSICHT ', 'status'], ['oublier', 'forget'], ['/offboard aide', 'help'],
  ])('"%s" alone runs %s', (line, command) => {
    expect(parseTyped(line)).toMatchObject({ kind: 'command', command, arg: '' });
  });

  it('takes a client name after a slash, and after the Slack slash command', () => {
    expect(parseTyped('/statut Acme GmbH')).toMatchObject({ kind: 'command', command: 'status', arg: 'Acme GmbH' });
    expect(parseSlashText('trạng thái Acme')).toEqual({ kind: 'command', command: 'status', arg: 'Acme' });
    expect(parseSlashText('kündigung Bosch')).toEqual({ kind: 'command', command: 'letter', arg: 'Bosch' });
    expect(parseSlashText('status Bosch')).toEqual({ kind: 'command', command: 'status', arg: 'Bosch' });
    // Written as Discord shows the subcommand names (no spaces allowed there).
    expect(parseSlashText('dışa_aktar Acme')).toEqual({ kind: 'command', command: 'export', arg: 'Acme' });
    expect(parseTyped('trợ_giúp')).toMatchObject({ kind: 'command', command: 'help' });
  });

  it('leaves a free-text answer that starts with a command word as an answer', () => {
    expect(parseTyped('Hilfe bei jedem Fehler, und das nachts')).toEqual({ kind: 'text', text: 'Hilfe bei jedem Fehler, und das nachts' });
    expect(parseTyped('Liste des problèmes : retards, impayés')).toMatchObject({ kind: 'text' });
    expect(parseTyped('help')).toMatchObject({ kind: 'command', command: 'help' });
  });

  it('gives every command a word in each language, and no word twice', () => {
    for (const [locale, words] of Object.entries(COMMAND_WORDS)) {
      expect(Object.keys(words).sort(), locale).toEqual([...COMMANDS].sort());
      expect(new Set(Object.values(words).map(foldWord)).size, locale).toBe(COMMANDS.length);
    }
    const owner = new Map<string, string>();
    for (const words of Object.values(COMMAND_WORDS)) {
      for (const [cmd, w] of Object.entries(words)) {
        const seen = owner.get(foldWord(w));
        if (seen) expect(seen, w).toBe(cmd);
        owner.set(foldWord(w), cmd);
      }
    }
  });

  it('no command word is also an answer the bot offers in any language (button, yes/skip word, task verb)', () => {
    const answers = new Set<string>();
    for (const locale of LOCALES) {
      const catalog = CATALOGS[locale];
      for (const key of Object.keys(catalog) as MessageKey[]) {
        if (key.startsWith('home.')) continue; // the Home tab's buttons are these same commands
        const m = catalog[key];
        const texts = typeof m === 'string' ? [m] : Object.values(m).filter((v): v is string => typeof v === 'string');
        for (const s of texts) {
          answers.add(foldWord(s));
          if (/Words$/.test(key) || key.startsWith('verb.')) for (const w of s.split('|')) answers.add(foldWord(w));
        }
      }
    }
    for (const words of Object.values(COMMAND_WORDS)) for (const w of Object.values(words)) expect(answers.has(foldWord(w)), w).toBe(false);
  });
});
