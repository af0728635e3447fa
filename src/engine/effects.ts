import type { Effect } from '../model/effect.js';
import type { UserRef } from '../model/user.js';
import type { Case } from '../model/case.js';

/**
 * Carries out a turn's effects after its state is saved. The reminders issue implements it
 * with BullMQ; the case's own `reminders` list stays the source of truth either way.
 */
export interface EffectSink {
  apply(user: UserRef, effects: readonly Effect[], cases: readonly Case[]): Promise<void>;
}

/** For a process without a scheduler: the plan is recorded on the case and nothing else. */
export const recordOnly: EffectSink = { apply: async () => undefined };
