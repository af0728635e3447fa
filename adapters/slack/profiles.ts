import type { Redis } from 'ioredis';
import type { webApi } from '@slack/bolt';
import type { ProfileHints } from '../../src/engine/new-records.js';
import { isValidTimeZone, localeFromTag } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import { keys, type Keys } from '../../src/store/keys.js';
import { describe, type Log } from './log.js';

const KNOWN_MAX = 50_000;

// Checking a zone builds an Intl.DateTimeFormat (about 0.2 ms); profiles name few zones.
const zoneValid = new Map<string, boolean>();
const ZONES_MAX = 1_000;
function validZone(zone: string): boolean {
  let ok = zoneValid.get(zone);
  if (ok === undefined) {
    ok = isValidTimeZone(zone);
    if (zoneValid.size >= ZONES_MAX) zoneValid.clear();
    zoneValid.set(zone, ok);
  }
  return ok;
}

/**
 * The engine uses profile hints on a user's first contact only, so `users.info` (a rate-limited
 * call) is made only for someone the store has never seen; after that the user's own settings
 * rule, and they change them with `settings`.
 */
export class Profiles {
  private readonly known = new Set<string>();
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly log: Log,
  ) {
    this.keys = keys(prefix);
  }

  async hintsFor(client: webApi.WebClient, user: UserRef): Promise<ProfileHints | undefined> {
    const userKey = this.keys.user(user);
    if (this.known.has(userKey)) return undefined;
    if ((await this.redis.exists(userKey)) === 1) {
      this.remember(userKey);
      return undefined;
    }
    try {
      const res = await client.users.info({ user: user.id, include_locale: true });
      const hints: ProfileHints = {};
      if (res.user?.locale) hints.locale = localeFromTag(res.user.locale);
      if (res.user?.tz && validZone(res.user.tz)) hints.timeZone = res.user.tz;
      return hints;
    } catch (err) {
      // Without hints the engine asks for the zone and speaks English until told otherwise.
      this.log.warn({}, `users.info failed, going on without profile hints: ${describe(err)}`);
      return {};
    }
  }

  private remember(userKey: string): void {
    if (this.known.size >= KNOWN_MAX) this.known.clear();
    this.known.add(userKey);
  }
}
