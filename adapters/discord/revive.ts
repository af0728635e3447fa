import {
  ButtonInteraction,
  ChatInputCommandInteraction,
  ComponentType,
  InteractionType,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
  type APIInteraction,
  type Client,
} from 'discord.js';

export type Revived = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/**
 * The interaction again, from the gateway payload the inbox kept: the same class discord.js
 * builds for a live event (its constructors are internal, hence Reflect.construct), marked as
 * deferred, which it was before it was kept. Its replies go through the interaction's webhook
 * (id and token), which any process of the application may use.
 */
export function revive(client: Client, raw: APIInteraction, ephemeral: boolean): Revived | null {
  let made: Revived;
  if (raw.type === InteractionType.ApplicationCommand) made = Reflect.construct(ChatInputCommandInteraction, [client, raw]) as ChatInputCommandInteraction;
  else if (raw.type === InteractionType.ModalSubmit) made = Reflect.construct(ModalSubmitInteraction, [client, raw]) as ModalSubmitInteraction;
  else if (raw.type === InteractionType.MessageComponent && raw.data.component_type === ComponentType.Button) made = Reflect.construct(ButtonInteraction, [client, raw]) as ButtonInteraction;
  else if (raw.type === InteractionType.MessageComponent && raw.data.component_type === ComponentType.StringSelect) made = Reflect.construct(StringSelectMenuInteraction, [client, raw]) as StringSelectMenuInteraction;
  else return null;
  made.deferred = true;
  made.ephemeral = ephemeral;
  return made;
}
