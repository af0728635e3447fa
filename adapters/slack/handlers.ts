import type { App, BlockAction, RespondFn, types, webApi } from '@slack/bolt';
import { parseSlashText, parseTyped } from '../../src/engine/parse-command.js';
import { t } from '../../src/i18n/translate.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Locale } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import { answeredBlocks, answeredNote } from './answered.js';
import { describe } from './log.js';
import type { Where } from './post.js';
import { readAction, type ActionOutcome, type ActionPayload, type ActionState } from './read-action.js';
import { FORM_CALLBACK } from './refs.js';
import { formModal, readFormMetadata, readFormValues, type StateValues } from './render-view.js';
import { typedText } from './text.js';
import { localeOf, runTurn, tell, type TurnDeps } from './turn.js';

export const SLASH_COMMAND = '/offboard';

const slackUser = (team: string, id: string): UserRef => ({ platform: 'slack', tenant: team, id });
const note = (text: string, tone: 'info' | 'error' = 'info') => ({ kind: 'text' as const, text, tone });

/** Queues the work after an ack: in order per user, bounded overall (see work-queue.ts). */
function later(deps: TurnDeps, user: UserRef, job: () => Promise<void>): void {
  deps.work.acked();
  deps.work.push(`${user.tenant}.${user.id}`, job);
}

/** Commands typed in a channel are answered there, ephemerally; in the bot's DM, as messages. */
async function whereForCommand(deps: TurnDeps, client: webApi.WebClient, user: UserRef, channelId: string, respond: Where & { kind: 'ephemeral' }): Promise<Where> {
  const dm = await deps.dms.of(client, user);
  return channelId === dm ? { kind: 'dm', channel: dm } : respond;
}

function registerCommand(app: App, deps: TurnDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    // Acknowledge first: whatever Redis or Slack do next, Slack never shows "operation_timeout".
    await ack();
    const user = slackUser(command.team_id, command.user_id);
    later(deps, user, async () => {
      const where = await whereForCommand(deps, client, user, command.channel_id, { kind: 'ephemeral', channel: command.channel_id, respond });
      await runTurn(deps, { client, user, inbound: parseSlashText(typedText(command.text ?? '')), where, eventId: `slack:cmd:${command.trigger_id}`, triggerId: command.trigger_id });
    });
  });
}

interface DirectMessage {
  channel: string;
  channel_type?: string;
  user?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  files?: unknown[];
}

