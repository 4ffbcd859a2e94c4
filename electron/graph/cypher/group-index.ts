// Group numbers by grouping key for Cypher's aggregation (execute.ts): keys that are small
// non-negative integers (vertex ids, ages, counts: the usual grouping keys) in a direct-address
// table, any other key in a Map. 100,000 integer keys then cost an array write each instead of a
// hash-map insert (the Map's rehashes as it grows were a fifth of a whole-graph aggregation).

/** Keys below this go to the table (at most 16 MiB of it); larger and other keys to the Map. */
const DENSE_LIMIT = 1 << 22

export class GroupIndex {
  /** Group number + 1 by key (0: none yet). */
  private dense = new Int32Array(0)
  private readonly map = new Map<string | number, number>()
  /** How many groups there are; they are numbered 0 … size - 1 in the order they were added. */
  size = 0

  /** The group number of a key (as execute.ts loneKey / keyOf build it), or undefined. */
  get(k: string | number): number | undefined {
    if (typeof k === 'number' && k >= 0 && k < DENSE_LIMIT && (k | 0) === k) {
      const g = k < this.dense.length ? this.dense[k] : 0
      return g === 0 ? undefined : g - 1
    }
    return this.map.get(k)
  }

  /** Adds a key that get() did not find; returns its group number. */
  add(k: string | number): number {
    const g = this.size++
    if (typeof k === 'number' && k >= 0 && k < DENSE_LIMIT && (k | 0) === k) {
      if (k >= this.dense.length) {
        const grown = new Int32Array(Math.min(DENSE_LIMIT, Math.max(k + 1, this.dense.length * 2, 1024)))
        grown.set(this.dense)
        this.dense = grown
      }
      this.dense[k] = g + 1
    } else this.map.set(k, g)
    return g
  }
}
