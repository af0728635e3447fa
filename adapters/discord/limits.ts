/**
 * Discord's documented size limits for what the bot sends. Going over any of them makes
 * Discord reject the whole message (400, "Invalid Form Body"), so everything is cut to fit
 * before sending, never after.
 */
export const LIMITS = Object.freeze({
  messageContent: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
  embedTitle: 256,
  embedDescription: 4096,
  modalTitle: 45,
  modalComponents: 5,
  textInputLabel: 45,
  textInputDescription: 100,
  textInputPlaceholder: 100,
  textInputValue: 4000,
  autocompleteChoices: 25,
  autocompleteName: 100,
} as const);

// Lengths are counted in UTF-16 units, which is never less than what Discord counts.
const LONE_HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).replace(LONE_HIGH_SURROGATE, '').trimEnd()}…`;
}

/**
 * Splits text into pieces of at most `max` characters, preferring line breaks, then spaces,
 * so a long reply becomes several messages instead of a rejected one.
 */
export function splitText(text: string, max: number = LIMITS.messageContent): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const head = rest.slice(0, max).replace(LONE_HIGH_SURROGATE, '');
    const atLine = head.lastIndexOf('\n');
    const atSpace = head.lastIndexOf(' ');
    const cut = atLine > 0 ? atLine : atSpace > 0 ? atSpace : head.length;
    pieces.push(head.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() || pieces.length === 0) pieces.push(rest);
  return pieces;
}
