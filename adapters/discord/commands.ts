import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale as DiscordLocale,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_WORDS } from '../../src/i18n/command-words.js';
import { t } from '../../src/i18n/translate.js';
import type { MessageKey } from '../../src/i18n/types.js';
import { COMMANDS, type CommandName } from '../../src/model/inbound.js';
import type { Locale } from '../../src/model/settings.js';

export const COMMAND_NAME = 'offboard';
/** Option names as Discord sends them back, whatever language the user's client shows. */
export const OPTION = Object.freeze({ client: 'client', zone: 'zone' } as const);

// Subcommands are the command words: English as the name Discord sends back, and the user's
// language's word (as typed in a DM and listed by `help`) as the name their client shows.
const TAKES_CLIENT: readonly CommandName[] = ['start', 'status', 'paid', 'letter', 'pushback', 'cancel', 'export'];
// Our languages besides English, each with the Discord locale that shows it.
const DISCORD_LOCALES: Readonly<Record<Exclude<Locale, 'en'>, DiscordLocale>> = {
  de: DiscordLocale.German,
  fr: DiscordLocale.French,
  tr: DiscordLocale.Turkish,
  vi: DiscordLocale.Vietnamese,
};

function localized(key: MessageKey): { base: string; map: LocalizationMap } {
  const map: LocalizationMap = {};
  for (const [ours, theirs] of Object.entries(DISCORD_LOCALES) as [Exclude<Locale, 'en'>, DiscordLocale][]) map[theirs] = t(ours, key);
  return { base: t('en', key), map };
}

function described(nameKey: MessageKey | null, name: string, descriptionKey: MessageKey) {
  const description = localized(descriptionKey);
  const names = nameKey ? localized(nameKey) : null;
  return {
    name,
    ...(names ? { name_localizations: names.map } : {}),
    description: description.base,
    description_localizations: description.map,
  };
}

function clientOption(): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.String, ...described('discord.option.client', OPTION.client, 'discord.option.client.description'), required: false };
}

function zoneOption(): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.String, ...described('discord.option.zone', OPTION.zone, 'discord.option.zone.description'), required: false, autocomplete: true };
}

/** A command word as a Discord name: lower case, no spaces ("trợ giúp" → "trợ_giúp"). */
const discordName = (word: string): string => word.toLocaleLowerCase().replace(/\s+/g, '_');

function subcommand(command: CommandName): APIApplicationCommandSubcommandOption {
  const options = TAKES_CLIENT.includes(command) ? [clientOption()] : command === 'settings' ? [zoneOption()] : [];
  const names: LocalizationMap = {};
  for (const [ours, theirs] of Object.entries(DISCORD_LOCALES) as [Exclude<Locale, 'en'>, DiscordLocale][]) names[theirs] = discordName(COMMAND_WORDS[ours][command]);
  return { type: ApplicationCommandOptionType.Subcommand, ...described(null, command, `discord.sub.${command}`), name_localizations: names, options };
}

/**
 * The one `/offboard` command with a subcommand per command word. Global registration makes
 * it usable in servers, in the bot's DMs and, user-installed, in any DM or group DM; a guild
 * registration is for development and Discord takes no contexts there.
 */
export function buildCommands(scope: 'global' | 'guild'): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const command: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    ...described(null, COMMAND_NAME, 'discord.command.description'),
    options: COMMANDS.map(subcommand),
  };
  if (scope === 'guild') return [command];
  return [
    {
      ...command,
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
      integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
    },
  ];
}
