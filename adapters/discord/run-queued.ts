import { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction, StringSelectMenuInteraction, type Client } from 'discord.js';
import type { InboxEntry } from '../intake/index.js';
import { describeError } from './log.js';
import { onDirectMessage } from './on-message.js';
import { slashTurn } from './on-command.js';
import { componentTurn } from './on-component.js';
import { modalTurn } from './on-modal.js';
import type { DiscordQueued } from './queued.js';
import { revive } from './revive.js';
import type { BotDeps } from './turn.js';

/** One kept event's turn, in this process or, after a crash, in the one that took it over. */
export async function runQueued(deps: BotDeps, client: Client, entry: InboxEntry<DiscordQueued>): Promise<void> {
  const q = entry.payload;
  if (q.kind === 'dm') return onDirectMessage(deps, client, q);
  const interaction = revive(client, q.raw, q.ephemeral);
  try {
    if (q.kind === 'slash' && interaction instanceof ChatInputCommandInteraction) return await slashTurn(deps, interaction, q, entry.eventId);
    if (q.kind === 'component' && (interaction instanceof ButtonInteraction || interaction instanceof StringSelectMenuInteraction)) return await componentTurn(deps, interaction, q, entry.eventId);
    if (q.kind === 'modal' && interaction instanceof ModalSubmitInteraction) return await modalTurn(deps, interaction, q, entry.eventId);
  } catch (err) {
    // Saved (or replayed) but not shown: the interaction's token may have expired meanwhile
    // (15 minutes); the user's next `status` shows where things stand.
    deps.log.warn({ error: describeError(err, deps.token) }, 'kept interaction answered only in part');
    return;
  }
  deps.log.warn({ kind: q.kind }, 'kept interaction of an unknown shape dropped');
}
