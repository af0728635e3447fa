import { ChannelType, InteractionContextType, type BaseInteraction } from 'discord.js';
import { isLocale, type Locale } from '../../src/model/settings.js';

/**
 * True in the user's own DM with the bot: answers can be public there. Anywhere else (a
 * server channel, or someone else's DM through the user-installed app) they are ephemeral.
 */
export function inBotDm(interaction: BaseInteraction): boolean {
  if (interaction.context !== null) return interaction.context === InteractionContextType.BotDM;
  return !interaction.guildId && interaction.channel?.type === ChannelType.DM;
}

/** The user's Discord client language, when it is one of ours: a first-contact hint only. */
export function localeHint(interaction: BaseInteraction): Locale | undefined {
  const base = (interaction.locale ?? '').toLowerCase().split('-')[0] ?? '';
  return isLocale(base) ? base : undefined;
}
