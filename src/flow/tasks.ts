import { TASK_KINDS, type Case, type Task, type TaskKind } from '../model/case.js';
import type { ChecklistItem, Reply } from '../model/reply.js';
import type { Locale } from '../model/settings.js';
import { t } from '../i18n/translate.js';
import { formatList, formatShortDate } from '../i18n/format.js';
import { text, reject } from '../engine/replies.js';
import { cleanLine, foldWord, isOneOf, LIMITS } from '../engine/sanitize.js';
import type { Ctx, Rejection } from '../engine/types.js';
import { compareDates } from '../time/calendar.js';
import { readDate } from './dates.js';
import { nextSeq } from './nav.js';

/** The handover plan every case starts with, after the user's own projects. */
const NOT_DEFAULT: readonly TaskKind[] = ['deliverPaid', 'finishProject', 'looseEnd', 'custom'];
const DEFAULT_KINDS: readonly TaskKind[] = TASK_KINDS.filter((k) => !NOT_DEFAULT.includes(k));

export function taskTitle(task: Task, locale: Locale): string {
  if (task.title) return task.title;
  return task.who ? t(locale, 'task.referNamed', { who: task.who }) : t(locale, `task.${task.kind}`);
}

export function seedTasks(c: Case, projects: string[]): void {
  const due = c.notice.lastDay ?? '';
  const add = (kind: TaskKind, title?: string) => {
    const id = nextSeq(c, 't');
    c.tasks.push(title ? { id, kind, title, due, done: false } : { id, kind, due, done: false });
  };
  if (c.contract.paidWorkDelivered === false) add('deliverPaid');
  for (const p of projects) add('finishProject', p);
  // Loose ends named in the contract check are promises too: each one is a task to close.
  for (const l of c.contract.looseEnds) add('looseEnd', l);
  // A disrespectful client is owed no referral: it is not on the list unless the user adds one.
  const skipRefer = c.reasons.includes('disrespectful');
  for (const kind of DEFAULT_KINDS) if (!(skipRefer && kind === 'refer')) add(kind);
}

/** The "refer someone" task, added when the user offers a referral that was not on the list. */
export function ensureReferTask(c: Case): void {
  if (c.tasks.some((t) => t.kind === 'refer')) return;
  c.tasks.push({ id: nextSeq(c, 't'), kind: 'refer', due: c.notice.lastDay ?? '', done: false });
}

/** The person the user named for the referral: the open "refer" task then says whom. */
export function nameReferral(c: Case, who: string): void {
  const task = c.tasks.find((t) => t.kind === 'refer' && !t.done);
  if (task) task.who = who;
}

export function openTasks(c: Case): Task[] {
  return c.tasks.filter((t) => !t.done);
}

export function checklistItems(c: Case, x: Ctx): ChecklistItem[] {
  return c.tasks.map((task) => ({
    id: task.id,
    label: taskTitle(task, x.locale),
    done: task.done,
    due: task.done && task.doneOn ? x.say('tasks.doneOn', { date: formatShortDate(x.locale, task.doneOn) }) : formatShortDate(x.locale, task.due),
  }));
}

export function checklist(c: Case, x: Ctx, withNext: boolean): Reply {
  return {
    kind: 'checklist',
    ref: { caseId: c.id, question: 'tasks' },
    title: x.say('tasks.title', { client: c.client, open: openTasks(c).length, total: c.tasks.length }),
    items: checklistItems(c, x),
    actions: [
      { value: 'add', label: x.say('tasks.add') },
      ...(withNext ? [{ value: 'next', label: x.say('tasks.next'), style: 'primary' as const }] : []),
    ],
  };
}

function findTask(c: Case, ref: string): Task | undefined {
  const byId = c.tasks.find((task) => task.id === ref);
  if (byId) return byId;
  const n = Number(ref);
  return Number.isInteger(n) && n >= 1 ? c.tasks[n - 1] : undefined;
}

