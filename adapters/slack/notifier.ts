import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { DeliveryCheck, Notifier, OutboundMessage, SendBudget } from '../../src/delivery/notifier.js';
import { DeliveryError } from '../../src/delivery/notifier.js';
import { translator } from '../../src/i18n/translate.js';
import type { Engine } from '../../src/engine/engine.js';
import type { UserRef } from '../../src/model/user.js';
import type { SlackConfig } from './config.js';
import { toDeliveryError } from './delivery-errors.js';
import { FormStore } from './forms.js';
import { RedisInstallationStore } from './installation-store.js';
import { slackKeys } from './keys.js';
import { renderMessages } from './render.js';
import { HomePublisher } from './home.js';
import { stderrLog, type Log } from './log.js';

/** Marks the bot's reminder messages, so a lost send can be looked up in the DM's history. */
export const REMINDER_EVENT_TYPE = 'offboard_reminder';
// Where to look for a lost send: it happened moments before the process died.
const HISTORY_LIMIT = 50;

export interface SlackNotifierOptions {
  config: Pick<SlackConfig, 'install' | 'apiUrl'>;
  redis: Redis;
  keyPrefix: string;
  /** With the engine, a delivered reminder also refreshes the user's App Home (next reminder). */
  engine?: Engine;
  log?: Log;
}

/**
 * Reminders by DM, for the BullMQ worker: works without Bolt's receiver running. The client
 * neither retries nor waits out rate limits itself: the worker owns retries and timing.
 */
function partKey(key: string, part: number, parts: number): string {
  return parts > 1 ? `${key}#${part}` : key;
}

export function createSlackNotifier(opts: SlackNotifierOptions): Notifier {
  const keys = slackKeys(opts.keyPrefix);
  const forms = new FormStore(opts.redis, keys);
  const installs = opts.config.install.kind === 'oauth' ? new RedisInstallationStore(opts.redis, keys) : null;
  const clients = new Map<string, webApi.WebClient>();
  const clientFor = (token: string): webApi.WebClient => {
    let client = clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, {
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        ...(opts.config.apiUrl ? { slackApiUrl: opts.config.apiUrl } : {}),
      });
      clients.set(token, client);
    }
    return client;
  };

  async function client(user: UserRef): Promise<webApi.WebClient> {
    if (opts.config.install.kind === 'single') return clientFor(opts.config.install.botToken);
    try {
      const installation = await installs?.fetchInstallation({ teamId: user.tenant, enterpriseId: undefined, isEnterpriseInstall: false });
      const token = installation?.bot?.token;
      if (token) return clientFor(token);
    } catch {
      // Falls through: no installation means the workspace removed the app.
    }
    throw new DeliveryError('permanent', 'not_installed', { notSent: true });
  }

  async function dm(c: webApi.WebClient, user: UserRef): Promise<string> {
    const res = await c.conversations.open({ users: user.id });
    if (!res.channel?.id) throw new DeliveryError('transient', 'no_channel', { notSent: true });
    return res.channel.id;
  }

  const home = opts.engine ? new HomePublisher(opts.engine, opts.log ?? stderrLog) : null;

  /** The reminder keys among the DM's recent messages. */
  async function postedKeys(c: webApi.WebClient, channel: string): Promise<Set<string>> {
    const res = await c.conversations.history({ channel, limit: HISTORY_LIMIT, include_all_metadata: true });
    const keys = new Set<string>();
    for (const m of res.messages ?? []) {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
      if (meta?.event_type === REMINDER_EVENT_TYPE && typeof meta.event_payload?.key === 'string') keys.add(meta.event_payload.key);
    }
    return keys;
  }

  return {
    platform: 'slack',

    async send(message: OutboundMessage): Promise<void> {
      try {
        const c = await client(message.user);
        const channel = await dm(c, message.user);
        const formKeys = await forms.save(message.user, message.replies);
        const rendered = renderMessages(message.replies, { owner: message.user.id, say: translator(message.locale), formKey: (f) => formKeys.get(f) });
        // A retried message in several parts: the parts that already arrived are not posted again.
        const arrived = rendered.length > 1 ? await postedKeys(c, channel) : new Set<string>();
        for (const [i, m] of rendered.entries()) {
          // Each part carries its own key, so check() and a retry can tell which parts arrived.
          const key = partKey(message.key, i, rendered.length);
          if (arrived.has(key)) continue;
          await c.chat.postMessage({ channel, text: m.text, blocks: m.blocks, metadata: { event_type: REMINDER_EVENT_TYPE, event_payload: { key } } });
        }
        // The dashboard's "next reminder" just changed; never holds up or fails the delivery.
        home?.refresh(c, message.user);
      } catch (err) {
        throw toDeliveryError(err);
      }
    },

    async check(message: OutboundMessage): Promise<DeliveryCheck> {
      try {
        const c = await client(message.user);
        const channel = await dm(c, message.user);
        const arrived = await postedKeys(c, channel);
        // Counting the parts needs no form keys: only how the replies split into messages.
        const parts = Math.max(1, renderMessages(message.replies, { owner: message.user.id, say: translator(message.locale), formKey: () => undefined }).length);
        const all = Array.from({ length: parts }, (_, i) => partKey(message.key, i, parts));
        // Some parts only: 'notDelivered', and send() then posts just the missing ones.
        return all.every((k) => arrived.has(k)) ? 'delivered' : 'notDelivered';
      } catch {
        return 'unknown';
      }
    },

    budget(user: UserRef): SendBudget {
      // Slack allows about one message per second per channel; a DM is one channel.
      return { key: 'slack.dm', user, points: 1, perSeconds: 1 };
    },
  };
}
