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

/**
 * `nonce`: a turn run again after a crash sends the same parts with the same nonces, and
 * Discord (enforce_nonce) answers a repeat within minutes with the message already sent: the
 * user sees each answer once.
 */
export function createOptions(m: DiscordMessage, nonce?: string): MessageCreateOptions {
  return nonce ? { ...common(m), nonce, enforceNonce: true } : common(m);
}

export function replyOptions(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return ephemeral ? { ...common(m), flags: MessageFlags.Ephemeral } : common(m);
}

export function editOptions(m: DiscordMessage): InteractionEditReplyOptions {
  return common(m);
}