/** Adds or updates a task from a form: { id?, title, due }. */
export function saveTask(c: Case, fields: Record<string, string>, x: Ctx): Rejection | void {
  const existing = fields['id'] ? findTask(c, fields['id']) : undefined;
  if (fields['id'] && !existing) return reject(x.say('tasks.unknown', { ref: fields['id'].slice(0, 10) }));
  const title = cleanLine(fields['title'] ?? '', LIMITS.line).value;
  if (!existing && !title) return reject(x.say('tasks.noTitle'));
  let due = existing?.due ?? c.notice.lastDay ?? x.today;
  if (fields['due']?.trim()) {
    const when = readDate(fields['due'], x, { allowToday: true });
    if (!when.ok) return reject(when.message);
    due = when.date;
  }
  if (existing) {
    if (title) existing.title = title;
    if (existing.due !== due) {
      existing.due = due;
      delete existing.snoozedTo;
    }
    x.out.push(text(x.say('tasks.updated', { task: taskTitle(existing, x.locale) }), 'success'));
  } else {
    if (c.tasks.length >= LIMITS.tasks) return reject(x.say('common.tooMany', { max: LIMITS.tasks }));
    c.tasks.push({ id: nextSeq(c, 't'), kind: 'custom', title, due, done: false });
    x.out.push(text(x.say('tasks.added', { task: title }), 'success'));
  }
  if (c.notice.lastDay && compareDates(due, c.notice.lastDay) > 0) {
    x.out.push(text(x.say('tasks.afterLastDay'), 'warning'));
  }
}

export function setDone(c: Case, ref: string, done: boolean, x: Ctx): Rejection | void {
  const task = findTask(c, ref);
  if (!task) return reject(x.say('tasks.unknown', { ref: ref.slice(0, 10) }));
  markDone(task, done, x.today);
  x.out.push(text(x.say(done ? 'tasks.ticked' : 'tasks.unticked', { task: taskTitle(task, x.locale) }), 'success'));
}

/** Ticks or unticks a task, remembering the day it was done. */
export function markDone(task: Task, done: boolean, today: string): void {
  if (task.done === done) return;
  task.done = done;
  if (done) task.doneOn = today;
  else delete task.doneOn;
}

export function removeTask(c: Case, ref: string, x: Ctx): Rejection | void {
  const task = findTask(c, ref);
  if (!task) return reject(x.say('tasks.unknown', { ref: ref.slice(0, 10) }));
  c.tasks = c.tasks.filter((other) => other !== task);
  x.out.push(text(x.say('tasks.removed', { task: taskTitle(task, x.locale) }), 'success'));
}

export function snoozeTask(c: Case, ref: string, until: string, x: Ctx): Rejection | void {
  const task = findTask(c, ref);
  if (!task) return reject(x.say('tasks.unknown', { ref: ref.slice(0, 10) }));
  task.snoozedTo = until;
}

export type TaskCommand =
  /** Several refs ("remove 2,4") are read against the list as shown, before any change. */
  | { verb: 'done' | 'undo' | 'remove'; ref: string; refs: string[] }
  /** A bare number (or several) typed at the checklist: tick, or untick when done. */
  | { verb: 'toggle'; ref: string; refs: string[] }
  | { verb: 'add'; title: string; due?: string }
  | { verb: 'rename'; ref: string; title: string }
  | { verb: 'date'; ref: string; due: string }
  | { verb: 'next' };

function verbMatches(x: Ctx, word: string, key: 'verb.done' | 'verb.undo' | 'verb.add' | 'verb.rename' | 'verb.date' | 'verb.remove' | 'verb.next', english: string): boolean {
  return word === english || isOneOf(word, x.say(key), x.locale);
}

