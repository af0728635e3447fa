import type { Case } from '../model/case.js';
import type { Effect } from '../model/effect.js';
import { CASE_COMMANDS, type Inbound } from '../model/inbound.js';
import type { Reply } from '../model/reply.js';
import type { ClosedEntry, UserState } from '../model/user.js';
import { askCurrent, decide, FREE_TEXT_SIDE } from './decide.js';
import { close, isStepId } from '../flow/nav.js';
import { STEPS } from '../flow/steps.js';
import { makeCtx } from './context.js';
import { isOfferedLabel, textToAnswer, toAnswer } from './match-answer.js';
import { newCase } from './new-records.js';
import { reconcileReminders } from './plan-reminders.js';
import { choices, input, text } from './replies.js';
import { languageName } from '../i18n/grammar/language-name.js';
import { resolveCase } from './resolve-case.js';
import { cleanLine, foldClient, foldWord, isOneOf, LIMITS } from './sanitize.js';
import { answerSettings, askSettings, SETTINGS_QUESTIONS } from './settings-flow.js';
import { caseLine } from './status.js';
import { helpReplies } from './help.js';
import { isInvoiceSelector } from './paid.js';
import type { Ctx } from './types.js';
import { dayOf } from '../flow/dates.js';
import { localParts } from '../time/calendar.js';
import { exportAll } from '../export/export-all.js';
import { calendarFollowUp } from '../export/calendar-offer.js';

export interface UserTurn {
  user: UserState;
  /** The cases `casesNeeded` asked for, as stored. */
  cases: readonly Case[];
  inbound: Inbound;
  now: Date;
  /** An id for a case this turn may create. */
  newCaseId: string;
}

export interface UserDecision {
  user: UserState;
  /** False when the user record came out as it went in (then it is checked, not rewritten). */
  userChanged: boolean;
  /** Cases created or changed by this turn. */
  cases: Case[];
  replies: Reply[];
  effects: Effect[];
  /** The user asked to delete everything: the shell removes all their data and jobs. */
  forget?: true;
  /** A reminder that is no longer wanted: nothing to send. */
  moot?: string;
}

const USER_QUESTIONS = new Set(['forget', 'cancel', 'newCase', ...Object.keys(SETTINGS_QUESTIONS)]);
const HISTORY_IN_STATUS = 10;

/** Which stored cases a turn needs, decided before loading anything. */
export function casesNeeded(user: UserState, inbound: Inbound): string[] {
  const recent = user.history.slice(-HISTORY_IN_STATUS).map((h) => h.caseId);
  switch (inbound.kind) {
    case 'command':
      // `export` alone takes every case the user has, closed ones included.
      if (inbound.command === 'export' && !inbound.arg.trim()) return [...user.openCases, ...user.history.map((h) => h.caseId)];
      return CASE_COMMANDS.includes(inbound.command) ? [...user.openCases, ...recent] : [...user.openCases];
    case 'reminder':
      // The case in focus too: a reminder must not pull the user away from an open question.
      return [...new Set([inbound.caseId, ...(user.focus.kind === 'case' ? [user.focus.caseId] : [])])];
    case 'unknownCommand':
      return [];
    default: {
      const question = 'question' in inbound ? inbound.question : undefined;
      if (question && SETTINGS_QUESTIONS[question]) return [...user.openCases];
      const f = user.focus;
      // Forgetting must see every case, so the scheduler can remove every pending reminder.
      if (question === 'forget' || f.kind === 'forget') return [...user.openCases];
      const around = f.kind === 'case' ? [f.caseId, ...(f.returnTo ? [f.returnTo] : [])] : [];
      if (inbound.caseId) return [...new Set([inbound.caseId, ...around])];
      if (f.kind === 'case') return around;
      if (f.kind === 'cancel') return [f.caseId];
      if (f.kind === 'settings') return [...user.openCases];
      // Nothing in focus but only one case open: an answer can only be meant for it.
      return user.openCases.length === 1 ? [...user.openCases] : [];
    }
  }
}

/** A case whose current question waits for the user (not a waiting step, not closed). */
function waitsForAnswer(c: Case): boolean {
  return c.stage !== 'closed' && isStepId(c.step) && !STEPS[c.step].waiting;
}

