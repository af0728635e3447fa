import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { EMBEDDED_DATA_DIR, embeddedFile } from './embedded-paths.js';


/** Another process holds the data file: the embedded store serves exactly one process. */
export class EmbeddedDataBusy extends Error {
  override readonly name = 'EmbeddedDataBusy';
}

export type Clock = () => number;

/**
 * One SQLite file holding the same keys the Redis layout uses (src/store/keys.ts), with an
 * optional expiry per key. Every write is a transaction that SQLite fsyncs before it returns
 * (WAL, synchronous=FULL): a kill -9 loses at most the write in flight and never leaves half
 * of one. The file is locked exclusively for as long as it is open, so a second process is
 * refused at open instead of racing this one.
 */
export class EmbeddedDb {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string, number], { value: string }>;
  private readonly setStmt: Database.Statement<[string, string, number | null]>;
  private readonly delStmt: Database.Statement<[string]>;
  private readonly prefixStmt: Database.Statement<[number, string, number], { key: string }>;
  private readonly deletePrefixStmt: Database.Statement<[number, string]>;
  private readonly ttlStmt: Database.Statement<[string, number], { expires_at: number | null }>;

  constructor(
    dir: string = EMBEDDED_DATA_DIR,
    readonly now: Clock = Date.now,
  ) {
    mkdirSync(resolve(dir), { recursive: true });
    this.path = embeddedFile(dir);
    this.db = new Database(this.path, { timeout: 0 });
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      // Switching to WAL writes, so this is where a second process meets the lock.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      // `forget` must leave nothing readable in the file: deleted rows are overwritten with zeros.
      this.db.pragma('secure_delete = ON');
      this.db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID');
      this.db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now());
    } catch (err) {
      this.db.close();
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_BUSY')) {
        throw new EmbeddedDataBusy(`another offboard process is using ${this.path}`, { cause: err });
      }
      throw err;
    }
    this.getStmt = this.db.prepare('SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
    this.setStmt = this.db.prepare('INSERT OR REPLACE INTO kv (key, value, expires_at) VALUES (?, ?, ?)');
    this.delStmt = this.db.prepare('DELETE FROM kv WHERE key = ?');
    this.prefixStmt = this.db.prepare('SELECT key FROM kv WHERE substr(key, 1, ?) = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key');
    this.deletePrefixStmt = this.db.prepare('DELETE FROM kv WHERE substr(key, 1, ?) = ?');
    this.ttlStmt = this.db.prepare('SELECT expires_at FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
  }

  get(key: string): string | null {
    return this.getStmt.get(key, this.now())?.value ?? null;
  }

  /** `ttlSeconds` undefined: kept until deleted. */
  set(key: string, value: string, ttlSeconds?: number): void {
    this.setStmt.run(key, value, ttlSeconds === undefined ? null : this.now() + ttlSeconds * 1000);
  }

  del(key: string): void {
    this.delStmt.run(key);
  }

  /** Deletes every key starting with `prefix`, expired or not, in one transaction. */
  deletePrefix(prefix: string): void {
    this.deletePrefixStmt.run(prefix.length, prefix);
    // The write-ahead log still holds the old pages until it is folded into the file and emptied.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Live keys starting with `prefix`, sorted. */
  keysWithPrefix(prefix: string): string[] {
    return this.prefixStmt.all(prefix.length, prefix, this.now()).map((row) => row.key);
  }

  /** Seconds left (rounded up), -1 for a key without expiry, -2 for a missing one — as Redis's TTL. */
  ttl(key: string): number {
    const row = this.ttlStmt.get(key, this.now());
    if (!row) return -2;
    return row.expires_at === null ? -1 : Math.ceil((row.expires_at - this.now()) / 1000);
  }

  /** Runs `work` as one transaction: all of its writes land, or none do. */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
