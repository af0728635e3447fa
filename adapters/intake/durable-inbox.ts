import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { OffboardError } from '../../src/errors.js';
import type { Log } from '../../src/log.js';
import { appender, INBOX_FULL } from './append.js';
import { compareIds, readEntry, type InboxEntry } from './entry.js';
import type { Inbox, RunEntry } from './inbox.js';
import { INBOX_GROUP, inboxKeys, type InboxKeys, type InboxPlatform } from './keys.js';
import { Lanes } from './lanes.js';
import { AckQuiet } from './quiet.js';
import { claimIdle, heartbeat, pruneConsumers, trimDone } from './upkeep.js';

export interface DurableInboxOptions<T> {
  /** For appends and acks (not blocked: a second connection is opened for the reads). */
  redis: Redis;
  keyPrefix: string;
  platform: InboxPlatform;
  /** Reads an entry's payload back; null for a shape this version cannot run (logged, dropped). */
  parse(json: string): T | null;
  run: RunEntry<T>;
  /** Turns running at once in this process. */
  concurrency: number;
  log: Log;
  /**
   * An entry delivered this long ago and not heartbeaten is taken over: its process died.
   * Short enough that a restart soon picks up what a killed process left; long against a
   * stalled event loop (the holder heartbeats every third of it).
   */
  claimIdleMs?: number;
  /** Longest an append may take before the event is refused (Slack's ack budget is 3 s). */
  appendTimeoutMs?: number;
}

export const DEFAULTS = Object.freeze({ claimIdleMs: 15_000, appendTimeoutMs: 1_500 });
// A stop's last waits: the process must end well within ops/signals.ts's 15 s.
const STOP_LANES_MS = 2_000;
const STOP_QUIT_MS = 1_000;
// Entries read ahead of running, per slot: enough to keep every slot busy, few enough to leave
// the rest of a backlog to other processes.
const HELD_PER_SLOT = 4;
const BLOCK_MS = 2_000;
const RETRY_MS = 500;
const DONE_ATTEMPTS = 4;

type StreamReply = Array<[string, Array<[string, string[] | null]>]> | null;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The durable inbox: an event is appended to the platform's Redis stream before the platform
 * gets its ack; a consumer group hands each entry to one bot process, which runs the turn and
 * then acknowledges and deletes the entry. An entry left by a process that died (delivered,
 * never acknowledged, no heartbeat) is claimed by another process, or by the restarted one.
 * A re-run replays the engine's saved result (the outbox keyed by the event id), so it has no
 * second effect; see the README's reliability section.
 */
export class DurableInbox<T> implements Inbox<T> {
  private readonly keys: InboxKeys;
  private readonly reader: Redis;
  private readonly writer: Redis;
  private readonly name = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly lanes: Lanes<T>;
  private readonly quiet = new AckQuiet();
  private readonly append_: ReturnType<typeof appender>;
  private readonly claimIdleMs: number;
  private readonly appendTimeoutMs: number;
  /** Appended here and not yet seen done: what idle() waits for. */
  private readonly appended = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private reading: Promise<void> = Promise.resolve();
  private lastReadError = 0;

  constructor(private readonly opts: DurableInboxOptions<T>) {
    this.keys = inboxKeys(opts.keyPrefix, opts.platform);
    this.claimIdleMs = opts.claimIdleMs ?? DEFAULTS.claimIdleMs;
    this.appendTimeoutMs = opts.appendTimeoutMs ?? DEFAULTS.appendTimeoutMs;
    // Appends get a connection of their own: an ack waits for its append, which must not queue
    // behind the turns' commands on the shared connection. Auto-pipelining sends the appends of
    // a burst (200 commands arriving together) in a few writes instead of one each.
    this.writer = opts.redis.duplicate({ enableAutoPipelining: true });
    this.writer.on('error', () => undefined);
    this.append_ = appender(this.writer, this.keys);
    // XREADGROUP BLOCK holds its connection: appends and acks must not queue behind it.
    this.reader = opts.redis.duplicate();
    this.reader.on('error', () => undefined);
    this.lanes = new Lanes<T>(opts.concurrency, (entry) => this.runEntry(entry));
  }

  /** Creates the group if needed, takes over what dead processes left, then starts reading. */
  async start(): Promise<void> {
    await this.ensureGroup();
    await this.upkeep(true);
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(() => void fn().catch((err: unknown) => this.opts.log.warn({ platform: this.opts.platform, error: describe(err) }, 'inbox upkeep failed; next round retries')), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(100, Math.floor(this.claimIdleMs / 3)), () => heartbeat(this.opts.redis, this.keys, this.name, this.lanes.heldIds()));
    every(Math.max(200, Math.floor(this.claimIdleMs / 2)), () => this.upkeep(false));
    this.reading = this.readLoop();
  }

