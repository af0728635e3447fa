import { decideUser, casesNeeded } from '../../src/engine/user-turn.js';
import { newUserState, type ProfileHints } from '../../src/engine/new-records.js';
import { parseTyped } from '../../src/engine/parse-command.js';
import type { Case, PlannedReminder } from '../../src/model/case.js';
import type { Effect } from '../../src/model/effect.js';
import type { Inbound } from '../../src/model/inbound.js';
import type { Reply } from '../../src/model/reply.js';
import type { UserRef, UserState } from '../../src/model/user.js';
import '../../ops/packet-fonts.js';

/** Frozen all the way down: the core must never change what it was given. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Drives the pure core the way the shell does, with state kept in memory: for fast,
 * exhaustive flow tests. Effects are mirrored into `jobs` as the scheduler would.
 */
export class Driver {
  user: UserState;
  cases = new Map<string, Case>();
  jobs = new Map<string, PlannedReminder & { caseId: string }>();
  effects: Effect[] = [];
  replies: Reply[] = [];
  now: Date;
  private seq = 0;

  constructor(now: string, hints: ProfileHints = { locale: 'en', timeZone: 'Europe/Berlin' }, ref: UserRef = { platform: 'console', tenant: '', id: 'ana' }) {
    this.now = new Date(now);
    this.user = newUserState(ref, hints, this.now);
  }

  at(iso: string): this {
    this.now = new Date(iso);
    return this;
  }

  send(inbound: Inbound): Reply[] {
    const loaded = casesNeeded(this.user, inbound)
      .map((id) => this.cases.get(id))
      .filter((c): c is Case => c !== undefined);
    const d = decideUser({ user: this.user, cases: loaded, inbound, now: this.now, newCaseId: `case${++this.seq}` });
    if (d.forget) {
      this.cases.clear();
      this.jobs.clear();
      this.user = newUserState(this.user.user, {}, this.now);
    } else {
      this.user = deepFreeze(d.user);
      for (const c of d.cases) this.cases.set(c.id, deepFreeze(c));
    }
    for (const e of d.effects) {
      this.effects.push(e);
      if (e.kind === 'schedule') this.jobs.set(`${e.caseId}/${e.reminder.id}`, { ...e.reminder, caseId: e.caseId });
      if (e.kind === 'cancel') this.jobs.delete(`${e.caseId}/${e.reminderId}`);
    }
    this.replies = d.replies;
    return d.replies;
  }

  /** Types a line as a user would in a DM or the console. */
  type(line: string): Reply[] {
    return this.send(parseTyped(line));
  }

  /** Delivers a planned reminder as the worker would, at its time. */
  fire(kind: PlannedReminder['kind'], caseId = this.onlyCase().id, late = false): Reply[] {
    const job = [...this.jobs.values()].find((j) => j.kind === kind && j.caseId === caseId);
    if (!job) throw new Error(`no ${kind} job planned; jobs: ${[...this.jobs.keys()].join(', ')}`);
    this.jobs.delete(`${caseId}/${job.id}`);
    if (!late) this.now = new Date(job.at);
    return this.send({ kind: 'reminder', caseId, reminderId: job.id, reminderKind: job.kind, subject: job.subject, at: job.at, late });
  }

  onlyCase(): Case {
    const all = [...this.cases.values()];
    if (all.length !== 1) throw new Error(`expected one case, have ${all.length}`);
    return all[0] as Case;
  }

  text(): string {
    return this.replies.map(replyText).join('\n');
  }
}

export function replyText(r: Reply): string {
  switch (r.kind) {
    case 'text':
      return r.text;
    case 'choices':
    case 'multi':
      return [r.text, ...r.options.map((o) => o.label)].join('\n');
    case 'checklist':
      return [r.title, ...r.items.map((i) => i.label)].join('\n');
    case 'input':
      return r.text;
    case 'form':
      return r.title;
    case 'file':
      return r.content;
  }
}
