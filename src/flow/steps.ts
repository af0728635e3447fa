import type { StepDef } from '../engine/types.js';
import { assessSteps } from './assess.js';
import { contractSteps } from './contract.js';
import { conversationSteps } from './conversation.js';
import { coolingSteps } from './cooling.js';
import { handoverSteps } from './handover.js';
import { letterSteps } from './letter.js';
import type { StepId } from './nav.js';
import { noticeSteps } from './notice.js';
import { raiseSteps } from './raise.js';
import { wrapupSteps } from './wrapup.js';

const closedStep: StepDef = {
  ask: () => [],
  answer: () => undefined,
};

/** Every step of the flow; the `satisfies` makes a step without a handler a type error. */
export const STEPS = {
  ...assessSteps,
  ...raiseSteps,
  ...coolingSteps,
  ...contractSteps,
  ...conversationSteps,
  ...noticeSteps,
  ...handoverSteps,
  ...letterSteps,
  ...wrapupSteps,
  closed: closedStep,
} satisfies Record<StepId, StepDef>;