  async append(user: string, eventId: string, payload: T): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    this.quiet.begin();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OffboardError('redis_unavailable', `inbox append took over ${this.appendTimeoutMs} ms`)), this.appendTimeoutMs);
    });
    try {
      const { id } = await Promise.race([this.append_(user, eventId, JSON.stringify(payload)), late]);
      if (id) this.appended.add(id);
    } catch (err) {
      if (err instanceof OffboardError) throw err;
      if (err instanceof Error && err.message.includes(INBOX_FULL)) throw new OffboardError('limit', 'inbox backlog at its limit', err);
      throw new OffboardError('redis_unavailable', describe(err), err);
    } finally {
      clearTimeout(timer);
      this.quiet.end();
    }
  }

  acked(): void {
    this.quiet.acked();
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.lanes.idle();
      if (this.appended.size === 0) return;
      // Taken by another process, or read here but not yet run: look again shortly.
      const ids = [...this.appended];
      const found = await Promise.all(ids.map((id) => this.opts.redis.xrange(this.keys.stream, id, id).catch(() => [[id]])));
      ids.forEach((id, i) => {
        if ((found[i] ?? []).length === 0) this.appended.delete(id);
      });
      if (this.appended.size) await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    // Ends a blocked XREADGROUP at once; what this process holds is finished below, and
    // whatever it never read stays in the stream for the others.
    this.reader.disconnect();
    // A hung server never closes the socket, so the blocked read may never end: bounded too.
    await Promise.race([this.reading, sleep(STOP_QUIT_MS)]);
    // Bounded: a turn stuck on a Redis that does not answer keeps its entry, which another
    // process (or the next start) takes over; its outbox makes the second run a replay.
    await Promise.race([this.lanes.idle(), sleep(STOP_LANES_MS)]);
    // QUIT waits for Redis's reply, which a hung server never sends.
    const quit = this.writer.quit().then(() => true, () => false);
    if (!(await Promise.race([quit, sleep(STOP_QUIT_MS).then(() => false)]))) this.writer.disconnect();
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From the start of the stream: an entry appended before the group existed is still owed a turn.
      await this.opts.redis.xgroup('CREATE', this.keys.stream, INBOX_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!describe(err).includes('BUSYGROUP')) throw err;
    }
  }

  private async upkeep(first: boolean): Promise<void> {
    const room = HELD_PER_SLOT * this.opts.concurrency - this.lanes.size;
    const claimed = await claimIdle<T>(this.opts.redis, this.keys, this.name, this.claimIdleMs, room, this.opts.parse);
    if (claimed.length) this.opts.log.info({ platform: this.opts.platform, entries: claimed.length }, 'took over inbox entries a stopped process left');
    for (const entry of claimed) this.lanes.add(entry);
    await trimDone(this.opts.redis, this.keys);
    if (first) await pruneConsumers(this.opts.redis, this.keys);
  }

  private async readLoop(): Promise<void> {
    const max = HELD_PER_SLOT * this.opts.concurrency;
    while (!this.stopping) {
      const room = max - this.lanes.size;
      if (room <= 0) {
        await sleep(5);
        continue;
      }
      // During a burst of acks, reading can wait too: each read is a reply to parse and turns to
      // line up, on the event loop that the acks are waiting for.
      await this.quiet.wait();
      let reply: StreamReply;
      try {
        reply = (await this.reader.xreadgroup('GROUP', INBOX_GROUP, this.name, 'COUNT', room, 'BLOCK', BLOCK_MS, 'STREAMS', this.keys.stream, '>')) as StreamReply;
      } catch (err) {
        if (this.stopping) return;
        if (describe(err).includes('NOGROUP')) await this.ensureGroup().catch(() => undefined);
        else if (Date.now() - this.lastReadError > 30_000) {
          this.lastReadError = Date.now();
          this.opts.log.warn({ platform: this.opts.platform, error: describe(err) }, 'inbox unreadable; retrying (entries wait in Redis)');
        }
        await sleep(RETRY_MS);
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          const entry = readEntry(id, fields, this.opts.parse);
          if (entry) this.lanes.add(entry);
          else await this.done(id, 'unreadable');
        }
      }
    }
  }

  /**
   * Whether the entry heads its user's lane: no earlier entry of the user is still owed a turn
   * (held by another process, say). A lane head whose entry has left the stream (done without
   * its lane updated, or trimmed) is dropped from the lane first.
   */
  private async heads(entry: InboxEntry<T>): Promise<boolean> {
    const lane = this.keys.lane(entry.user);
    for (;;) {
      const head = await this.opts.redis.lindex(lane, 0);
      // No lane (written before lanes existed, or expired): nothing to wait for.
      if (head === null || head === entry.id) return true;
      if (compareIds(head, entry.id) > 0) return true;
      const stillThere = await this.opts.redis.xrange(this.keys.stream, head, head);
      if (stillThere.length) return false;
      await this.opts.redis.lrem(lane, 1, head);
    }
  }

  private async runEntry(entry: InboxEntry<T>): Promise<boolean> {
    await this.quiet.wait();
    try {
      if (!(await this.heads(entry))) return false;
    } catch {
      return false; // Redis unreachable: tried again shortly, the entry stays held here
    }
    try {
      await this.opts.run(entry);
    } catch (err) {
      // The runner answers for its own failures (the user gets an apology); a turn that throws
      // here would throw again on a re-run, so it is not kept for one.
      this.opts.log.error({ platform: this.opts.platform, error: describe(err) }, 'inbox turn failed');
    }
    await this.done(entry.id, 'done', entry.user);
    return true;
  }

  /** XACK and XDEL together: a done entry neither runs again nor stays in the stream. */
  private async done(id: string, why: 'done' | 'unreadable', user?: string): Promise<void> {
    if (why === 'unreadable') this.opts.log.warn({ platform: this.opts.platform, id }, 'inbox entry of an unknown shape dropped');
    for (let attempt = 0; attempt < DONE_ATTEMPTS; attempt++) {
      try {
        const tx = this.opts.redis.multi().xack(this.keys.stream, INBOX_GROUP, id).xdel(this.keys.stream, id);
        // The user's next entry may run now (in whichever process holds it).
        if (user !== undefined) tx.lrem(this.keys.lane(user), 1, id);
        await tx.exec();
        this.appended.delete(id);
        return;
      } catch {
        await sleep(200 * 2 ** attempt);
      }
    }
    this.appended.delete(id);
    this.opts.log.warn({ platform: this.opts.platform, id }, 'inbox entry not acknowledged; another process will replay its turn (no second effect)');
  }
}
