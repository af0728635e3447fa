import { OffboardError } from '../errors.js';
import { userKey, type UserRef } from '../model/user.js';

export const DEFAULT_KEY_PREFIX = 'offboard';

export interface Keys {
  readonly prefix: string;
  /** The `{…}` hash tag shared by all of a user's keys, braces included. */
  tag(user: UserRef): string;
  user(user: UserRef): string;
  case(user: UserRef, caseId: string): string;
  /** SCAN MATCH pattern for every key of one user (user record and cases). */
  userPattern(user: UserRef): string;
  event(eventId: string): string;
  /** A turn's saved result, written with the turn's commit, so a re-run can replay it. */
  outbox(user: UserRef, id: string): string;
  /** Delivery ledger of one outbound message (hash: body, state). */
  message(user: UserRef, id: string): string;
  /** Which message a reminder occurrence went out in. */
  occurrence(user: UserRef, id: string): string;
  /** Short lease serialising one user's reminder deliveries across workers. */
  deliveryLock(user: UserRef): string;
  /** The console's inbox: a stream of reminders, and the keys already in it. */
  inbox(user: UserRef): string;
  inboxKeys(user: UserRef): string;
  inboxCursor(user: UserRef): string;
  /** SCAN MATCH pattern for every user record under the prefix. */
  userRecordPattern(): string;
  /** SCAN MATCH pattern for every key under the prefix. */
  allPattern(): string;
}

const PLAIN = /^[A-Za-z0-9._-]*$/;

/**
 * Platform ids are plain today, but one stray `}` would split the hash tag and one `*` or `:`
 * would let a user's SCAN pattern reach another user's keys; so anything unusual is %-encoded.
 */
function safe(part: string): string {
  // Nearly every id is plain: testing is cheaper than a replace with a callback.
  if (PLAIN.test(part)) return part;
  return part.replace(/[^A-Za-z0-9._-]/g, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Glob metacharacters of Redis's stringmatch, so a prefix is matched literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (ch) => `\\${ch}`);
}

/** Every Redis key the bot uses is built here, so the layout is visible in one place. */
export function keys(prefix: string = DEFAULT_KEY_PREFIX): Keys {
  // A brace in the prefix would become the hash tag and put every user in one slot.
  if (!prefix || /[{}\s]/.test(prefix)) {
    throw new OffboardError('bad_config', `invalid Redis key prefix ${JSON.stringify(prefix)}`);
  }
  // A delivery builds a few dozen keys of one user (the same job's user object each time).
  const tags = new WeakMap<UserRef, string>();
  const tag = (user: UserRef): string => {
    let t = tags.get(user);
    if (t === undefined) {
      t = `{${safe(userKey(user))}}`;
      tags.set(user, t);
    }
    return t;
  };
  return {
    prefix,
    tag,
    user: (user) => `${prefix}:${tag(user)}:user`,
    case: (user, caseId) => `${prefix}:${tag(user)}:case:${safe(caseId)}`,
    userPattern: (user) => `${globEscape(prefix)}:${tag(user)}:*`,
    event: (eventId) => `${prefix}:event:${eventId}`,
    outbox: (user, id) => `${prefix}:${tag(user)}:outbox:${safe(id)}`,
    message: (user, id) => `${prefix}:${tag(user)}:msg:${safe(id)}`,
    occurrence: (user, id) => `${prefix}:${tag(user)}:occ:${safe(id)}`,
    deliveryLock: (user) => `${prefix}:${tag(user)}:lock`,
    inbox: (user) => `${prefix}:${tag(user)}:inbox`,
    inboxKeys: (user) => `${prefix}:${tag(user)}:inbox-keys`,
    inboxCursor: (user) => `${prefix}:${tag(user)}:inbox-cursor`,
    userRecordPattern: () => `${globEscape(prefix)}:{*}:user`,
    allPattern: () => `${globEscape(prefix)}:*`,
  };
}
