/**
 * The inbox's Redis keys. One stream per platform, shared by every bot process of the
 * deployment (a consumer group hands each entry to one of them). The stream and its de-dup
 * markers share one hash tag, so the append script touches one slot even on a Cluster.
 */
export type InboxPlatform = 'slack' | 'discord';

export interface InboxKeys {
  /** The stream of events acknowledged to the platform and not yet turned into answers. */
  stream: string;
  /** Marks an event id as appended, so a platform's retry of it is acknowledged, not appended again. */
  seen(eventId: string): string;
  /**
   * One user's entries still owed a turn, in arrival order: whichever process holds an entry
   * runs it only once it heads this list, so one user's turns keep their order across processes.
   */
  lane(user: string): string;
}

/** The consumer group every bot process of one deployment reads the stream with. */
export const INBOX_GROUP = 'turns';

export function inboxKeys(prefix: string, platform: InboxPlatform): InboxKeys {
  const base = `${prefix}:inbox:{${platform}}`;
  return {
    stream: `${base}:stream`,
    seen: (eventId) => `${base}:seen:${encodeURIComponent(eventId)}`,
    lane: (user) => `${base}:lane:${encodeURIComponent(user)}`,
  };
}
