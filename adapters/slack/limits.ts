/**
 * Block Kit's hard limits (https://docs.slack.dev/reference/block-kit): Slack rejects a whole
 * message with `invalid_blocks` when one is exceeded, so every renderer shortens to these.
 */
export const BLOCK_KIT = Object.freeze({
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  contextText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  staticSelectOptions: 100,
  checkboxOptions: 10,
  actionsElements: 25,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  placeholder: 150,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputValue: 3000,
  /** The notification / fallback `text` of a message; Slack truncates beyond 40k, 4k reads well. */
  fallbackText: 4000,
  /** Buttons read well up to this many options; more become a select menu. */
  maxButtons: 5,
} as const);
