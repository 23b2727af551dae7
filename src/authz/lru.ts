/**
 * A bounded least-recently-used map with hit, miss and eviction counters. A JavaScript Map keeps
 * insertion order, so re-inserting on a hit moves the key to the young end and the first key is
 * the oldest: O(1) per operation without a linked list.
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
  private readonly map = new Map<K, V>();
  /** Running counters; read by the metrics endpoint. */
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  /** Entries currently held. */
  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, counting a hit or a miss and refreshing its recency. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    // Refresh only when not already the youngest, to keep hot single-key loops cheap.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Like `get`, but a miss is not counted (for a fast path that falls back to a counted lookup). */
  peek(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.stats.hits++;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) {
        this.map.delete(oldest.value);
        this.stats.evictions++;
      }
    }
    this.map.set(key, value);
  }

  /** Removes `key` because what it cached changed. */
  invalidate(key: K): void {
    if (this.map.delete(key)) this.stats.invalidations++;
  }

  /** Removes every entry for which `stale` returns true. */
  invalidateWhere(stale: (value: V, key: K) => boolean): void {
    for (const [key, value] of this.map) {
      if (stale(value, key)) {
        this.map.delete(key);
        this.stats.invalidations++;
      }
    }
  }

  /** Every entry, oldest first. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}
