import type { Engine } from '../../src/engine/engine.js';
import { t } from '../../src/i18n/translate.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Reply } from '../../src/model/reply.js';
import type { Locale } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import type { Inbox } from '../intake/index.js';
import type { FormMemory } from './form-memory.js';
import type { RawInteractions } from './keep.js';
import { describeError, type Log } from './log.js';
import type { DiscordMessage } from './message.js';
import type { DiscordQueued } from './queued.js';
import { renderReplies } from './render.js';

export interface BotDeps {
  engine: Engine;
  forms: FormMemory;
  log: Log;
  /** Only to blank it out of logged errors. */
  token: string;
  /** The durable inbox events are kept in before their turns; null: turns run from memory. */
  inbox: Inbox<DiscordQueued> | null;
  /** Gateway payloads of interactions just received, for the inbox. */
  raws: RawInteractions;
}

// Longer than any outage a pending inbox entry could wait out (an interaction's token lasts 15 minutes).
const REPLAY_TTL_SECONDS = 24 * 3600;

/**
 * How the engine keeps a turn from happening twice: from memory, the event id is claimed
 * first; from the durable inbox, where a crash may cut a turn short after such a claim and so
 * lose it, the result is saved with the turn's commit and a re-run replays it (see the Slack
 * adapter's turn.ts, the same reasoning).
 */
function turnOnce(deps: BotDeps, eventId: string) {
  return deps.inbox ? { outbox: eventId, outboxTtlSeconds: REPLAY_TTL_SECONDS } : { eventId };
}

export interface TurnOutcome {
  replies: Reply[];
  locale: Locale;
  /** The engine saw this event before (a gateway replay): nothing to send. */
  duplicate: boolean;
  /** The engine turned the answer down as too late: its question had moved on. */
  stale: boolean;
  /** Renders replies for this user in the turn's language (its forms are already remembered). */
  render(replies: readonly Reply[]): DiscordMessage[];
}

export const discordUser = (id: string): UserRef => ({ platform: 'discord', tenant: '', id });

/**
 * Forms are saved before they are shown, so their button works from the first click. The
 * turn itself is already saved: if Redis refuses the form, the click later says the form is
 * no longer open and the user types the answer, so this is logged, not turned into an error.
 */
async function rememberForms(deps: BotDeps, userId: string, replies: readonly Reply[]): Promise<void> {
  try {
    await deps.forms.remember(userId, replies);
  } catch (err) {
    deps.log.warn({ user: userId, error: describeError(err, deps.token) }, 'could not keep a form for its button');
  }
}

/**
 * One turn through the engine. A failed turn saved nothing; the user is told so in their
 * language and may simply try again.
 */
export async function takeTurn(deps: BotDeps, userId: string, inbound: Inbound, eventId: string, hintLocale?: Locale): Promise<TurnOutcome> {
  const render = (locale: Locale) => (replies: readonly Reply[]) => renderReplies(replies, { id: userId, locale });
  try {
    const result = await deps.engine.handle({ user: discordUser(userId), inbound, ...turnOnce(deps, eventId), ...(hintLocale ? { hints: { locale: hintLocale } } : {}) });
    await rememberForms(deps, userId, result.replies);
    return { replies: result.replies, locale: result.locale, duplicate: result.duplicate === true, stale: result.stale === true, render: render(result.locale) };
  } catch (err) {
    deps.log.error({ user: userId, inbound: inbound.kind, error: describeError(err, deps.token) }, 'turn failed');
    const locale = hintLocale ?? 'en';
    return { replies: [{ kind: 'text', text: t(locale, 'common.internalError'), tone: 'error' }], locale, duplicate: false, stale: false, render: render(locale) };
  }
}