function registerMessages(app: App, deps: TurnDeps): void {
  app.message(async ({ message, body, client, context }) => {
    const m = message as unknown as DirectMessage;
    // Only people writing to the bot in its Messages tab; edits, joins and bots are not answers.
    if (m.channel_type !== 'im' || m.bot_id || !m.user) return;
    if (m.subtype && m.subtype !== 'file_share') return;
    const team = context.teamId ?? (body as { team_id?: string }).team_id ?? '';
    const user = slackUser(team, m.user);
    deps.dms.remember(user, m.channel);
    const where: Where = { kind: 'dm', channel: m.channel };
    const eventId = (body as { event_id?: string }).event_id;
    const text = typedText(m.text ?? '').trim();
    later(deps, user, async () => {
      if (!text) return tell(deps, { client, user, where }, [note(t(localeOf(deps, user), 'slack.textOnly'))]);
      const inbound: Inbound = parseTyped(text);
      return runTurn(deps, { client, user, inbound, where, ...(eventId ? { eventId: `slack:event:${eventId}` } : {}) });
    });
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
  app.action<BlockAction>(/^ob\./, async ({ ack, body, action, client, respond }) => {
    await ack();
    const team = body.team?.id ?? body.user.team_id ?? '';
    const user = slackUser(team, body.user.id);
    const payload = action as unknown as ActionPayload;
    const state = body.state?.values as ActionState | undefined;
    const shown = (body.message?.blocks ?? body.view?.blocks) as unknown[] | undefined;
    const boxes = checkboxesKey(body, payload);
    const outcome = readAction(payload, state, body.user.id, shown, boxes ? lastSelection.get(boxes) : undefined);
    if (boxes) rememberSelection(boxes, (payload.selected_options ?? []).map((o) => o.value));
    if (outcome.kind === 'unknown' || outcome.kind === 'ignore') return;
    if (outcome.kind === 'openForm') {
      // Not queued: the click's trigger to open a modal expires after 3 s.
      await openForm(deps, client, user, outcome.key, body.trigger_id);
      return;
    }
    later(deps, user, () => afterClick(deps, { client, user, body, payload, outcome, respond }));
  });
}

interface Click {
  client: webApi.WebClient;
  user: UserRef;
  body: BlockAction;
  payload: ActionPayload;
  outcome: Exclude<ActionOutcome, { kind: 'unknown' | 'ignore' | 'openForm' }>;
  respond: RespondFn;
}

async function openForm(deps: TurnDeps, client: webApi.WebClient, user: UserRef, key: string, triggerId: string): Promise<void> {
  const locale = localeOf(deps, user);
  const form = await deps.forms.load(user, key);
  if (form) {
    await client.views.open({ trigger_id: triggerId, view: formModal(form, { owner: user.id, ref: form.ref }, (k, p) => t(locale, k, p)) });
    return;
  }
  // Expired: say so, and show where the case stands.
  later(deps, user, async () => {
    const dm = await deps.dms.of(client, user);
    await tell(deps, { client, user, where: { kind: 'dm', channel: dm } }, [note(t(locale, 'common.stale'))]);
    await runTurn(deps, { client, user, inbound: { kind: 'command', command: 'status', arg: '' }, where: { kind: 'dm', channel: dm } });
  });
}

async function afterClick(deps: TurnDeps, { client, user, body, payload, outcome, respond }: Click): Promise<void> {
  const container = body.container as { type?: string; is_ephemeral?: boolean };
  const inMessage = container.type === 'message' && body.channel?.id;
  const ephemeral = Boolean(inMessage && container.is_ephemeral);
  // Bolt's types promise respond() always; it exists only when Slack sent a response_url.
  const canRespond = Boolean((body as { response_url?: string }).response_url);
  // Refusals and hints stay where the click was, for the clicker's eyes only.
  const here: Where = inMessage && canRespond ? { kind: 'ephemeral', channel: body.channel?.id ?? '', respond } : { kind: 'dm', channel: await deps.dms.of(client, user) };
  const locale = localeOf(deps, user);
  switch (outcome.kind) {
    case 'notYours':
      await tell(deps, { client, user, where: here }, [note(t(locale, 'case.notYours'), 'error')]);
      return;
    case 'incomplete':
      await tell(deps, { client, user, where: here }, [note(t(locale, 'slack.dateTimeMissing'), 'error')]);
      return;
    case 'inbound':
      break;
  }
  const dm = await deps.dms.of(client, user);
  // The question answered loses its buttons; the flow goes on in the DM.
  const markAnswered = async ({ locale: turnLocale, stale }: { locale: Locale; stale: boolean }): Promise<void> => {
    // A click that came too late (the question had moved on, or a double click) is not shown
    // as picked; its message is left as it is, which may already show the click that counted.
    if (stale) return;
    try {
      if (ephemeral && canRespond) {
        await respond({ replace_original: true, text: outcome.answered, blocks: answeredNote(outcome.answered, t(turnLocale, 'slack.continued')) });
      } else if (inMessage && body.message?.ts && Array.isArray(body.message.blocks)) {
        const blocks = answeredBlocks(body.message.blocks as types.KnownBlock[], payload.block_id ?? '', outcome.answered);
        await client.chat.update({ channel: body.channel?.id ?? dm, ts: body.message.ts, text: (body.message.text as string | undefined) ?? outcome.answered, blocks });
      }
    } catch (err) {
      deps.log.warn({}, `could not mark the question answered: ${describe(err)}`);
    }
  };
  await runTurn(deps, {
    beforeShow: markAnswered,
    client,
    user,
    inbound: outcome.inbound,
    where: { kind: 'dm', channel: dm },
    eventId: `slack:action:${body.trigger_id}`,
    triggerId: body.trigger_id,
  });
}

function registerViews(app: App, deps: TurnDeps): void {
  app.view(FORM_CALLBACK, async ({ ack, body, view, client }) => {
    // Closing the modal at once; a refused form comes back as a new modal (the trigger allows it).
    await ack();
    const team = body.team?.id ?? body.user.team_id ?? '';
    const user = slackUser(team, body.user.id);
    const meta = readFormMetadata(view.private_metadata);
    const fields = readFormValues(view.state.values as StateValues);
    const triggerId = (body as { trigger_id?: string }).trigger_id;
    later(deps, user, async () => {
      const dm = await deps.dms.of(client, user);
      if (!meta || meta.owner !== body.user.id) {
        await tell(deps, { client, user, where: { kind: 'dm', channel: dm } }, [note(t(localeOf(deps, user), 'case.notYours'), 'error')]);
        return;
      }
      const inbound: Inbound = meta.ref.caseId
        ? { kind: 'submit', caseId: meta.ref.caseId, form: meta.ref.question, fields }
        : { kind: 'submit', form: meta.ref.question, fields };
      await runTurn(deps, {
        client,
        user,
        inbound,
        where: { kind: 'dm', channel: dm },
        eventId: `slack:view:${view.id}`,
        ...(triggerId ? { triggerId } : {}),
        submitted: { question: meta.ref.question, values: fields },
      });
    });
  });
}

function registerHome(app: App, deps: TurnDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const user = slackUser((body as { team_id?: string }).team_id ?? '', event.user);
    try {
      await deps.home.publish(client, user);
    } catch (err) {
      deps.log.warn({}, `App Home not published: ${describe(err)}`);
    }
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
