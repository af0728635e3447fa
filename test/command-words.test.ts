// Command words in the user's language: typed alone or after a slash they run the command; a
// free-text answer that only starts with one stays an answer; none collides with an answer word.
import { describe, expect, it } from 'vitest';
import { Driver } from './helpers/driver.js';
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
    // One that takes a client's name comes out marked: the engine knows whether a question waits.
    expect(parseTyped('durum Yıldız')).toEqual({ kind: 'command', command: 'status', arg: 'Yıldız', raw: 'durum Yıldız', local: true });
    expect(parseTyped('Thanh toán chậm ba tháng')).toMatchObject({ kind: 'command', command: 'paid', local: true });
    expect(parseTyped('/statut Acme')).not.toHaveProperty('local');
    // Words for "paid" in a sentence count only before a name: alone they answer a payment check.
    expect(parseTyped('ödendi Yıldız')).toMatchObject({ kind: 'command', command: 'paid', arg: 'Yıldız', local: true });
    expect(parseTyped('Ödendi')).toEqual({ kind: 'text', text: 'Ödendi' });
    expect(parseTyped('Payé')).toEqual({ kind: 'text', text: 'Payé' });
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

describe('a command word of the user\'s language with a client\'s name, typed without a slash', () => {
  const MONDAY = '2026-11-23T09:30:00Z';
  const turkish = () => new Driver(MONDAY, { locale: 'tr', timeZone: 'Europe/Istanbul' });

  it('starts a case and shows it, as the English words do', () => {
    const d = turkish();
    d.type('başlat Yıldız Yazılım A.Ş.');
    expect(d.onlyCase().client).toBe('Yıldız Yazılım A.Ş.');
    d.type('1,8'); // the signs: the case now waits for the note, a free-text question
    d.type('skip');
    d.type('durum Yazılım');
    expect(d.text()).toContain('Yıldız Yazılım A.Ş.:');
  });

  it('stays an answer where a free-text question waits and it names no case', () => {
    const d = turkish();
    d.type('başlat Acme');
    d.type('1,8');
    expect(d.onlyCase().step).toBe('note');
    d.type('Durum her hafta daha kötü');
    expect(d.onlyCase().note).toBe('Durum her hafta daha kötü');
    // "başlat …" is an answer here too: the note question takes any line.
    expect(d.cases.size).toBe(1);
  });

  it('does not start a case while a free-text question waits', () => {
    const d = new Driver(MONDAY, { locale: 'fr', timeZone: 'Europe/Paris' });
    d.type('commencer Acme');
    d.type('1,8');
    d.type('commencer par les retards de paiement');
    expect(d.cases.size).toBe(1);
    expect(d.onlyCase().note).toBe('commencer par les retards de paiement');
  });
});
