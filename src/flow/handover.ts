import type { Case } from '../model/case.js';
import { choices, input, isSkip, text, reject } from '../engine/replies.js';
import { cleanLine, cleanList, LIMITS } from '../engine/sanitize.js';
import type { Ctx, Rejection, StepDef } from '../engine/types.js';
import { acceptsDates } from './dates.js';
import { goto } from './nav.js';
import { checklist, editTasks, ensureReferTask, nameReferral, parseTaskCommand, removeTask, saveTask, seedTasks, setDone } from './tasks.js';

/**
 * The task list can be edited by buttons, a form or typed words at any stage after it
 * exists, so the same handler serves the `tasks` step and later stages.
 */
export function answerTasks(c: Case, value: string, x: Ctx): Rejection | void {
  const [verb = '', ref = ''] = value.split(':');
  switch (verb) {
    case 'toggle': {
      const task = c.tasks.find((t) => t.id === ref);
      return setDone(c, ref, !(task?.done ?? false), x);
    }
    case 'done':
      return setDone(c, ref, true, x);
    case 'undo':
      return setDone(c, ref, false, x);
    case 'remove':
      return removeTask(c, ref, x);
    case 'add':
      c.step = c.stage === 'handover' ? 'taskForm' : c.step;
      if (c.stage !== 'handover') x.out.push(taskForm(c, x));
      return;
    case 'next':
      if (c.stage === 'handover') goto(c, 'letterLang');
      return;
    default:
      return reject(x.say('tasks.help'));
  }
}

/** Typed edits: "done 2", "add …", "rename 2 …", "date 2 …", "remove 2", "next". */
export function answerTaskText(c: Case, raw: string, x: Ctx): Rejection | void {
  const cmd = parseTaskCommand(raw, x);
  if (!cmd) return reject(x.say('tasks.help'));
  switch (cmd.verb) {
    case 'next':
      return answerTasks(c, 'next', x);
    case 'done':
    case 'undo':
    case 'remove':
    case 'toggle':
      return editTasks(c, cmd.verb, cmd.refs, x);
    case 'add':
      return saveTask(c, cmd.due ? { title: cmd.title, due: cmd.due } : { title: cmd.title }, x);
    case 'rename':
      return saveTask(c, { id: cmd.ref, title: cmd.title }, x);
    case 'date':
      return saveTask(c, { id: cmd.ref, due: cmd.due }, x);
  }
}

export function taskForm(c: Case, x: Ctx) {
  return {
    kind: 'form' as const,
    ref: { caseId: c.id, question: 'taskForm' },
    title: x.say('tasks.form.title'),
    fields: [
      { id: 'title', label: x.say('tasks.form.name'), input: 'text' as const },
      { id: 'due', label: x.say('tasks.form.due'), input: 'date' as const, optional: true, placeholder: acceptsDates(x) },
    ],
    submitLabel: x.say('common.save'),
  };
}

export const handoverSteps: Record<'projects' | 'referral' | 'referralDetail' | 'tasks' | 'taskForm', StepDef> = {
  projects: {
    ask: (c, x) => [input(c, 'projects', x.say('handover.projects', { client: c.client }), 'text', x.say('accepts.lines'), true)],
    answer(c, a, x) {
      const list = a.kind === 'text' && !isSkip(x, a.text) ? cleanList(a.text, LIMITS.lines, LIMITS.line, x.locale) : { items: [], total: 0 };
      if (list.total > list.items.length) x.out.push(text(x.say('common.listCut', { kept: list.items.length, total: list.total }), 'warning'));
      seedTasks(c, list.items);
      goto(c, 'referral');
    },
  },
  referral: {
    ask(c, x) {
      const kinds = [
        { value: 'colleague', label: x.say('referral.colleague') },
        { value: 'agency', label: x.say('referral.agency') },
        { value: 'specialist', label: x.say('referral.specialist') },
      ];
      // Alternatives are a courtesy: to a disrespectful client, "no referral" comes first.
      if (c.reasons.includes('disrespectful')) {
        return [
          choices(c, 'referral', x.say('handover.referralOptional', { client: c.client }), [
            { value: 'none', label: x.say('referral.noneSuggested'), style: 'primary' },
            ...kinds,
          ]),
        ];
      }
      return [choices(c, 'referral', x.say('handover.referral', { client: c.client }), [...kinds, { value: 'none', label: x.say('referral.none') }])];
    },
    answer(c, a, x) {
      if (a.kind !== 'choice') return reject(x.say('common.pickOne'));
      if (a.value !== 'none') ensureReferTask(c);
      if (a.value === 'colleague' || a.value === 'specialist') {
        c.referrals.push({ kind: a.value });
        return goto(c, 'referralDetail');
      }
      if (a.value === 'agency') c.referrals.push({ kind: 'agency' });
      if (a.value === 'none') c.tasks = c.tasks.filter((t) => t.kind !== 'refer' || t.done);
      x.out.push(text(x.say('handover.planReady')));
      goto(c, 'tasks');
    },
  },
  referralDetail: {
    ask(c, x) {
      const last = c.referrals.at(-1);
      const key = last?.kind === 'specialist' ? 'referral.specialist.ask' : 'referral.colleague.ask';
      return [input(c, 'referralDetail', x.say(key), 'text', x.say('accepts.shortText', { max: LIMITS.line }), true)];
    },
    answer(c, a, x) {
      const last = c.referrals.at(-1);
      if (last && a.kind === 'text' && !isSkip(x, a.text)) {
        const detail = cleanLine(a.text, LIMITS.line).value;
        if (detail) {
          last.detail = detail;
          nameReferral(c, detail);
        }
      }
      x.out.push(text(x.say('handover.planReady')));
      goto(c, 'tasks');
    },
  },
  tasks: {
    ask: (c, x) => [checklist(c, x, true), text(x.say('tasks.help'))],
    answer(c, a, x) {
      if (a.kind === 'choice') return answerTasks(c, a.value, x);
      if (a.kind === 'submit') return saveTask(c, a.fields, x);
      if (a.kind === 'text') return answerTaskText(c, a.text, x);
      return reject(x.say('tasks.help'));
    },
  },
  taskForm: {
    ask: (c, x) => [taskForm(c, x)],
    answer(c, a, x) {
      const fields = a.kind === 'submit' ? a.fields : a.kind === 'text' ? { title: a.text.split('|')[0] ?? '', due: a.text.split('|')[1] ?? '' } : null;
      if (!fields) return reject(x.say('tasks.noTitle'));
      const result = saveTask(c, fields, x);
      if (result) return result;
      goto(c, 'tasks');
    },
  },
};
