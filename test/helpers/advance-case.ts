import type { Case } from '../../src/model/case.js';
import type { UserRef } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';

/**
 * Moves the user's only open case to the handover, with a talk and a last day, by writing it
 * as the engine would: for adapter tests about what a later stage shows, without typing a
 * whole case through the platform first.
 */
export async function advanceToHandover(store: Store, user: UserRef): Promise<Case> {
  const state = await store.loadUser(user);
  const [c] = state ? await store.loadCases(user, state.openCases) : [];
  if (!state || !c) throw new Error(`no open case for ${user.id}`);
  const next: Case = {
    ...c,
    version: c.version + 1,
    stage: 'handover',
    step: 'tasks',
    conversation: { channel: 'call', reason: 'notFit', at: '2026-11-25T13:00:00.000Z' },
    notice: { kind: 'twoWeeks', lastDay: '2026-12-09' },
  };
  const ok = await store.commit({ user: state, expectedUserVersion: state.version, cases: [{ case: next, expectedVersion: c.version }] });
  if (!ok) throw new Error('the case changed while it was being advanced');
  return next;
}
