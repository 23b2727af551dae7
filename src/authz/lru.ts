/**
 * A bounded least-recently-used map with hit, miss and eviction counters. A JavaScript Map keeps
 * insertion order, so re-inserting on a hit moves the key to the young end and the first key is
 * the oldest: O(1) per operation without a linked list. A cache may also be bounded by bytes: each
 * entry is stored with its approximate size and the oldest entries go until the total fits.
 *
 * A hit moves its key to the young end only when the key is not already among the youngest
 * eighth of the capacity (by moves since it was last placed there): re-inserting a key costs a
 * Map delete and insert (and, in a hot loop over thousands of keys, rehashing), while a key that
 * young cannot be next to go. Eviction order stays least-recently-used to within that eighth.
 */

/** Counters exported to /metrics. */
export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  invalidations: number;
}

/** A bounded LRU map. */
export class LruCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  /** Moves to the young end so far (sets and refreshes); an entry's `placed` is this clock when it last moved. */
  private clock = 0;
  /** Moves after which a hit refreshes its entry again. */
  private readonly refreshAfter: number;
  /** Approximate size of each entry, kept only when the cache is bounded by bytes. */
  private readonly sizes = new Map<K, number>();
  private totalBytes = 0;
  /** Bumped whenever an entry is stored or removed (not when a hit refreshes one): what it holds changed. */
  private changes = 0;
  /** Running counters; read by the metrics endpoint. */
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };

  constructor(
    readonly capacity: number,
    /** Upper bound on the sum of entry sizes given to `set` (infinite: count entries only). */
    readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
    if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
    this.refreshAfter = Math.max(1, Math.floor(capacity / 8));
  }

  /** Sum of the sizes of the entries held (0 for a cache bounded by entries only). */
  get bytes(): number {
    return this.totalBytes;
  }

  /** A stamp that differs whenever the set of keys held may have changed since it was read. */
  get generation(): number {
    return this.changes;
  }

  /** Entries currently held. */
  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, counting a hit or a miss and refreshing its recency. */
  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.refresh(key, entry);
    return entry.value;
  }

  /** Like `get`, but a miss is not counted (for a fast path that falls back to a counted lookup). */
  peek(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    this.stats.hits++;
    this.refresh(key, entry);
    return entry.value;
  }

  /** Moves a hit entry to the young end unless it is among the youngest already (see the class comment). */
  private refresh(key: K, entry: Entry<V>): void {
    if (this.clock - entry.placed < this.refreshAfter) return;
    this.map.delete(key);
    entry.placed = this.clock++;
    this.map.set(key, entry);
  }

  /**
   * Stores `value` of approximately `bytes` bytes, evicting the least recently used entries while
   * the cache is over either bound. An entry larger than `maxBytes` on its own is not stored.
   */
  set(key: K, value: V, bytes = 0): void {
    this.remove(key);
    if (bytes > this.maxBytes) return;
    while (this.map.size > 0 && (this.map.size >= this.capacity || this.totalBytes + bytes > this.maxBytes)) {
      this.remove(this.map.keys().next().value as K);
      this.stats.evictions++;
    }
    this.map.set(key, { value, placed: this.clock++ });
    this.changes++;
    if (this.maxBytes !== Number.POSITIVE_INFINITY) {
      this.sizes.set(key, bytes);
      this.totalBytes += bytes;
    }
  }

  /** Removes `key` because what it cached changed. */
  invalidate(key: K): void {
    if (this.remove(key)) this.stats.invalidations++;
  }

  /** Removes every entry for which `stale` returns true. */
  invalidateWhere(stale: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.map) {
      if (stale(entry.value, key)) {
        this.remove(key);
        this.stats.invalidations++;
      }
    }
  }

  private remove(key: K): boolean {
    if (!this.map.delete(key)) return false;
    this.changes++;
    const size = this.sizes.get(key);
    if (size !== undefined) {
      this.sizes.delete(key);
      this.totalBytes -= size;
    }
    return true;
  }

  /** Every entry, oldest first. */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, entry] of this.map) yield [key, entry.value];
  }
}

/** A value and the clock at which it last moved to the young end. */
interface Entry<V> {
  readonly value: V;
  placed: number;
}
