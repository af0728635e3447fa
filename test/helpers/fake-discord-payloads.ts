/** Discord API objects as the fake server sends them: just the fields discord.js reads. */

export interface FakeUser {
  id: string;
  username: string;
  /** Discord client language, e.g. "de" or "en-US"; sent on interactions. */
  locale?: string;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
  proxy_url: string;
  /** The file's text, kept for assertions (not part of Discord's object). */
  text: string;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: ReturnType<typeof apiUser>;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  attachments: StoredAttachment[];
  flags: number;
  nonce?: string;
  timestamp: string;
  edited_timestamp: string | null;
  deleted?: boolean;
  /** Interaction responses: the id of the interaction (webhook messages have no nonce). */
  interaction_id?: string;
  /** Ephemeral messages: the only user who sees them. */
  visible_to?: string;
}

export const EPHEMERAL = 64;
export const LOADING = 128;

export function apiUser(u: { id: string; username: string }, bot = false) {
  return { id: u.id, username: u.username, global_name: null, discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

export function apiMessage(m: StoredMessage) {
  const { deleted: _deleted, interaction_id: _interaction, visible_to: _viewer, ...rest } = m;
  return {
    ...rest,
    type: 0,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    attachments: m.attachments.map(({ text: _text, ...a }) => a),
  };
}

export function dmChannelPayload(channelId: string, user: FakeUser) {
  return { id: channelId, type: 1, recipients: [apiUser(user)], last_message_id: null, flags: 0 };
}

export type Place = { kind: 'dm'; channelId: string } | { kind: 'guild'; guildId: string; channelId: string };

/** The fields every interaction carries: who, where, in which language and context. */
export function interactionBase(id: string, token: string, applicationId: string, type: number, user: FakeUser, place: Place) {
  const common = {
    id,
    token,
    application_id: applicationId,
    type,
    version: 1,
    locale: user.locale ?? 'en-US',
    app_permissions: '0',
    entitlements: [],
    channel_id: place.channelId,
  };
  if (place.kind === 'dm') {
    return {
      ...common,
      user: apiUser(user),
      channel: dmChannelPayload(place.channelId, user),
      context: 1,
      authorizing_integration_owners: { '0': '0' },
    };
  }
  return {
    ...common,
    guild_id: place.guildId,
    guild_locale: 'en-US',
    member: { user: apiUser(user), roles: [], permissions: '0', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
    context: 0,
    authorizing_integration_owners: { '0': place.guildId },
  };
}