/** The case to return to, as recorded before this turn (closing a case clears the focus). */
function prevReturn(before: UserState, caseId: string): string | undefined {
  const f = before.focus;
  return f.kind === 'case' && f.caseId === caseId ? f.returnTo : undefined;
}

function closeInUser(user: UserState, c: Case): void {
  user.openCases = user.openCases.filter((id) => id !== c.id);
  const entry: ClosedEntry = { caseId: c.id, client: c.client, outcome: c.outcome ?? 'cancelled', closedAt: c.closedAt ?? c.updatedAt };
  user.history = [...user.history.filter((h) => h.caseId !== c.id), entry].slice(-LIMITS.history);
  if ((user.focus.kind === 'case' || user.focus.kind === 'cancel') && user.focus.caseId === c.id) user.focus = { kind: 'none' };
}

class Turn {
  readonly user: UserState;
  readonly changed = new Map<string, Case>();
  readonly effects: Effect[] = [];
  moot?: string;
  forget = false;
  x: Ctx;

  /** The user record as it came in, as JSON: the working copy is parsed from it, and it tells whether the turn changed anything. */
  readonly before: string;

  constructor(private readonly input: UserTurn) {
    // Plain JSON data: a parse of its text is a deep copy, cheaper than structuredClone.
    this.before = JSON.stringify(input.user);
    this.user = JSON.parse(this.before) as UserState;
    this.x = makeCtx(input.now, { settings: this.user.settings, history: this.user.history });
  }

  get cases(): Case[] {
    return this.input.cases.map((c) => this.changed.get(c.id) ?? c);
  }

  /** The other case whose question is open and in focus, if any. */
  private openQuestionElsewhere(caseId: string): Case | undefined {
    const f = this.user.focus;
    if (f.kind !== 'case' || f.caseId === caseId) return undefined;
    const other = this.cases.find((k) => k.id === f.caseId);
    return other && waitsForAnswer(other) ? other : undefined;
  }

  /** Runs the pure case core and folds its result into the user's state. */
  runCase(c: Case, inbound: Inbound, focus = true): Reply[] {
    const d = decide(c, inbound, this.input.now, { settings: this.user.settings, history: this.user.history });
    if (d.moot) {
      this.moot = d.moot;
      if (d.case !== c) this.changed.set(d.case.id, d.case);
      return [];
    }
    this.changed.set(d.case.id, d.case);
    this.effects.push(...d.effects);
    const several = this.user.openCases.length > 1;
    const replies = several && d.replies.length ? [text(this.x.say('case.header', { client: c.client })), ...d.replies] : d.replies;
    const elsewhere = this.openQuestionElsewhere(c.id);
    const prev = this.user.focus;
    if (d.case.stage === 'closed' && c.stage !== 'closed') closeInUser(this.user, d.case);
    else if (inbound.kind === 'reminder' && elsewhere) {
      // Keep the user on the question they were answering; buttons still work, typing needs a switch.
      replies.push(text(this.x.say('case.switchHint', { client: c.client })));
    } else if (focus && d.case.stage !== 'closed') {
      const returnTo = elsewhere ? elsewhere.id : prev.kind === 'case' && prev.caseId === c.id ? prev.returnTo : undefined;
      this.user.focus = returnTo ? { kind: 'case', caseId: d.case.id, returnTo } : { kind: 'case', caseId: d.case.id };
    }
    return [...replies, ...this.comeBack(d.case)];
  }

  /** When the case just handled has nothing more to ask, the question left open comes back. */
  private comeBack(done: Case): Reply[] {
    const f = this.user.focus;
    const returnTo = f.kind === 'case' && f.caseId === done.id ? f.returnTo : prevReturn(this.input.user, done.id);
    if (!returnTo || waitsForAnswer(done)) return [];
    const back = this.cases.find((k) => k.id === returnTo);
    if (!back || !waitsForAnswer(back)) return [];
    this.user.focus = { kind: 'case', caseId: back.id };
    return [text(this.x.say('case.header', { client: back.client })), ...askCurrent(back, this.x)];
  }

