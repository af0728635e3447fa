import { MessageFlags, type InteractionEditReplyOptions, type InteractionReplyOptions, type MessageCreateOptions } from 'discord.js';
import { NO_MENTIONS, type DiscordMessage } from './message.js';

function common(m: DiscordMessage) {
  return {
    content: m.content,
    embeds: m.embeds ?? [],
    components: m.components ?? [],
    ...(m.files ? { files: m.files.map((f) => ({ attachment: f.data, name: f.name, contentType: f.contentType })) } : {}),
    // Set on every message, not only as the client's default, so no path can forget it.
    allowedMentions: NO_MENTIONS,
  };
}

export function createOptions(m: DiscordMessage): MessageCreateOptions {
  return common(m);
}

export function replyOptions(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return ephemeral ? { ...common(m), flags: MessageFlags.Ephemeral } : common(m);
}

export function editOptions(m: DiscordMessage): InteractionEditReplyOptions {
  return common(m);
}
