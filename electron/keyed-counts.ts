// How many of something each key holds (a user's exports or md5 checks, a job's reads), for the
// per-key caps of services, the HTTP layer and the store: a helper below them all.

/** Counts per key, keeping only the keys that hold one or more (a key's count never goes below 0). */
export class KeyedCounts<K> {
  private readonly counts = new Map<K, number>()

  /** How many `key` holds: 0 when none. */
  get(key: K): number {
    return this.counts.get(key) ?? 0
  }

  /** Counts `by` more for `key` (one unless said: bytes, for body-rate.ts); returns its new count. */
  add(key: K, by = 1): number {
    const n = this.get(key) + by
    this.counts.set(key, n)
    return n
  }

  /** Counts `by` fewer for `key` (one unless said), forgetting it at 0; returns what it holds now. */
  remove(key: K, by = 1): number {
    const left = this.get(key) - by
    if (left > 0) this.counts.set(key, left)
    else this.counts.delete(key)
    return Math.max(0, left)
  }

  /** How many keys hold one or more. */
  get size(): number {
    return this.counts.size
  }
}