  findCase(arg: string): Case | Reply[] {
    const found = resolveCase(this.user, this.cases, arg);
    if (found && found !== 'ambiguous') return found;
    const names = this.cases.filter((c) => c.stage !== 'closed').map((c) => c.client);
    if (found === 'ambiguous') return [text(this.x.say('case.which', { list: names.join(', ') }), 'info')];
    if (!arg.trim()) return [text(this.x.say('case.none'), 'info')];
    return [text(this.x.say('case.notFound', { client: cleanLine(arg, 40).value, list: names.join(', ') || '—' }), 'info')];
  }

  start(rawName: string): Reply[] {
    const { say } = this.x;
    const name = cleanLine(rawName, LIMITS.clientName);
    if (!name.value) {
      this.user.focus = { kind: 'newCase' };
      return [input(null, 'newCase', say('start.askName'), 'text', say('accepts.shortText', { max: LIMITS.clientName }))];
    }
    const open = this.cases.filter((c) => c.stage !== 'closed');
    const same = open.find((c) => foldClient(c.client) === foldClient(name.value));
    if (same) {
      this.user.focus = { kind: 'case', caseId: same.id };
      return [text(say('start.exists', { client: same.client }), 'info'), ...askCurrent(same, this.x)];
    }
    if (this.user.openCases.length >= LIMITS.openCases) {
      this.user.focus = { kind: 'none' };
      return [text(say('start.tooMany', { max: LIMITS.openCases }), 'error')];
    }
    const c = newCase(this.input.newCaseId, this.user.user, name.value, this.input.now);
    this.changed.set(c.id, c);
    this.user.openCases = [...this.user.openCases, c.id];
    const replies: Reply[] = [text(say('start.intro', { client: c.client }))];
    if (name.truncated) replies.push(text(say('start.truncated', { max: LIMITS.clientName }), 'warning'));
    // Back at the same question with the same client: worth hearing before the signs.
    const before = this.user.history.filter((h) => foldClient(h.client) === foldClient(name.value)).at(-1);
    if (before) {
      replies.push(text(say('start.again', { client: c.client, date: dayOf(this.x, localParts(new Date(before.closedAt), this.user.settings.timeZone).date), outcome: say(`outcomeName.${before.outcome}`) }), 'warning'));
    }
    if (!this.user.settings.timeZoneConfirmed) {
      this.user.focus = { kind: 'settings', field: 'timeZone', resumeCaseId: c.id };
      return [...replies, ...askSettings('timeZone', this.user.settings, this.x)];
    }
    this.user.focus = { kind: 'case', caseId: c.id };
    return [...replies, ...askCurrent(c, this.x)];
  }

  list(): Reply[] {
    const open = this.cases.filter((c) => c.stage !== 'closed');
    const lines = open.map((c) => `• ${caseLine(c, this.x)}`);
    const closed = this.user.history.slice(-5).reverse().map((h) => `• ${this.x.say('list.closedLine', { client: h.client, outcome: this.x.say(`outcomeName.${h.outcome}`) })}`);
    const body = [open.length ? this.x.say('list.open', { count: open.length }) : this.x.say('list.empty'), ...lines];
    if (closed.length) body.push('', this.x.say('list.closed'), ...closed);
    return [text(body.join('\n'))];
  }

  /** Settings changed: the language for this turn's wording, and every open case's reminders. */
  applySettings(next: UserState['settings']): void {
    this.user.settings = next;
    this.x = makeCtx(this.input.now, { settings: next, history: this.user.history });
    for (const c of this.cases.filter((k) => k.stage !== 'closed')) {
      const plan = reconcileReminders(c, next, this.input.now);
      if (plan.effects.length === 0) continue;
      this.changed.set(c.id, { ...c, reminders: plan.reminders, updatedAt: this.input.now.toISOString() });
      this.effects.push(...plan.effects);
    }
  }

