import type { Redis } from 'ioredis';
import type { webApi } from '@slack/bolt';
import type { ProfileHints } from '../../src/engine/new-records.js';
import { isValidTimeZone, localeFromTag } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import { keys, type Keys } from '../../src/store/keys.js';
import { describe, type Log } from './log.js';

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
 * rule, and they change them with `settings`. The store is asked every time (one EXISTS), not
 * a memory of who was seen: after `forget` the same person is new again, and their zone and
 * language must come from Slack again rather than be asked for.
 */
export class Profiles {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly log: Log,
  ) {
    this.keys = keys(prefix);
  }

  async hintsFor(client: webApi.WebClient, user: UserRef): Promise<ProfileHints | undefined> {
    if ((await this.redis.exists(this.keys.user(user))) === 1) return undefined;
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
}
