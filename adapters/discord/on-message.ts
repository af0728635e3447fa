import { ChannelType, type Client, type Message, type SendableChannels } from 'discord.js';
import { parseTyped } from '../../src/engine/parse-command.js';
import { describeError } from './log.js';
import { nonceFor } from './notifier.js';
import type { DiscordQueued } from './queued.js';
import { createOptions } from './send-options.js';
import { takeTurn, type BotDeps } from './turn.js';

export type DmLine = Extract<DiscordQueued, { kind: 'dm' }>;

/** Only a person's own DM to the bot is read; servers are reached by slash command. */
export function isDirectMessage(message: Message): boolean {
  return !message.author.bot && !message.inGuild() && message.channel.type === ChannelType.DM && message.content.trim() !== '';
}

/** What the inbox keeps of a DM line: who, where, which message, what they typed. */
export function dmLine(message: Message): DmLine {
  return { kind: 'dm', userId: message.author.id, channelId: message.channelId, messageId: message.id, content: message.content };
}

/** The DM to answer in: the cached channel, or (after a restart) opened again for the user. */
async function dmChannel(client: Client, line: DmLine): Promise<SendableChannels | null> {
  const cached = client.channels.cache.get(line.channelId);
  if (cached?.isSendable()) return cached;
  const opened = await client.users.createDM(line.userId);
  return opened.isSendable() ? opened : null;
}

/** A line typed in a DM: parsed exactly as the console parses it, answered in the same DM. */
export async function onDirectMessage(deps: BotDeps, client: Client, line: DmLine): Promise<void> {
  const outcome = await takeTurn(deps, line.userId, parseTyped(line.content), `discord:${line.messageId}`);
  if (outcome.duplicate) return;
  const channel = await dmChannel(client, line);
  if (!channel) return;
  for (const [part, m] of outcome.render(outcome.replies).entries()) {
    try {
      await channel.send(createOptions(m, nonceFor(`discord:${line.messageId}`, part)));
    } catch (err) {
      // The rest would make no sense without this part; the user can ask again.
      deps.log.warn({ user: line.userId, error: describeError(err, deps.token) }, 'could not answer a DM');
      return;
    }
  }
}
