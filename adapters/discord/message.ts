import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface DiscordFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/**
 * One Discord message, platform JSON already within Discord's limits; sent as it is by the
 * gateway bot (discord.js) and by the REST notifier alike.
 */
export interface DiscordMessage {
  content: string;
  embeds?: APIEmbed[];
  components?: MessageRow[];
  files?: DiscordFile[];
}

/** Nobody is ever pinged: `@everyone` or `<@id>` in a client's name stays plain text. */
export const NO_MENTIONS = Object.freeze({ parse: [] as never[] });
