import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { t } from '../../src/i18n/translate.js';
import { answerDeferred } from './answer.js';
import { OPTION } from './commands.js';
import { inBotDm, localeHint } from './interaction-context.js';
import { describeError } from './log.js';
import { nonceFor } from './notifier.js';
import type { DiscordMessage } from './message.js';
import { createOptions, editOptions } from './send-options.js';
import { slashInbound } from './slash.js';
import type { Inbound } from '../../src/model/inbound.js';
import { keepOrRun } from './keep.js';
import { takeTurn, type BotDeps } from './turn.js';
import type { UserQueue } from './user-queue.js';
import { suggestZones } from './zones.js';

export async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === OPTION.zone ? suggestZones(String(focused.value)) : []);
}

const dmClosed = (err: unknown) => err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;

/**
 * `/offboard …`. In the bot's DM the answer is the reply itself. Anywhere else the answer goes
 * to the user's DM, where the conversation carries on (typed answers only reach the bot
 * there), and the channel gets a private pointer to it; if the DM is closed, the answer is
 * given here, visible only to the user.
 */
export async function onSlashCommand(deps: BotDeps, queue: UserQueue, interaction: ChatInputCommandInteraction): Promise<void> {
  const privateChat = inBotDm(interaction);
  // Deferred at once: Discord drops an interaction not answered within 3 seconds. Then kept in
  // the inbox, in arrival order; the turn runs from there.
  const ack = interaction.deferReply(privateChat ? {} : { flags: MessageFlags.Ephemeral });
  const q = { kind: 'slash' as const, inbound: slashInbound(interaction), ephemeral: !privateChat };
  await queue.runAcknowledged(interaction.user.id, ack, () => keepOrRun(deps, interaction, q, () => slashTurn(deps, interaction, q, `discord:${interaction.id}`)));
}

/** The turn of a deferred `/offboard …`: live, or rebuilt from the inbox after a restart. */
export async function slashTurn(deps: BotDeps, interaction: ChatInputCommandInteraction, q: { inbound: Inbound; ephemeral: boolean }, eventId: string): Promise<void> {
  const privateChat = !q.ephemeral;
  const outcome = await takeTurn(deps, interaction.user.id, q.inbound, eventId, localeHint(interaction));
  if (outcome.duplicate) return void (await interaction.deleteReply());
  const messages = outcome.render(outcome.replies);
  if (privateChat) return answerDeferred(interaction, messages, false);
  try {
    const dm = await interaction.user.createDM();
    for (const [part, m] of messages.entries()) await dm.send(createOptions(m, nonceFor(eventId, part)));
    const link = `https://discord.com/channels/@me/${dm.id}`;
    await interaction.editReply(editOptions({ content: t(outcome.locale, 'discord.continuedInDm', { link }) }));
  } catch (err) {
    if (!dmClosed(err)) deps.log.warn({ user: interaction.user.id, error: describeError(err, deps.token) }, 'could not answer in the DM');
    const note: DiscordMessage = { content: t(outcome.locale, 'discord.dmClosed') };
    await answerDeferred(interaction, [note, ...messages], true);
  }
}
