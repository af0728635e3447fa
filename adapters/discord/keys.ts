import type { UserRef } from '../../src/model/user.js';
import { keys } from '../../src/store/keys.js';

/**
 * The Discord adapter's own Redis keys, under the store's prefix. Every one carries the
 * user's hash tag, so `forget` (which deletes every key matching the user's pattern) takes
 * them too, and a Cluster keeps them in the user's slot.
 */
export interface DiscordKeys {
  /** A form shown behind a "Fill in" button, with the answers of the parts already submitted. */
  form(user: UserRef, caseId: string | undefined, question: string): string;
  /** How many parts of a reminder message are already posted. */
  parts(user: UserRef, messageKey: string): string;
}

export function discordKeys(prefix: string): DiscordKeys {
  const k = keys(prefix);
  const safe = (id: string): string => encodeURIComponent(id);
  return {
    // The case id may be absent (a question outside any case): '-' cannot be a case id.
    form: (user, caseId, question) => `${prefix}:${k.tag(user)}:discordform:${caseId ? safe(caseId) : '-'}:${safe(question)}`,
    parts: (user, messageKey) => `${prefix}:${k.tag(user)}:discordparts:${safe(messageKey)}`,
  };
}
