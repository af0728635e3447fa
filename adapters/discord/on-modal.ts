import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { Inbound } from '../../src/model/inbound.js';
import { answerDeferred, closeClicked, followUp, refuse } from './answer.js';
import { formPartRows } from './components.js';
import { decodeId, type ComponentId } from './custom-id.js';
import { inBotDm, localeHint } from './interaction-context.js';
import { describeError } from './log.js';
import { fit, LIMITS } from './limits.js';
import { NO_MENTIONS } from './message.js';
import { ANSWER_FIELD, formParts, parseAnswerKind } from './modals.js';
import { keepOrRun } from './keep.js';
import { takeTurn, type BotDeps } from './turn.js';
import type { UserQueue } from './user-queue.js';

const withCase = (id: ComponentId) => (id.caseId ? { caseId: id.caseId } : {});

function answerInbound(id: ComponentId, interaction: ModalSubmitInteraction): Inbound | null {
  const kind = parseAnswerKind(id.value);
  if (!kind) return null;
  const value = interaction.fields.getTextInputValue(ANSWER_FIELD);
  // Dates go as dates, so the engine parses and checks them as its date input does; an
  // optional question left empty is a skip, said as empty text.
  if ((kind.input === 'date' || kind.input === 'datetime') && value.trim()) return { kind: 'date', ...withCase(id), question: id.question, value };
  return { kind: 'text', ...withCase(id), question: id.question, text: value };
}

/**
 * One modal part submitted. A form longer than five fields is asked in parts: the answers
 * wait here until the last part comes, then go to the engine as one submit.
 */
export async function onModal(deps: BotDeps, queue: UserQueue, interaction: ModalSubmitInteraction): Promise<void> {
  const id = decodeId(interaction.customId);
  if (!id || (id.kind !== 'answerModal' && id.kind !== 'formModal')) return refuse(interaction, 'discord.expired');
  if (id.owner !== interaction.user.id) return refuse(interaction, 'case.notYours');
  const ephemeral = !inBotDm(interaction);
  let inbound: Inbound | null;
  if (id.kind === 'answerModal') inbound = answerInbound(id, interaction);
  else {
    const entry = await deps.forms.get(id.owner, id.caseId, id.question);
    const part = Number(id.value);
    const parts = entry ? formParts(entry.form) : [];
    const fields = parts[part];
    if (!entry || !fields) return refuse(interaction, 'discord.form.expired', id.locale);
    const values = Object.fromEntries(fields.map((f) => [f.id, interaction.fields.getTextInputValue(f.id).trim() || f.value || '']));
    const all = await deps.forms.addValues(id.owner, id.caseId, id.question, values);
    if (part + 1 < parts.length) {
      const title = `**${fit(entry.form.title, LIMITS.modalTitle)}** (${part + 2}/${parts.length})`;
      await interaction.reply({ content: title, components: formPartRows(entry.form.ref, { id: id.owner, locale: id.locale }, part + 1), allowedMentions: NO_MENTIONS, ...(ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) });
      return;
    }
    await deps.forms.clearValues(id.owner, id.caseId, id.question);
    inbound = { kind: 'submit', ...withCase(id), form: id.question, fields: all };
  }
  if (!inbound) return refuse(interaction, 'discord.expired', id.locale);
  const fromMessage = interaction.isFromMessage();
  const ack = fromMessage ? interaction.deferUpdate() : interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const q = { kind: 'modal' as const, inbound, ephemeral, fromMessage };
  await queue.runAcknowledged(interaction.user.id, ack, () => keepOrRun(deps, interaction, q, () => modalTurn(deps, interaction, q, `discord:${interaction.id}`)));
}

/** The turn of a deferred modal submission: live, or rebuilt from the inbox after a restart. */
export async function modalTurn(deps: BotDeps, interaction: ModalSubmitInteraction, q: { inbound: Inbound; ephemeral: boolean; fromMessage: boolean }, eventId: string): Promise<void> {
  const { ephemeral, fromMessage } = q;
  const outcome = await takeTurn(deps, interaction.user.id, q.inbound, eventId, localeHint(interaction));
  if (outcome.duplicate) return;
  const messages = outcome.render(outcome.replies);
  if (!fromMessage) return answerDeferred(interaction, messages, ephemeral);
  await closeClicked(interaction, interaction.message, outcome.stale ? null : [], (err) => deps.log.warn({ error: describeError(err, deps.token) }, 'could not close the modal\'s message'));
  await followUp(interaction, messages, ephemeral);
}
