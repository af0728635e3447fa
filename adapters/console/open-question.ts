import { askCurrent } from '../../src/engine/decide.js';
import { makeCtx } from '../../src/engine/context.js';
import { text } from '../../src/engine/replies.js';
import { askSettings } from '../../src/engine/settings-flow.js';
import { isStepId } from '../../src/flow/nav.js';
import { STEPS } from '../../src/flow/steps.js';
import type { Reply } from '../../src/model/reply.js';
import type { Locale } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';

export interface OpenQuestion {
  replies: Reply[];
  locale: Locale;
}

/**
 * The question the user was answering when the last console died, asked again without a
 * turn: read only, so showing it can neither move the case on nor fail half-way. The engine's
 * own pure `askCurrent` / `askSettings` say it, exactly as a turn would.
 */
export async function openQuestion(store: Pick<Store, 'loadUser' | 'loadCase'>, user: UserRef, now: Date): Promise<OpenQuestion | null> {
  const state = await store.loadUser(user);
  if (!state) return null;
  const x = makeCtx(now, { settings: state.settings, history: state.history });
  const locale = state.settings.locale;
  const f = state.focus;
  if (f.kind === 'settings') return { replies: askSettings(f.field, state.settings, x), locale };
  if (f.kind !== 'case') return null;
  const c = await store.loadCase(user, f.caseId);
  // A closed case or a waiting step (cooling off, before the talk) asks nothing.
  if (!c || c.stage === 'closed' || !isStepId(c.step) || STEPS[c.step].waiting) return null;
  const asked = askCurrent(c, x);
  if (asked.length === 0) return null;
  const header = state.openCases.length > 1 ? [text(x.say('case.header', { client: c.client }))] : [];
  return { replies: [...header, ...asked], locale };
}
