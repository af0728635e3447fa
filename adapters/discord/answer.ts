import { MessageFlags, type Message, type RepliableInteraction } from 'discord.js';
import { t } from '../../src/i18n/translate.js';
import type { Locale } from '../../src/model/settings.js';
import { localeHint } from './interaction-context.js';
import { fit, LIMITS } from './limits.js';
import { NO_MENTIONS, type DiscordMessage } from './message.js';
import { editOptions, replyOptions } from './send-options.js';

/** Fills a reply deferred with `deferReply`: the first message in place, the rest as follow-ups. */
export async function answerDeferred(interaction: RepliableInteraction, messages: readonly DiscordMessage[], ephemeral: boolean): Promise<void> {
  const [first, ...rest] = messages;
  if (!first) {
    await interaction.deleteReply();
    return;
  }
  await interaction.editReply(editOptions(first));
  await followUp(interaction, rest, ephemeral);
}

export async function followUp(interaction: RepliableInteraction, messages: readonly DiscordMessage[], ephemeral: boolean): Promise<void> {
  for (const m of messages) await interaction.followUp(replyOptions(m, ephemeral));
}

/**
 * After a click was answered: the clicked message loses its widgets (an answered question
 * can't be answered twice by accident) and shows what was picked, in small print. `null`:
 * the engine did not take the click (the question had moved on), so nothing is noted.
 */
export async function closeClicked(interaction: RepliableInteraction, message: Message | null, picked: readonly string[] | null, onError: (err: unknown) => void): Promise<void> {
  if (!message) return;
  if (picked === null) {
    // The click came too late to count: only its widgets go. The text is left as Discord has
    // it, since `message` may predate an earlier click's note (a double click).
    await interaction.editReply({ components: [], allowedMentions: NO_MENTIONS }).catch(onError);
    return;
  }
  const note = picked.length ? `\n-# › ${picked.join(', ')}` : '';
  const content = message.content.length + note.length <= LIMITS.messageContent ? `${message.content}${note}` : fit(message.content, LIMITS.messageContent);
  // Only content and widgets: an embed or attachment on the message stays as it was.
  // Cosmetic: if it fails, the answer below matters more and is still sent.
  await interaction.editReply({ content, components: [], allowedMentions: NO_MENTIONS }).catch(onError);
}

/** Refuses without running anything: an unknown widget, or someone else's. */
export async function refuse(interaction: RepliableInteraction, key: 'case.notYours' | 'discord.expired' | 'discord.form.expired', locale: Locale = localeHint(interaction) ?? 'en'): Promise<void> {
  await interaction.reply({ content: t(locale, key), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
