import type { Case } from '../model/case.js';
import type { Effect } from '../model/effect.js';
import type { Reply } from '../model/reply.js';
import type { Locale, Settings } from '../model/settings.js';
import type { ClosedEntry } from '../model/user.js';
import type { Translator } from '../i18n/translate.js';

/** What the pure core knows besides the case: passed in, never reached for. */
export interface DecideContext {
  settings: Settings;
  /** The user's closed cases, for the "pattern" reflection. */
  history: readonly ClosedEntry[];
}

export interface Decision {
  case: Case;
  replies: Reply[];
  effects: Effect[];
  /** Set when a reminder arrived that the case no longer wants; nothing is sent. */
  moot?: string;
}

/** An answer to the question a step asked, whatever widget it came from. */
export type Answer =
  | { kind: 'choice'; value: string }
  | { kind: 'multi'; values: string[] }
  | { kind: 'text'; text: string }
  | { kind: 'submit'; fields: Record<string, string> };

/** Per-turn helpers handed to step code. `out` collects what is said besides the next question. */
export interface Ctx {
  now: Date;
  /** Today's calendar date in the user's zone. */
  today: string;
  settings: Settings;
  locale: Locale;
  history: readonly ClosedEntry[];
  say: Translator;
  out: Reply[];
}

/** A step rejects an answer by returning the replies that explain why; it is then asked again. */
export type Rejection = { rejected: Reply[] };

export interface StepDef {
  /** A waiting step: entering it says when the bot will be back, and asks nothing yet. */
  waiting?: true;
  /** The replies that ask this step's question. */
  ask(c: Case, x: Ctx): Reply[];
  /** Applies an answer to the (already copied) case. */
  answer(c: Case, a: Answer, x: Ctx): Rejection | void;
}
