import { ChannelType, type Message } from 'discord.js';
import { parseTyped } from '../../src/engine/parse-command.js';
import { describeError } from './log.js';
import { createOptions } from './send-options.js';
import { takeTurn, type BotDeps } from './turn.js';

/** Only a person's own DM to the bot is read; servers are reached by slash command. */
export function isDirectMessage(message: Message): boolean {
  return !message.author.bot && !message.inGuild() && message.channel.type === ChannelType.DM && message.content.trim() !== '';
}

/** A line typed in a DM: parsed exactly as the console parses it, answered in the same DM. */
export async function onDirectMessage(deps: BotDeps, message: Message): Promise<void> {
  const outcome = await takeTurn(deps, message.author.id, parseTyped(message.content), `discord:${message.id}`);
  if (outcome.duplicate || !message.channel.isSendable()) return;
  for (const m of outcome.render(outcome.replies)) {
    try {
      await message.channel.send(createOptions(m));
    } catch (err) {
      // The rest would make no sense without this part; the user can ask again.
      deps.log.warn({ user: message.author.id, error: describeError(err, deps.token) }, 'could not answer a DM');
      return;
    }
  }
}