  settingsAnswer(field: NonNullable<Extract<UserState['focus'], { kind: 'settings' }>['field']>, inbound: Inbound): Reply[] {
    const asked = askSettings(field, this.user.settings, this.x);
    const answer = toAnswer(inbound, asked) ?? { kind: 'text' as const, text: '' };
    const result = answerSettings(field, answer, this.user, this.x);
    const resume = this.user.focus.kind === 'settings' ? this.user.focus.resumeCaseId : undefined;
    if (result.kind === 'ask') {
      this.user.focus = resume ? { kind: 'settings', field: result.field, resumeCaseId: resume } : { kind: 'settings', field: result.field };
      return result.replies;
    }
    const resumeCase = resume ? this.cases.find((c) => c.id === resume && c.stage !== 'closed') : undefined;
    if (result.kind === 'done') {
      if (!resumeCase) {
        this.user.focus = { kind: 'none' };
        return result.replies;
      }
      this.user.focus = { kind: 'case', caseId: resumeCase.id };
      return askCurrent(resumeCase, this.x);
    }
    this.applySettings(result.settings);
    const saved = text(this.x.say('settings.saved'), 'success');
    // The first zone question (before a new case) goes straight on to the case.
    if (resumeCase && field === 'timeZone' && resumeCase.step === 'signs' && resumeCase.reasons.length === 0) {
      this.user.focus = { kind: 'case', caseId: resumeCase.id };
      return [saved, ...askCurrent(resumeCase, this.x)];
    }
    this.user.focus = resume ? { kind: 'settings', field: 'menu', resumeCaseId: resume } : { kind: 'settings', field: 'menu' };
    return [saved, ...askSettings('menu', this.user.settings, this.x)];
  }

  /** True when the question in focus wants free text, where "Status quo is…" is an answer. */
  awaitsFreeText(): boolean {
    const f = this.user.focus;
    if (f.kind === 'newCase') return true;
    if (f.kind === 'settings') return f.field === 'timeZone' || f.field === 'workdayStart';
    if (f.kind !== 'case') return false;
    const c = this.cases.find((k) => k.id === f.caseId);
    return !!c && askCurrent(c, this.x).some((r) => r.kind === 'input' && r.input === 'text');
  }

  /** What the user was last asked, so a typed option label is read as that option. */
  focusedQuestion(): Reply[] {
    const f = this.user.focus;
    if (f.kind === 'settings') return askSettings(f.field, this.user.settings, this.x);
    if (f.kind !== 'case') return [];
    const c = this.cases.find((k) => k.id === f.caseId);
    return c ? askCurrent(c, this.x) : [];
  }

  /** A typed line that starts with a command word but is really an answer to a free-text question. */
  isAnswerNotCommand(inbound: Extract<Inbound, { kind: 'command' }>): boolean {
    if (inbound.raw === undefined || !inbound.arg) return false;
    if (isOfferedLabel(inbound.raw, this.focusedQuestion())) return true;
    if (inbound.local) return !this.meantAsLocalCommand(inbound);
    if (!this.awaitsFreeText()) return false;
    if (!CASE_COMMANDS.includes(inbound.command)) return true;
    const arg = inbound.command === 'paid' ? this.splitPaid(inbound.arg).arg : inbound.arg;
    const found = resolveCase(this.user, this.cases, arg);
    return found === null;
  }

  /**
   * A command word of the user's language with words after it ("durum Yıldız", "commencer
   * Boulangerie"): a command when it names one of their cases, or starts a case while no
   * free-text question waits; anything else is an answer that happens to start with the word.
   */
  meantAsLocalCommand(inbound: Extract<Inbound, { kind: 'command' }>): boolean {
    if (CASE_COMMANDS.includes(inbound.command)) {
      const arg = inbound.command === 'paid' ? this.splitPaid(inbound.arg).arg : inbound.arg;
      return resolveCase(this.user, this.cases, arg) !== null;
    }
    return inbound.command === 'start' && !this.awaitsFreeText() && !this.focusedSideTakesText();
  }

  /** A side question that takes any line ("anything else you agreed?") is on screen. */
  focusedSideTakesText(): boolean {
    const f = this.user.focus;
    const c = f.kind === 'case' ? this.cases.find((k) => k.id === f.caseId) : undefined;
    return !!c?.asked?.question && c.asked.question !== c.step && FREE_TEXT_SIDE.has(c.asked.question);
  }

