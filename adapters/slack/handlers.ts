import type { App, BlockAction, webApi } from '@slack/bolt';
import { t } from '../../src/i18n/translate.js';
import { userKey, type UserRef } from '../../src/model/user.js';
import { describe } from './log.js';
import type { SlackQueued } from './queued.js';
import { readAction, type ActionPayload, type ActionState } from './read-action.js';
import { FORM_CALLBACK } from './refs.js';
import { formModal, readFormMetadata, readFormValues, type StateValues } from './render-view.js';
import { slackUser } from './run-queued.js';
import { localeOf, type TurnDeps } from './turn.js';

export const SLASH_COMMAND = '/offboard';

/** The event could not be kept, so it is not acknowledged: Slack retries it (or says it failed). */
export class NotKept extends Error {
  override readonly name = 'NotKept';
}

/**
 * Keeps the event in the inbox, then acknowledges it; its turn runs from the inbox. If the
 * inbox cannot take it (Redis down or too slow for Slack's 3 s), no ack: an Events API event
 * is retried by Slack; a command or click shows Slack's own "didn't respond" to the user,
 * which is true, rather than a 200 followed by silence.
 */
async function keepThenAck(deps: TurnDeps, user: UserRef, eventId: string, payload: SlackQueued, ack: () => Promise<void>): Promise<void> {
  try {
    await deps.inbox.append(userKey(user), eventId, payload);
  } catch (err) {
    deps.log.error({ kind: payload.kind }, `event not acknowledged, the inbox could not keep it: ${describe(err)}`);
    throw new NotKept(describe(err));
  }
  await ack();
  deps.inbox.acked();
}

function registerCommand(app: App, deps: TurnDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const user = slackUser(command.team_id, command.user_id);
    const q: SlackQueued = { kind: 'command', team: command.team_id, user: command.user_id, channel: command.channel_id, text: command.text ?? '', triggerId: command.trigger_id, ...(command.response_url ? { responseUrl: command.response_url } : {}) };
    await keepThenAck(deps, user, `slack:cmd:${command.trigger_id}`, q, () => ack());
  });
}

interface DirectMessage {
  channel: string;
  channel_type?: string;
  user?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  ts?: string;
  files?: unknown[];
}

function registerMessages(app: App, deps: TurnDeps): void {
  // Bolt acknowledges an event itself before its listener; in HTTP mode the answer is held
  // until the listener is done (processBeforeResponse), so it still follows the append, and a
  // throw (not kept) turns it into a 500, which Slack retries. (Socket Mode sends that ack at
  // once: a crash between it and the append, a millisecond, loses the message.)
  app.message(async ({ message, body, context }) => {
    const m = message as unknown as DirectMessage;
    // Only people writing to the bot in its Messages tab; edits, joins and bots are not answers.
    if (m.channel_type !== 'im' || m.bot_id || !m.user) return;
    if (m.subtype && m.subtype !== 'file_share') return;
    const team = context.teamId ?? (body as { team_id?: string }).team_id ?? '';
    const user = slackUser(team, m.user);
    deps.dms.remember(user, m.channel);
    const eventId = (body as { event_id?: string }).event_id;
    const q: SlackQueued = { kind: 'message', team, user: m.user, channel: m.channel, text: m.text ?? '' };
    await keepThenAck(deps, user, eventId ? `slack:event:${eventId}` : `slack:msg:${m.channel}:${m.ts ?? ''}`, q, async () => undefined);
  });
}

// Each click in a checklist reports its whole selection. Ticking two tasks quickly, before the
// message is redrawn, sends [a] then [a, b]: the second click's change is b, found by comparing
// with the first click's selection, not with what the message showed (where a was still open).
const SELECTIONS_MAX = 10_000;

