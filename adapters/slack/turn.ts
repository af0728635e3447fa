import type { webApi } from '@slack/bolt';
import type { Engine } from '../../src/engine/engine.js';
import { t, translator } from '../../src/i18n/translate.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Reply } from '../../src/model/reply.js';
import type { Locale } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import type { FormStore } from './forms.js';
import type { HomePublisher } from './home.js';
import { describe, type Log } from './log.js';
import { show, type DmChannels, type Where } from './post.js';
import type { Profiles } from './profiles.js';
import type { Inbox } from '../intake/index.js';
import type { SlackQueued } from './queued.js';

/** Everything a turn needs, built once by the app. */
export interface TurnDeps {
  engine: Engine;
  forms: FormStore;
  dms: DmChannels;
  profiles: Profiles;
  home: HomePublisher;
  log: Log;
  /** Where each event is kept before its ack; its turn runs from there, in order per user. */
  inbox: Inbox<SlackQueued>;
  /**
   * True with the durable inbox: a turn may run again after a crash, so the engine saves its
   * result under the event id (the outbox) and a re-run replays it; see turnOnce below.
   */
  durable: boolean;
  /** The Web API client for a workspace (a queued turn has no listener's client). */
  clientFor(team: string): Promise<webApi.WebClient>;
  /** The language each user was last answered in, for the few words said outside a turn. */
  locales: Map<string, Locale>;
}

export interface Turn {
  client: webApi.WebClient;
  user: UserRef;
  inbound: Inbound;
  where: Where;
  /** The platform's id of what happened: a retry with the same id has no second effect. */
  eventId?: string;
  triggerId?: string;
  submitted?: { question: string; values: Record<string, string> };
  /** Runs after the engine decided and before the answer is shown (a click marks its message). */
  beforeShow?: (result: { locale: Locale; stale: boolean }) => Promise<void>;
}

const LOCALES_MAX = 50_000;
// Longer than any outage a pending inbox entry could wait out; the platforms' retries are minutes.
const REPLAY_TTL_SECONDS = 24 * 3600;

/**
 * How the engine keeps a turn from happening twice. In memory, the event id is claimed before
 * the turn (a platform's retry is dropped). From the durable inbox a turn may be cut short by
 * a crash after that claim and before its commit: a claim would then drop the re-run, and the
 * turn would be lost. So the result is saved with the commit under the event id instead, and a
 * re-run replays it: one effect, and the answer still shown. (Retries of the same event are
 * already kept out of the inbox by its append.)
 */
function turnOnce(deps: TurnDeps, eventId: string | undefined) {
  if (!eventId) return {};
  return deps.durable ? { outbox: eventId, outboxTtlSeconds: REPLAY_TTL_SECONDS } : { eventId };
}
const userKey = (u: UserRef): string => `${u.tenant}.${u.id}`;

export function localeOf(deps: TurnDeps, user: UserRef): Locale {
  return deps.locales.get(userKey(user)) ?? 'en';
}

/** Says something outside a turn (a refused click, a half-picked date): no state changes. */
export async function tell(deps: TurnDeps, turn: Omit<Turn, 'inbound'>, replies: Reply[]): Promise<void> {
  const say = translator(localeOf(deps, turn.user));
  await show(replies, { client: turn.client, user: turn.user, where: turn.where, say, forms: deps.forms, dms: deps.dms });
}

/** One user action through the engine, and its answer back to Slack. Runs after the ack. */
export async function runTurn(deps: TurnDeps, turn: Turn): Promise<void> {
  let result;
  try {
    const hints = await deps.profiles.hintsFor(turn.client, turn.user);
    result = await deps.engine.handle({
      user: turn.user,
      inbound: turn.inbound,
      ...turnOnce(deps, turn.eventId),
      ...(hints ? { hints } : {}),
    });
  } catch (err) {
    deps.log.error({}, `turn failed, nothing saved: ${describe(err)}`);
    const sorry: Reply = { kind: 'text', text: t(localeOf(deps, turn.user), 'common.internalError'), tone: 'error' };
    await tell(deps, turn, [sorry]).catch((e: unknown) => deps.log.error({}, `could not say sorry: ${describe(e)}`));
    return;
  }
  if (result.duplicate) return;
  if (deps.locales.size >= LOCALES_MAX) deps.locales.clear();
  deps.locales.set(userKey(turn.user), result.locale);
  try {
    await turn.beforeShow?.({ locale: result.locale, stale: result.stale === true });
    await show(result.replies, {
      client: turn.client,
      user: turn.user,
      where: turn.where,
      say: translator(result.locale),
      forms: deps.forms,
      dms: deps.dms,
      ...(turn.triggerId ? { triggerId: turn.triggerId } : {}),
      ...(turn.submitted ? { submitted: turn.submitted } : {}),
      ...(deps.durable && turn.eventId ? { turn: { eventId: turn.eventId, replay: result.replayed === true } } : {}),
    });
  } catch (err) {
    // Saved but not shown: the user's next `status` or the App Home shows where things stand.
    deps.log.error({}, `answer not delivered: ${describe(err)}`);
  }
  deps.home.refresh(turn.client, turn.user);
}