  /** "paid Acme GmbH all": the client, and what follows it when that picks invoices. */
  splitPaid(arg: string): { arg: string; selector: string } {
    const whole = resolveCase(this.user, this.cases, arg);
    const m = /^(.*\S)\s+(\S+)$/su.exec(arg.trim());
    if (whole !== null || !m) return { arg, selector: '' };
    const [, name = '', word = ''] = m;
    return isInvoiceSelector(word, this.x) && resolveCase(this.user, this.cases, name) !== null ? { arg: name, selector: word } : { arg, selector: '' };
  }

  command(inbound: Extract<Inbound, { kind: 'command' }>): Reply[] {
    const { say } = this.x;
    // Any command leaves a pending confirmation or settings question behind.
    const f = this.user.focus;
    if (f.kind === 'forget' || f.kind === 'newCase' || f.kind === 'settings') this.user.focus = { kind: 'none' };
    if (f.kind === 'cancel') this.user.focus = { kind: 'case', caseId: f.caseId };
    if (inbound.command === 'export' && !inbound.arg.trim()) return exportAll(this.user, this.cases, this.x);
    switch (inbound.command) {
      case 'help':
        return helpReplies(this.x, this.user.user.platform);
      case 'list':
        return this.list();
      case 'start':
        return this.start(inbound.arg);
      case 'settings': {
        // Come back to the case's question once the settings are done.
        const back = f.kind === 'case' ? f.caseId : f.kind === 'settings' ? f.resumeCaseId : undefined;
        this.user.focus = back ? { kind: 'settings', field: 'menu', resumeCaseId: back } : { kind: 'settings', field: 'menu' };
        return askSettings('menu', this.user.settings, this.x);
      }
      case 'forget':
        this.user.focus = { kind: 'forget' };
        return [this.confirmation('forget', say('forget.confirm'))];
      default: {
        const paid = inbound.command === 'paid' ? this.splitPaid(inbound.arg) : null;
        const found = this.findCase(paid ? paid.arg : inbound.arg);
        if (Array.isArray(found)) return [...found, ...(this.cases.some((c) => c.stage !== 'closed') ? this.list() : [])];
        if ((inbound.command === 'cancel' || inbound.command === 'pushback') && found.stage === 'closed') {
          return [text(say('case.closed', { client: found.client }), 'info')];
        }
        if (inbound.command === 'cancel') {
          this.user.focus = { kind: 'cancel', caseId: found.id };
          return [this.confirmation('cancel', say('cancel.confirm', { client: found.client }), found)];
        }
        const routed = paid ? { ...inbound, arg: paid.selector } : inbound;
        return this.runCase(found, routed, found.stage !== 'closed');
      }
    }
  }

  /** The yes/no buttons of `forget` and `cancel`; typed words are read against the same ones. */
  confirmation(question: string, body = '', c: Case | null = null): Reply {
    const { say } = this.x;
    const forget = question === 'forget';
    return choices(c, forget ? 'forget' : 'cancel', body, [
      { value: 'yes', label: say(forget ? 'forget.yes' : 'cancel.yes'), style: 'danger' },
      { value: 'no', label: say(forget ? 'forget.no' : 'cancel.no') },
    ]);
  }

  userQuestion(question: string, inbound: Inbound): Reply[] {
    const { say } = this.x;
    const settingsField = SETTINGS_QUESTIONS[question];
    if (settingsField) return this.settingsAnswer(settingsField, inbound);
    // A typed confirmation may be its button's words ("Delete everything"), a number or a yes-word.
    const typed = inbound.kind === 'text' ? textToAnswer(inbound.text, [this.confirmation(question)]) : null;
    const value =
      inbound.kind === 'choice' ? inbound.value : typed?.kind === 'choice' ? typed.value : inbound.kind === 'text' ? foldWord(inbound.text, this.x.locale) : '';
    const yes = value === 'yes' || isOneOf(value, say('common.yesWords'), this.x.locale);
    if (question === 'newCase') return this.start(inbound.kind === 'text' ? inbound.text : '');
    if (question === 'forget') {
      if (this.user.focus.kind !== 'forget') return [text(say('common.staleDone'), 'info')];
      if (yes) {
        this.user.focus = { kind: 'none' };
        this.forget = true;
        return [text(say('forget.done'), 'success')];
      }
      this.user.focus = { kind: 'none' };
      return [text(say('forget.kept'), 'info')];
    }
    // cancel: only while it is the question in focus, so an old button can't end a case.
    const caseId = ('caseId' in inbound && inbound.caseId) || (this.user.focus.kind === 'cancel' ? this.user.focus.caseId : '');
    const c = this.cases.find((k) => k.id === caseId);
    const pending = this.user.focus.kind === 'cancel' && this.user.focus.caseId === caseId;
    if (!c || c.stage === 'closed' || !pending) return [text(say('common.staleDone'), 'info')];
    if (!yes) {
      this.user.focus = { kind: 'case', caseId: c.id };
      return [text(say('cancel.kept'), 'info'), ...askCurrent(c, this.x)];
    }
    const closed: Case = { ...c, updatedAt: this.input.now.toISOString() };
    close(closed, 'cancelled', this.input.now);
    const plan = reconcileReminders(closed, this.user.settings, this.input.now);
    closed.reminders = plan.reminders;
    this.effects.push(...plan.effects);
    this.changed.set(closed.id, closed);
    closeInUser(this.user, closed);
    // The calendar they imported still shows the case's dates: the follow-up cancels them.
    return [text(say('cancel.done', { client: c.client }), 'success'), ...calendarFollowUp(c, closed, [], this.x)];
  }

