/**
 * String keys (compared byte for byte as UTF-8) to numbers, held outside the JS heap: a pass
 * keeps one entry for every user and every planned reminder (100,000 of each in the scale
 * bench) until the queue has been compared. In V8's heap they were ~30 MB at 100,000 users that
 * lived through the pass, and V8 lets the old generation grow to a few times what lives in it
 * before it collects, so the worker's start-up peak grew with the store (a pass's heap peaked
 * at 281 MB). Here they are ~70 bytes each outside the heap, what lives in the heap stays flat
 * through the pass (~33 MB, as before it), and the heap peaked at 130-145 MB.
 * Open addressing on FNV-1a hashes; a deleted entry stays as a tombstone until the pass ends.
 */
export class OffHeapIndex {
  private arena: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Per entry: where its key starts in the arena, its length, its hash, its value, live or not. */
  private starts = new Uint32Array(1 << 10);
  private lengths = new Uint32Array(1 << 10);
  private hashes = new Uint32Array(1 << 10);
  private values = new Float64Array(1 << 10);
  private live = new Uint8Array(1 << 10);
  private entries = 0;
  /** Entry index + 1 per slot, 0 for none; a power of two, at most half full. */
  private slots = new Uint32Array(1 << 11);
  size = 0;

  get(key: string): number | undefined {
    const e = this.find(this.stage(key));
    return e >= 0 && this.live[e] ? this.values[e] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: number): void {
    const len = this.stage(key);
    let e = this.find(len);
    if (e < 0) {
      e = this.add(len);
    }
    if (!this.live[e]) {
      this.live[e] = 1;
      this.size++;
    }
    this.values[e] = value;
  }

  delete(key: string): boolean {
    const e = this.find(this.stage(key));
    if (e < 0 || !this.live[e]) return false;
    this.live[e] = 0;
    this.size--;
    return true;
  }

  *keys(): IterableIterator<string> {
    for (let e = 0; e < this.entries; e++) if (this.live[e]) yield this.arena.toString('utf8', this.starts[e]!, this.starts[e]! + this.lengths[e]!);
  }

  /** Writes the key's bytes after the last entry's (not yet an entry) and returns their length. */
  private stage(key: string): number {
    const most = key.length * 3;
    if (this.used + most > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + most));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    return this.arena.write(key, this.used, 'utf8');
  }

  private hashOf(len: number): number {
    let h = 0x811c9dc5;
    for (let i = this.used, end = this.used + len; i < end; i++) h = Math.imul(h ^ this.arena[i]!, 0x01000193);
    return h >>> 0;
  }

  /** The entry whose key is the staged one, or -1. */
  private find(len: number): number {
    const h = this.hashOf(len);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.lengths[e] === len && this.arena.compare(this.arena, this.starts[e]!, this.starts[e]! + len, this.used, this.used + len) === 0) return e;
    }
  }

  /** Makes the staged key an entry (not yet live). */
  private add(len: number): number {
    if (this.entries === this.starts.length) this.growEntries();
    if ((this.entries + 1) * 2 > this.slots.length) this.growSlots();
    const e = this.entries++;
    this.starts[e] = this.used;
    this.lengths[e] = len;
    this.hashes[e] = this.hashOf(len);
    this.used += len;
    this.place(e);
    return e;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[e]! & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private growEntries(): void {
    const n = this.starts.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts, (k) => new Uint32Array(k));
    this.lengths = grow(this.lengths, (k) => new Uint32Array(k));
    this.hashes = grow(this.hashes, (k) => new Uint32Array(k));
    this.values = grow(this.values, (k) => new Float64Array(k));
    this.live = grow(this.live, (k) => new Uint8Array(k));
  }

  private growSlots(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let e = 0; e < this.entries; e++) this.place(e);
  }
}
