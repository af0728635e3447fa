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
import { t } from '../../src/i18n/translate.js';
import type { MessageKey } from '../../src/i18n/types.js';
import { COMMANDS, type CommandName } from '../../src/model/inbound.js';
import type { Locale } from '../../src/model/settings.js';

export const COMMAND_NAME = 'offboard';
/** Option names as Discord sends them back, whatever language the user's client shows. */
export const OPTION = Object.freeze({ client: 'client', zone: 'zone' } as const);

// Subcommands keep the English command words: they are the words typed in a DM and the
// words `help` lists, the same on every platform. Their descriptions and options are localized.
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

function subcommand(command: CommandName): APIApplicationCommandSubcommandOption {
  const options = TAKES_CLIENT.includes(command) ? [clientOption()] : command === 'settings' ? [zoneOption()] : [];
  return { type: ApplicationCommandOptionType.Subcommand, ...described(null, command, `discord.sub.${command}`), options };
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