  run(): Reply[] {
    const given = this.input.inbound;
    const inbound: Inbound = given.kind === 'command' && this.isAnswerNotCommand(given) ? { kind: 'text', text: given.raw ?? '' } : given;
    switch (inbound.kind) {
      case 'command':
        return this.command(inbound);
      case 'unknownCommand':
        return [text(this.x.say('command.unknown', { word: cleanLine(inbound.word, 30).value }), 'error'), ...helpReplies(this.x, this.user.user.platform)];
      case 'reminder': {
        const c = this.cases.find((k) => k.id === inbound.caseId);
        if (!c) {
          this.moot = 'case gone';
          return [];
        }
        // A reminder asks something: the user's next typed line is most likely its answer.
        return this.runCase(c, inbound);
      }
      default: {
        const question = 'question' in inbound && inbound.question ? inbound.question : inbound.kind === 'submit' ? inbound.form : undefined;
        if (question && USER_QUESTIONS.has(question)) {
          return this.userQuestion(question, inbound);
        }
        if (inbound.caseId) {
          const c = this.cases.find((k) => k.id === inbound.caseId);
          // A case id this user does not own loads as nothing: someone else's button changes nothing.
          if (!c) return [text(this.x.say('case.notYours'), 'error')];
          return this.runCase(c, inbound);
        }
        const f = this.user.focus;
        if (f.kind === 'settings') return this.settingsAnswer(f.field, inbound);
        if (f.kind === 'newCase') return this.userQuestion('newCase', inbound);
        if (f.kind === 'forget') return this.userQuestion('forget', inbound);
        if (f.kind === 'cancel') return this.userQuestion('cancel', inbound);
        const focused = f.kind === 'case' ? this.cases.find((k) => k.id === f.caseId) : undefined;
        const open = this.cases.filter((k) => k.stage !== 'closed');
        const target = focused && focused.stage !== 'closed' ? focused : f.kind === 'none' && open.length === 1 ? open[0] : undefined;
        if (target) return this.runCase(target, inbound);
        this.user.focus = { kind: 'none' };
        return [text(this.x.say('command.notUnderstood'), 'info')];
      }
    }
  }
}

/** The user-level core: commands, settings, and routing to the one case a turn is about. Pure. */
export function decideUser(input: UserTurn): UserDecision {
  const turn = new Turn(input);
  const replies = turn.run();
  if (turn.user.guessedNote) {
    delete turn.user.guessedNote;
    const s = turn.user.settings;
    replies.unshift(text(turn.x.say('settings.guessed', { zone: s.timeZone, language: languageName(s.locale, s.locale) }), 'info'));
  }
  const decision: UserDecision = { user: turn.user, userChanged: JSON.stringify(turn.user) !== turn.before, cases: [...turn.changed.values()], replies, effects: turn.effects };
  if (turn.forget) {
    decision.forget = true;
    decision.effects = [{ kind: 'forgetUser' }];
  }
  if (turn.moot) decision.moot = turn.moot;
  return decision;
}
