import { createHash } from 'node:crypto';
import { REST, Routes, type APIChannel, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DeliveryCheck, Notifier, OutboundMessage, SendBudget } from '../../src/delivery/notifier.js';
import { DeliveryError } from '../../src/delivery/notifier.js';
import type { DiscordConfig } from './config.js';
import { toDeliveryError } from './delivery-error.js';
import { NO_MENTIONS, type DiscordMessage } from './message.js';
import type { FormMemory } from './form-memory.js';
import type { PartProgress } from './part-progress.js';
import { renderReplies } from './render.js';
import { discordAgent } from './rest-agent.js';

export interface DiscordNotifierOptions {
  /** Per-request timeout; a timed-out send is retried by the worker (the nonce prevents doubles). */
  timeoutMs?: number;
  /** Where the parts already posted are noted, so a late retry skips them. */
  progress?: PartProgress;
  /** Where a reminder's forms are kept, so their "Fill in" button opens in the bot process. */
  forms?: FormMemory;
}

/** Discord's documented global limit: 50 requests a second for the whole bot. */
const BUDGET: SendBudget = Object.freeze({ key: 'discord.bot', points: 50, perSeconds: 1 });
const NONCE_LENGTH = 25;
const DM_CHANNELS_KEPT = 10_000;

/**
 * Discord keeps a message's nonce for a few minutes and, with `enforce_nonce`, answers a
 * second post with the same nonce by returning the first message. Nonces are at most 25
 * characters, so each part of an outbound message gets a hash of its key and position.
 */
export function nonceFor(key: string, part: number): string {
  return createHash('sha256').update(`${key}#${part}`).digest('base64url').slice(0, NONCE_LENGTH);
}

function body(m: DiscordMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
  return {
    content: m.content,
    ...(m.embeds ? { embeds: m.embeds } : {}),
    ...(m.components ? { components: m.components } : {}),
    allowed_mentions: NO_MENTIONS,
    nonce,
    enforce_nonce: true,
  };
}

/**
 * Reminders over REST only: the worker needs no gateway connection. Rate limits are not
 * waited out here (no sleeping inside a job, no retries hidden from the worker): they come
 * back as `rateLimited` with Discord's retry-after, and the worker decides.
 */
export function createDiscordNotifier(config: Pick<DiscordConfig, 'token' | 'apiUrl'>, options: DiscordNotifierOptions = {}): Notifier {
  const rest = new REST({
    api: config.apiUrl,
    agent: discordAgent(),
    retries: 0,
    rejectOnRateLimit: () => true,
    offset: 0,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  }).setToken(config.token);
  const dmChannels = new Map<string, string>();

  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    if (dmChannels.size >= DM_CHANNELS_KEPT) dmChannels.clear();
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  return {
    platform: 'discord',
    async send(message: OutboundMessage): Promise<void> {
      if (message.user.platform !== 'discord') throw new DeliveryError('permanent', 'not_a_discord_user', { notSent: true });
      const parts = renderReplies(message.replies, { id: message.user.id, locale: message.locale });
      const progress = options.progress;
      const from = progress ? await progress.done(message.user, message.key) : 0;
      let posted = from > 0;
      try {
        // Before the message: its button must find the form from the first click.
        await options.forms?.remember(message.user.id, message.replies);
        const channelId = await dmChannel(message.user.id);
        for (const [i, m] of parts.entries()) {
          if (i < from) continue;
          const files = m.files?.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));
          await rest.post(Routes.channelMessages(channelId), { body: body(m, nonceFor(message.key, i)), ...(files ? { files } : {}) });
          posted = true;
          // Only parts that follow need the note: the last one is covered by the ledger.
          if (progress && i < parts.length - 1) await progress.mark(message.user, message.key, i + 1);
        }
      } catch (err) {
        const failure = toDeliveryError(err, posted);
        // A closed or vanished DM channel may be cached: ask for it afresh next time.
        if (failure.kind === 'permanent') dmChannels.delete(message.user.id);
        throw failure;
      }
    },
    // Discord cannot be asked whether a nonce was used; a resend within minutes is
    // de-duplicated by the nonce itself, so sending again is the safe answer.
    async check(): Promise<DeliveryCheck> {
      return 'unknown';
    },
    budget: () => BUDGET,
  };
}