function checkboxesKey(body: BlockAction, payload: ActionPayload): string | null {
  if (!payload.action_id.startsWith('ob.check.')) return null;
  const where = body.container as { message_ts?: string; view_id?: string };
  const shownIn = where.message_ts ?? where.view_id ?? body.message?.ts;
  if (!shownIn) return null;
  return [body.user.id, body.channel?.id ?? '', shownIn, payload.block_id ?? '', payload.action_id].join('|');
}

function registerActions(app: App, deps: TurnDeps): void {
  const lastSelection = new Map<string, string[]>();
  const rememberSelection = (key: string, values: string[]): void => {
    if (lastSelection.size >= SELECTIONS_MAX) lastSelection.clear();
    lastSelection.set(key, values);
  };
  app.action<BlockAction>(/^ob\./, async ({ ack, body, action, client }) => {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const user = slackUser(team, body.user.id);
    const payload = action as unknown as ActionPayload;
    const state = body.state?.values as ActionState | undefined;
    const shown = (body.message?.blocks ?? body.view?.blocks) as unknown[] | undefined;
    const boxes = checkboxesKey(body, payload);
    const outcome = readAction(payload, state, body.user.id, shown, boxes ? lastSelection.get(boxes) : undefined);
    if (boxes) rememberSelection(boxes, (payload.selected_options ?? []).map((o) => o.value));
    if (outcome.kind === 'unknown' || outcome.kind === 'ignore') return ack();
    if (outcome.kind === 'openForm') {
      // Inline, not through the inbox: the click's trigger to open a modal expires after 3 s,
      // and opening a form changes nothing, so a crash loses no state (the user clicks again).
      await ack();
      // Not awaited: the HTTP answer (held until the listener returns) must not wait for Slack.
      void openForm(deps, client, user, outcome.key, body.trigger_id).catch((err: unknown) => deps.log.warn({}, `form not opened: ${describe(err)}`));
      return;
    }
    await keepThenAck(deps, user, `slack:action:${body.trigger_id}`, { kind: 'action', team, user: body.user.id, body, payload, outcome }, () => ack());
  });
}

async function openForm(deps: TurnDeps, client: webApi.WebClient, user: UserRef, key: string, triggerId: string): Promise<void> {
  const locale = localeOf(deps, user);
  const form = await deps.forms.load(user, key);
  if (form) {
    await client.views.open({ trigger_id: triggerId, view: formModal(form, { owner: user.id, ref: form.ref }, (k, p) => t(locale, k, p)) });
    return;
  }
  // Expired: say so, and show where the case stands (a turn; the click is acknowledged already).
  await keepThenAck(deps, user, `slack:stale:${triggerId}`, { kind: 'staleForm', team: user.tenant, user: user.id }, async () => undefined).catch(() => undefined);
}

function registerViews(app: App, deps: TurnDeps): void {
  app.view(FORM_CALLBACK, async ({ ack, body, view }) => {
    // The ack closes the modal; a refused form comes back as a new modal (the trigger allows it
    // when the turn runs at once).
    const team = body.team?.id ?? body.user.team_id ?? '';
    const user = slackUser(team, body.user.id);
    const triggerId = (body as { trigger_id?: string }).trigger_id;
    const q: SlackQueued = { kind: 'view', team, user: body.user.id, viewId: view.id, meta: readFormMetadata(view.private_metadata), fields: readFormValues(view.state.values as StateValues), ...(triggerId ? { triggerId } : {}) };
    await keepThenAck(deps, user, `slack:view:${view.id}`, q, () => ack());
  });
}

function registerHome(app: App, deps: TurnDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const user = slackUser((body as { team_id?: string }).team_id ?? '', event.user);
    // Not awaited: in HTTP mode Slack's answer waits for the listener (see registerMessages).
    void deps.home.publish(client, user).catch((err: unknown) => deps.log.warn({}, `App Home not published: ${describe(err)}`));
  });
}

/** Every listener of the app: the slash command, DMs, clicks, form submissions, App Home. */
export function registerHandlers(app: App, deps: TurnDeps): void {
  registerCommand(app, deps);
  registerMessages(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerHome(app, deps);
}
