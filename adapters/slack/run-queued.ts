import type { types, webApi } from '@slack/bolt';
import { parseSlashText, parseTyped } from '../../src/engine/parse-command.js';
import { t } from '../../src/i18n/translate.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Locale } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import type { InboxEntry } from '../intake/index.js';
import { answeredBlocks, answeredNote } from './answered.js';
import { describe } from './log.js';
import type { Where } from './post.js';
import type { SlackQueued } from './queued.js';
import { respondVia } from './respond.js';
import { typedText } from './text.js';
import { localeOf, runTurn, tell, type TurnDeps } from './turn.js';

export const slackUser = (team: string, id: string): UserRef => ({ platform: 'slack', tenant: team, id });
const note = (text: string, tone: 'info' | 'error' = 'info') => ({ kind: 'text' as const, text, tone });

type Of<K extends SlackQueued['kind']> = Extract<SlackQueued, { kind: K }>;
interface Ctx {
  deps: TurnDeps;
  client: webApi.WebClient;
  user: UserRef;
  eventId: string;
}

/** Commands typed in a channel are answered there, ephemerally; in the bot's DM, as messages. */
async function command({ deps, client, user, eventId }: Ctx, q: Of<'command'>): Promise<void> {
  const dm = await deps.dms.of(client, user);
  const where: Where = q.channel === dm ? { kind: 'dm', channel: dm } : { kind: 'ephemeral', channel: q.channel, ...(q.responseUrl ? { respond: respondVia(q.responseUrl) } : {}) };
  await runTurn(deps, { client, user, inbound: parseSlashText(typedText(q.text)), where, eventId, triggerId: q.triggerId });
}

async function message({ deps, client, user, eventId }: Ctx, q: Of<'message'>): Promise<void> {
  deps.dms.remember(user, q.channel);
  const where: Where = { kind: 'dm', channel: q.channel };
  const text = typedText(q.text).trim();
  if (!text) return tell(deps, { client, user, where }, [note(t(localeOf(deps, user), 'slack.textOnly'))]);
  const inbound: Inbound = parseTyped(text);
  return runTurn(deps, { client, user, inbound, where, eventId });
}

async function click({ deps, client, user, eventId }: Ctx, { body, payload, outcome }: Of<'action'>): Promise<void> {
  const container = body.container as { type?: string; is_ephemeral?: boolean };
  const inMessage = container.type === 'message' && body.channel?.id;
  const ephemeral = Boolean(inMessage && container.is_ephemeral);
  // Slack sends a response_url only for clicks in messages (not in App Home or modals).
  const responseUrl = (body as { response_url?: string }).response_url;
  const respond = responseUrl ? respondVia(responseUrl) : undefined;
  // Refusals and hints stay where the click was, for the clicker's eyes only.
  const here: Where = inMessage && respond ? { kind: 'ephemeral', channel: body.channel?.id ?? '', respond } : { kind: 'dm', channel: await deps.dms.of(client, user) };
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
      if (ephemeral && respond) {
        await respond({ replace_original: true, text: outcome.answered, blocks: answeredNote(outcome.answered, t(turnLocale, 'slack.continued')) });
      } else if (inMessage && body.message?.ts && Array.isArray(body.message.blocks)) {
        const blocks = answeredBlocks(body.message.blocks as types.KnownBlock[], payload.block_id ?? '', outcome.answered);
        await client.chat.update({ channel: body.channel?.id ?? dm, ts: body.message.ts, text: (body.message.text as string | undefined) ?? outcome.answered, blocks });
      }
    } catch (err) {
      deps.log.warn({}, `could not mark the question answered: ${describe(err)}`);
    }
  };
  await runTurn(deps, { beforeShow: markAnswered, client, user, inbound: outcome.inbound, where: { kind: 'dm', channel: dm }, eventId, triggerId: body.trigger_id });
}

async function submit({ deps, client, user, eventId }: Ctx, q: Of<'view'>): Promise<void> {
  const dm = await deps.dms.of(client, user);
  const { meta, fields } = q;
  if (!meta || meta.owner !== user.id) {
    await tell(deps, { client, user, where: { kind: 'dm', channel: dm } }, [note(t(localeOf(deps, user), 'case.notYours'), 'error')]);
    return;
  }
  const inbound: Inbound = meta.ref.caseId ? { kind: 'submit', caseId: meta.ref.caseId, form: meta.ref.question, fields } : { kind: 'submit', form: meta.ref.question, fields };
  await runTurn(deps, { client, user, inbound, where: { kind: 'dm', channel: dm }, eventId, ...(q.triggerId ? { triggerId: q.triggerId } : {}), submitted: { question: meta.ref.question, values: fields } });
}

async function staleForm({ deps, client, user }: Ctx): Promise<void> {
  const dm = await deps.dms.of(client, user);
  await tell(deps, { client, user, where: { kind: 'dm', channel: dm } }, [note(t(localeOf(deps, user), 'common.stale'))]);
  await runTurn(deps, { client, user, inbound: { kind: 'command', command: 'status', arg: '' }, where: { kind: 'dm', channel: dm } });
}

/** One acknowledged event's turn, run from the inbox (in this process or, after a crash, another). */
export async function runQueued(deps: TurnDeps, entry: InboxEntry<SlackQueued>): Promise<void> {
  const q = entry.payload;
  const ctx: Ctx = { deps, client: await deps.clientFor(q.team), user: slackUser(q.team, q.user), eventId: entry.eventId };
  switch (q.kind) {
    case 'command':
      return command(ctx, q);
    case 'message':
      return message(ctx, q);
    case 'action':
      return click(ctx, q);
    case 'view':
      return submit(ctx, q);
    case 'staleForm':
      return staleForm(ctx);
  }
}