/** "2", "2,4", "2 4", "2; 4", "1-10": task numbers as shown. */
const REFS = /^\d+(?:\s*[-–]\s*\d+)?(?:(?:\s*[,;]\s*|\s+)\d+(?:\s*[-–]\s*\d+)?)*$/;
// A plan holds a few dozen tasks: a longer range is a typo, and is answered as an unknown task.
const MAX_RANGE = 100;
const refsOf = (raw: string) => {
  const refs = raw
    .trim()
    .replace(/\s*[-–]\s*/g, '-')
    .split(/[\s,;]+/)
    .flatMap((part) => {
      const [from, to] = part.split('-').map(Number);
      if (to === undefined || from === undefined || to < from || to - from >= MAX_RANGE) return [part];
      return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    });
  return { ref: refs[0] ?? '', refs };
};

/**
 * Applies one verb to several tasks named by the numbers shown: all are found first, so
 * "remove 2,4" removes the second and the fourth even though removing one renumbers the rest.
 */
export function editTasks(c: Case, verb: 'done' | 'undo' | 'remove' | 'toggle', refs: readonly string[], x: Ctx): Rejection | void {
  const found = refs.map((ref) => ({ ref, task: findTask(c, ref) }));
  const missing = found.find((f) => !f.task);
  if (missing) return reject(x.say('tasks.unknown', { ref: missing.ref.slice(0, 10) }));
  // One line per kind of change, the tasks listed in it: "done 1-5" is praised once, not five times.
  const ticked: string[] = [];
  const unticked: string[] = [];
  for (const { task } of found) {
    if (!task) continue;
    if (verb === 'remove') {
      if (!c.tasks.includes(task)) continue;
      c.tasks = c.tasks.filter((other) => other !== task);
      x.out.push(text(x.say('tasks.removed', { task: taskTitle(task, x.locale) }), 'success'));
      continue;
    }
    const done = verb === 'toggle' ? !task.done : verb === 'done';
    markDone(task, done, x.today);
    (done ? ticked : unticked).push(taskTitle(task, x.locale));
  }
  // The list shown next ticks them one by one; a long run of names would only repeat it.
  if (ticked.length > 3) x.out.push(text(x.say('tasks.tickedCount', { count: ticked.length }), 'success'));
  else if (ticked.length) x.out.push(text(x.say('tasks.ticked', { task: formatList(x.locale, ticked) }), 'success'));
  if (unticked.length) x.out.push(text(x.say('tasks.unticked', { task: formatList(x.locale, unticked) }), 'success'));
}

/** Reads "done 2", "add Call the bank | 2026-12-01", "rename 3 New title", "date 3 friday". */
export function parseTaskCommand(raw: string, x: Ctx): TaskCommand | null {
  const m = /^\s*(\S+)\s*(.*)$/su.exec(raw);
  if (!m) return null;
  const word = foldWord(m[1] ?? '', x.locale);
  const rest = (m[2] ?? '').trim();
  const [ref = '', ...tail] = rest.split(/\s+/);
  const after = tail.join(' ');
  if (REFS.test(raw.trim())) return { verb: 'toggle', ...refsOf(raw) };
  if (verbMatches(x, word, 'verb.next', 'next')) return { verb: 'next' };
  const many = REFS.test(rest) ? refsOf(rest) : null;
  if (verbMatches(x, word, 'verb.done', 'done') && ref) return { verb: 'done', ...(many ?? { ref, refs: [ref] }) };
  if (verbMatches(x, word, 'verb.undo', 'undo') && ref) return { verb: 'undo', ...(many ?? { ref, refs: [ref] }) };
  if (verbMatches(x, word, 'verb.remove', 'remove') && ref) return { verb: 'remove', ...(many ?? { ref, refs: [ref] }) };
  if (verbMatches(x, word, 'verb.rename', 'rename') && ref && after) return { verb: 'rename', ref, title: after };
  if (verbMatches(x, word, 'verb.date', 'date') && ref && after) return { verb: 'date', ref, due: after };
  if (verbMatches(x, word, 'verb.add', 'add') && rest) {
    const [title = '', due] = rest.split('|').map((s) => s.trim());
    return due ? { verb: 'add', title, due } : { verb: 'add', title };
  }
  return null;
}
