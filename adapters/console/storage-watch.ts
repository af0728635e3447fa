import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { RedisTarget } from '../../src/config/redis-target.js';
import { CONSOLE_CLIENT_NAME } from '../../src/runtime/local-redis.js';
import { connectRedis } from '../../src/runtime/redis-connection.js';

// A killed server closes the socket and is noticed at once; a hung one only by an unanswered
// PING, so the PING runs often and is given up on quickly: the user must hear from us within 2 s.
const PING_EVERY_MS = 500;
const PING_TIMEOUT_MS = 700;
// Reconnect quickly: the user is waiting for the answer to the line typed during the outage.
const RECONNECT_MS = 250;

export interface StorageEvents {
  down: [];
  up: [];
}

/**
 * Whether Redis answers now, told as `down` / `up` events. Its own connection (not the
 * store's) so that asking never waits behind a turn's queued commands; it also announces this
 * console to other consoles sharing the Redis (see local-redis.ts).
 */
export class StorageWatch extends EventEmitter<StorageEvents> {
  private readonly redis: Redis;
  private timer: NodeJS.Timeout | undefined;
  private answering: boolean;
  private pinging = false;
  /** This console's connection name: other consoles count it, this one does not. */
  readonly name = `${CONSOLE_CLIENT_NAME}.${process.pid}.${randomBytes(4).toString('hex')}`;

  /** A URL: one server (tests); otherwise the configured target. */
  constructor(target: string | RedisTarget, initiallyUp = true) {
    super();
    this.answering = initiallyUp;
    this.redis = connectRedis(typeof target === 'string' ? { mode: 'single', url: target } : target, {
      connectionName: this.name,
      // Never queue a PING for later: an unanswered one means "down" now.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => RECONNECT_MS,
    });
    this.redis.on('error', () => undefined);
    this.redis.on('close', () => this.set(false));
    this.redis.on('ready', () => this.set(true));
    this.timer = setInterval(() => void this.ping(), PING_EVERY_MS);
    this.timer.unref();
  }

  get up(): boolean {
    return this.answering;
  }

  /** Resolves when Redis answers again (at once if it does now). */
  whenUp(): Promise<void> {
    if (this.answering) return Promise.resolve();
    return new Promise((resolve) => this.once('up', () => resolve()));
  }

  /** Resolves when Redis stops answering (never, if it keeps answering). */
  whenDown(): Promise<void> {
    if (!this.answering) return Promise.resolve();
    return new Promise((resolve) => this.once('down', () => resolve()));
  }

  /** Asks Redis now instead of at the next round: a line was just typed and waits on it. */
  check(): void {
    void this.ping();
  }

  private async ping(): Promise<void> {
    if (this.pinging || this.redis.status !== 'ready') return;
    this.pinging = true;
    let answered: boolean | undefined;
    // No timeout on the command itself: a PING still waiting when a hung server wakes up is
    // how its return is noticed (no new PING is sent while one waits).
    void this.redis
      .ping()
      .then((r) => r === 'PONG', () => false)
      .then((ok) => {
        answered = ok;
        this.pinging = false;
        this.set(ok);
      });
    await new Promise((r) => setTimeout(r, PING_TIMEOUT_MS).unref());
    // One more turn of the event loop: on a busy machine the reply may be sitting unread in
    // the socket when the timer fires late, and a slow process is not an unreachable Redis.
    await new Promise((r) => setImmediate(r));
    if (answered === undefined) this.set(false);
  }

  private set(answering: boolean): void {
    if (answering === this.answering) return;
    this.answering = answering;
    this.emit(answering ? 'up' : 'down');
  }

  /** No QUIT: while Redis is away that would wait; a closed socket says the same. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.redis.disconnect();
    this.removeAllListeners();
  }
}
