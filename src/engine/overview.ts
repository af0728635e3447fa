import type { Case } from '../model/case.js';
import type { Inbound } from '../model/inbound.js';
import type { Option, Reply } from '../model/reply.js';
import type { UserState } from '../model/user.js';
import { momentOf } from '../flow/dates.js';
import { taskTitle } from '../flow/tasks.js';
import { markPaidOptions } from '../flow/invoices.js';
import { stageName } from '../flow/stage-name.js';
import { makeCtx } from './context.js';
import { parseSlashText } from './parse-command.js';
import { choices, text } from './replies.js';
import type { Ctx } from './types.js';

/**
 * The question id of every dashboard button. Its option values are command lines
 * ("status Acme"), so a click is an ordinary command: nothing new for the engine to learn.
 */
export const HOME_QUESTION = 'home';

const NEXT_REMINDERS = 2;
const CLOSED_SHOWN = 5;

/** A dashboard button's value as the command it stands for. */
export function homeInbound(value: string): Inbound {
  return parseSlashText(value);
}

function nextLines(c: Case, x: Ctx): string[] {
  if (c.reminders.length === 0) return [x.say('home.nothingPlanned')];
  return c.reminders.slice(0, NEXT_REMINDERS).map((r) => {
    const task = r.kind === 'taskDue' ? c.tasks.find((t) => t.id === r.subject) : undefined;
    const what = task ? `${x.say('reminder.taskDue')}: ${taskTitle(task, x.locale)}` : x.say(`reminder.${r.kind}`);
    return x.say('home.next', { when: momentOf(x, r.at), what });
  });
}

function caseActions(c: Case, x: Ctx): Option[] {
  const options: Option[] = [{ value: `status ${c.client}`, label: x.say('home.status'), style: 'primary' }];
  // The letter needs a last day; pushback only makes sense once the talk has happened.
  if (c.notice.lastDay) options.push({ value: `letter ${c.client}`, label: x.say('home.letter') });
  const talked = c.conversation.at !== undefined && Date.parse(c.conversation.at) <= x.now.getTime();
  if (talked && c.notice.lastDay) options.push({ value: `pushback ${c.client}`, label: x.say('home.pushback') });
  // Each unpaid invoice gets its button: a command line naming the invoice, like every button here.
  options.push({ value: `export ${c.client}`, label: x.say('export.button') });
  for (const o of markPaidOptions(c, x)) options.push({ value: `paid ${c.client} ${o.value.slice('paid:'.length)}`, label: o.label });
  return options;
}

/**
 * The user's dashboard (Slack's App Home, or any platform's overview): each open case with
 * its stage, its next reminders and buttons; then general actions and recently closed cases.
 * Pure: `now` comes in.
 */
export function overviewReplies(user: UserState, cases: readonly Case[], now: Date): Reply[] {
  const x = makeCtx(now, { settings: user.settings, history: user.history });
  const open = cases.filter((c) => c.stage !== 'closed');
  const replies: Reply[] = [text(open.length ? x.say('list.open', { count: open.length }) : x.say('home.empty'))];
  for (const c of open) {
    const lines = [x.say('list.line', { client: c.client, stage: stageName(c, x) }), ...nextLines(c, x)];
    if (c.problems.length) lines.push(x.say('home.problems'));
    replies.push(choices(null, HOME_QUESTION, lines.join('\n'), caseActions(c, x)));
  }
  replies.push(
    choices(null, HOME_QUESTION, x.say('home.actions'), [
      { value: 'start', label: x.say('home.start'), style: 'primary' },
      { value: 'list', label: x.say('home.list') },
      { value: 'settings', label: x.say('home.settings') },
      { value: 'help', label: x.say('home.help') },
    ]),
  );
  const closed = user.history.slice(-CLOSED_SHOWN).reverse();
  if (closed.length) {
    const lines = closed.map((h) => `• ${x.say('list.closedLine', { client: h.client, outcome: x.say(`outcomeName.${h.outcome}`) })}`);
    replies.push(text([x.say('list.closed'), ...lines].join('\n')));
  }
  return replies;
}
