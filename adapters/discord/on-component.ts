import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Reply } from '../../src/model/reply.js';
import { closeClicked, followUp, refuse } from './answer.js';
import { decodeId, type ComponentId } from './custom-id.js';
import { inBotDm, localeHint } from './interaction-context.js';
import { describeError } from './log.js';
import { answerModal, formModal } from './modals.js';
import { buttonLabel, hintOf, optionLabels, shownSelected } from './picked.js';
import { editOptions } from './send-options.js';
import { keepOrRun } from './keep.js';
import { takeTurn, type BotDeps } from './turn.js';
import type { UserQueue } from './user-queue.js';

export type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction;

const withCase = (id: ComponentId) => (id.caseId ? { caseId: id.caseId } : {});

/** What the click means for the engine, and the labels to note under the message. */
function toInbound(id: ComponentId, interaction: ComponentInteraction): { inbound: Inbound; picked: string[] } | null {
  const base = { ...withCase(id), question: id.question };
  if (id.kind === 'choice') return { inbound: { kind: 'choice', ...base, value: id.value }, picked: [buttonLabel(interaction.message, interaction.customId) ?? id.value] };
  if (!interaction.isStringSelectMenu()) {
    if (id.kind !== 'multiKeep') return null;
    // The confirm button submits what the dropdown beside it shows as selected.
    const shown = shownSelected(interaction.message, (other) => {
      const o = decodeId(other);
      return o?.kind === 'multi' && o.question === id.question && o.caseId === id.caseId;
    });
    return { inbound: { kind: 'multi', ...base, values: shown.values }, picked: shown.labels };
  }
  const labels = optionLabels(interaction.message, interaction.customId, interaction.values);
  if (id.kind === 'select') {
    const value = interaction.values[0];
    return value === undefined ? null : { inbound: { kind: 'choice', ...base, value }, picked: labels };
  }
  if (id.kind === 'multi') return { inbound: { kind: 'multi', ...base, values: [...interaction.values] }, picked: labels };
  return null;
}

/** The task list that answers a tick is shown in place of the old one rather than below it. */
function inPlace(id: ComponentId, replies: readonly Reply[]): Reply | undefined {
  return replies.find((r) => r.kind === 'checklist' && r.ref.question === id.question && r.ref.caseId === id.caseId);
}

export async function onComponent(deps: BotDeps, queue: UserQueue, interaction: ComponentInteraction): Promise<void> {
  const id = decodeId(interaction.customId);
  if (!id) return refuse(interaction, 'discord.expired');
  // A click on someone else's case changes nothing, and only the clicker sees the refusal.
  if (id.owner !== interaction.user.id) return refuse(interaction, 'case.notYours');
  // Modals must be the first answer to a click: no defer and no engine before them.
  if (id.kind === 'answer') {
    const modal = answerModal(id, hintOf(interaction.message));
    return modal ? interaction.showModal(modal) : refuse(interaction, 'discord.expired', id.locale);
  }
  if (id.kind === 'form') {
    // One Redis read (the form may come from before a restart): well inside the 3 s a click
    // may take to answer with its modal.
    const entry = await deps.forms.get(id.owner, id.caseId, id.question);
    const modal = entry && formModal(id, entry.form, Number(id.value));
    return modal ? interaction.showModal(modal) : refuse(interaction, 'discord.form.expired', id.locale);
  }
  const meaning = toInbound(id, interaction);
  if (!meaning) return refuse(interaction, 'discord.expired', id.locale);
  const q = { kind: 'component' as const, inbound: meaning.inbound, picked: meaning.picked, ephemeral: !inBotDm(interaction) };
  await queue.runAcknowledged(interaction.user.id, interaction.deferUpdate(), () => keepOrRun(deps, interaction, q, () => componentTurn(deps, interaction, q, `discord:${interaction.id}`)));
}

/** The turn of a deferred click: live, or rebuilt from the inbox after a restart. */
export async function componentTurn(deps: BotDeps, interaction: ComponentInteraction, q: { inbound: Inbound; picked: string[]; ephemeral: boolean }, eventId: string): Promise<void> {
  const id = decodeId(interaction.customId);
  if (!id) return;
  const outcome = await takeTurn(deps, interaction.user.id, q.inbound, eventId, localeHint(interaction));
  if (outcome.duplicate) return;
  const { ephemeral } = q;
  const list = inPlace(id, outcome.replies);
  const listMessage = list ? outcome.render([list]) : [];
  const [only] = listMessage;
  if (list && only && listMessage.length === 1) {
    await interaction.editReply(editOptions(only));
    await followUp(interaction, outcome.render(outcome.replies.filter((r) => r !== list)), ephemeral);
    return;
  }
  await closeClicked(interaction, interaction.message, outcome.stale ? null : q.picked, (err) => deps.log.warn({ error: describeError(err, deps.token) }, 'could not close the clicked message'));
  await followUp(interaction, outcome.render(outcome.replies), ephemeral);
}
