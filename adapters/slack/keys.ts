import { keys } from '../../src/store/keys.js';
import type { UserRef } from '../../src/model/user.js';

/**
 * The adapter's own Redis keys, under the same prefix as the store's. Per-user keys carry the
 * user's hash tag, so `forget` (which removes every key matching the user's pattern) takes
 * them too.
 */
export interface SlackKeys {
  /** A form waiting behind a "Fill in" button. */
  form(user: UserRef, formKey: string): string;
  /** One workspace's (or one Enterprise Grid org's) installation: its bot token. */
  installation(id: string): string;
}

export function slackKeys(prefix: string): SlackKeys {
  const k = keys(prefix);
  const safe = (id: string): string => encodeURIComponent(id);
  return {
    form: (user, formKey) => `${prefix}:${k.tag(user)}:slackform:${safe(formKey)}`,
    installation: (id) => `${prefix}:slack:installation:${safe(id)}`,
  };
}
