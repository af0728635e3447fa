// Command words in the user's language, next to the English ones that always work. Chosen with
// the style guides' glossary and so that none is also an answer the bot offers (a button's words,
// "yes"/"skip" words, the task verbs): test/command-words.test.ts checks that.
import type { CommandName } from '../model/inbound.js';
import type { Locale } from '../model/settings.js';

export const COMMAND_WORDS: Readonly<Record<Exclude<Locale, 'en'>, Readonly<Record<CommandName, string>>>> = {
  de: {
    start: 'beginnen', list: 'liste', status: 'übersicht', paid: 'zahlung', letter: 'kündigung',
    pushback: 'einwand', cancel: 'abbrechen', settings: 'einstellungen', forget: 'vergessen', help: 'hilfe', export: 'exportieren',
  },
  fr: {
    start: 'commencer', list: 'liste', status: 'statut', paid: 'paiement', letter: 'lettre',
    pushback: 'objection', cancel: 'annuler', settings: 'réglages', forget: 'oublier', help: 'aide', export: 'exporter',
  },
  tr: {
    start: 'başlat', list: 'liste', status: 'durum', paid: 'ödeme', letter: 'mektup',
    pushback: 'itiraz', cancel: 'iptal', settings: 'ayarlar', forget: 'unut', help: 'yardım', export: 'dışa aktar',
  },
  vi: {
    start: 'bắt đầu', list: 'danh sách', status: 'trạng thái', paid: 'thanh toán', letter: 'thư',
    pushback: 'níu kéo', cancel: 'hủy', settings: 'cài đặt', forget: 'quên', help: 'trợ giúp', export: 'xuất',
  },
};

/** Lower-case without accents, so "yardim", "tro giup" and "reglages" match too. */
export function foldWord(text: string): string {
  return text
    .trim()
    .toLocaleLowerCase('tr')
    // "trợ_giúp": the word as Discord's subcommand name shows it, if someone types it so.
    .replace(/[\s_]+/g, ' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/ı/g, 'i');
}

const BY_WORD: ReadonlyMap<string, CommandName> = new Map(
  Object.values(COMMAND_WORDS).flatMap((words) => (Object.entries(words) as Array<[CommandName, string]>).map(([cmd, w]) => [foldWord(w), cmd] as const)),
);

/**
 * Words people use for a command in a sentence, not its name: "bezahlt Müller", "payé Acme",
 * "ödendi Yıldız", "đã thanh toán Đông Á". Read only with a client's name after them (the
 * engine checks that it names a case): alone, "Ödendi" or "Payé" is the answer to a payment
 * check, not a command.
 */
const NAMED_ALIASES: ReadonlyMap<string, CommandName> = new Map(
  (
    [
      ['bezahlt', 'paid'],
      ['payé', 'paid'],
      ['payée', 'paid'],
      ['ödendi', 'paid'],
      ['đã thanh toán', 'paid'],
      ['đã trả', 'paid'],
    ] as const
  ).map(([w, cmd]) => [foldWord(w), cmd] as const),
);

/** A command word, or a word for it, that comes before a client's name. */
export function localCommandBeforeName(words: string): CommandName | undefined {
  const folded = foldWord(words);
  return BY_WORD.get(folded) ?? NAMED_ALIASES.get(folded);
}

/** The command a localized word names, in any of the languages ("hilfe", "aide", "trợ giúp"). */
export function localCommand(word: string): CommandName | undefined {
  return BY_WORD.get(foldWord(word));
}
