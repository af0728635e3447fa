import type { Config } from './core.js';
import { secret, variable, type Problem } from './value.js';

const PASSWORD_MIN = 12;
const PASSWORD_EXAMPLE = 'the output of `openssl rand -base64 18`';

/** Basic-auth credentials for the operator pages (Bull Board). */
export const ADMIN_FIELDS = {
  // A user name is not a secret, but it is half of a credential: it is not quoted either.
  ADMIN_USER: variable(secret((v) => !v.includes(':') && v.length <= 64, 'must be at most 64 characters and contain no ":", which HTTP basic auth splits on (example: admin)')),
  ADMIN_PASSWORD: variable(secret((v) => v.length >= PASSWORD_MIN, `too short, use at least ${PASSWORD_MIN} characters (example: ${PASSWORD_EXAMPLE})`)),
};

type AdminValues = { [K in keyof typeof ADMIN_FIELDS]?: string | undefined };

/** Both or neither: a user without a password would leave the pages open. */
export function adminRule(e: AdminValues): Problem[] {
  if (e.ADMIN_USER && !e.ADMIN_PASSWORD) {
    return [{ variable: 'ADMIN_PASSWORD', message: `missing while ADMIN_USER is set, set both or neither (example: ${PASSWORD_EXAMPLE})` }];
  }
  if (e.ADMIN_PASSWORD && !e.ADMIN_USER) {
    return [{ variable: 'ADMIN_USER', message: 'missing while ADMIN_PASSWORD is set, set both or neither (example: admin)' }];
  }
  return [];
}

export function adminFrom(e: AdminValues): Config['admin'] {
  return e.ADMIN_USER && e.ADMIN_PASSWORD ? { user: e.ADMIN_USER, password: e.ADMIN_PASSWORD } : null;
}
