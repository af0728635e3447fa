import type { APIInteraction, BaseInteraction } from 'discord.js';
import { userKey } from '../../src/model/user.js';
import { describeError } from './log.js';
import type { DiscordQueued } from './queued.js';
import { discordUser, type BotDeps } from './turn.js';

type InteractionQueued = Exclude<DiscordQueued, { kind: 'dm' }>;
type WithoutRaw<T> = T extends unknown ? Omit<T, 'raw'> : never;

// Gateway payloads wait here for the instant between discord.js's raw event and its
// interactionCreate (the same tick); a few are kept in case one is never taken.
const RAW_KEPT = 200;

/** The gateway's own payloads of recent interactions, by id: what the inbox keeps. */
export class RawInteractions {
  private readonly byId = new Map<string, APIInteraction>();

  put(raw: APIInteraction): void {
    this.byId.set(raw.id, raw);
    if (this.byId.size > RAW_KEPT) this.byId.delete(this.byId.keys().next().value ?? '');
  }

  take(id: string): APIInteraction | undefined {
    const raw = this.byId.get(id);
    this.byId.delete(id);
    return raw;
  }
}

/**
 * Keeps a deferred interaction in the inbox; its turn then runs from there. When the inbox
 * cannot take it (Redis down), the defer has gone out already (Discord's 3 s allow no
 * waiting for Redis first), so the turn runs here and now instead, as before the inbox: the
 * user gets an answer or the engine's apology, never a reply stuck on "thinking…".
 */
export async function keepOrRun(deps: BotDeps, interaction: BaseInteraction, q: WithoutRaw<InteractionQueued>, runHere: () => Promise<void>): Promise<void> {
  const raw = deps.raws.take(interaction.id);
  if (!raw || !deps.inbox) return runHere();
  try {
    await deps.inbox.append(userKey(discordUser(interaction.user.id)), `discord:${interaction.id}`, { ...q, raw } as InteractionQueued);
  } catch (err) {
    deps.log.error({ user: interaction.user.id, error: describeError(err, deps.token) }, 'interaction not kept in the inbox; answering it from memory');
    await runHere();
  }
}
