// Binary heaps of the graph side: MinHeap, (vertex, distance) pairs on typed arrays for Dijkstra
// (algorithms/centrality.ts); TopK, the k first items of a stream under any order, for Cypher's
// ORDER BY … LIMIT k (cypher/execute.ts).

/**
 * A binary min-heap of (vertex, distance) on typed arrays. Entries are pushed again on a decrease
 * (lazy deletion): the caller skips an entry whose distance is stale.
 */
export class MinHeap {
  private keys: Float64Array
  private items: Int32Array
  size = 0

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.items = new Int32Array(capacity)
  }

  clear(): void {
    this.size = 0
  }

  push(item: number, key: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      const items = new Int32Array(this.size * 2)
      items.set(this.items)
      this.keys = keys
      this.items = items
    }
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.keys[p] <= key) break
      this.keys[i] = this.keys[p]
      this.items[i] = this.items[p]
      i = p
    }
    this.keys[i] = key
    this.items[i] = item
  }

  /** The key of the top entry (call only when size > 0). */
  topKey(): number {
    return this.keys[0]
  }

  /** Removes the top entry and returns its item. */
  pop(): number {
    const top = this.items[0]
    const n = --this.size
    if (n > 0) {
      const key = this.keys[n]
      const item = this.items[n]
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        if (c + 1 < n && this.keys[c + 1] < this.keys[c]) c++
        if (this.keys[c] >= key) break
        this.keys[i] = this.keys[c]
        this.items[i] = this.items[c]
        i = c
      }
      this.keys[i] = key
      this.items[i] = item
    }
    return top
  }
}

/**
 * The first `k` items of a stream in the order of `compare` (negative: a comes first), holding k
 * items at most: a max-heap whose top is the last of those kept, replaced when a better item
 * comes. Ties keep the earlier item, so `sorted()` equals a stable sort's first k.
 */
export class TopK<T> {
  private readonly items: T[] = []
  private readonly seqs: number[] = []
  private seq = 0

  constructor(
    private readonly k: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** a after b in the final order (a max-heap on that order, ties by arrival). */
  private after(i: number, j: number): boolean {
    const c = this.compare(this.items[i], this.items[j])
    return c > 0 || (c === 0 && this.seqs[i] > this.seqs[j])
  }

  private swap(i: number, j: number): void {
    const t = this.items[i]
    this.items[i] = this.items[j]
    this.items[j] = t
    const s = this.seqs[i]
    this.seqs[i] = this.seqs[j]
    this.seqs[j] = s
  }

  get size(): number {
    return this.items.length
  }

  /** When k items are held: the last of them, which a new item must beat (compare < 0) to be kept. */
  get last(): T | undefined {
    return this.items.length === this.k && this.k > 0 ? this.items[0] : undefined
  }

  /** Offers an item; answers the item no longer kept (this one when it does not make the k, or the one it replaced), if any. */
  push(item: T): T | undefined {
    const seq = this.seq++
    if (this.k <= 0) return item
    if (this.items.length < this.k) {
      this.items.push(item)
      this.seqs.push(seq)
      let i = this.items.length - 1
      while (i > 0) {
        const p = (i - 1) >> 1
        if (!this.after(i, p)) break
        this.swap(i, p)
        i = p
      }
      return undefined
    }
    // a later item replaces the top only if strictly better (ties keep the earlier one)
    if (this.compare(item, this.items[0]) >= 0) return item
    const dropped = this.items[0]
    this.items[0] = item
    this.seqs[0] = seq
    const n = this.items.length
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && this.after(c + 1, c)) c++
      if (!this.after(c, i)) break
      this.swap(i, c)
      i = c
    }
    return dropped
  }

  /** The kept items, first first. */
  sorted(): T[] {
    const order = this.items.map((_, i) => i)
    order.sort((a, b) => this.compare(this.items[a], this.items[b]) || this.seqs[a] - this.seqs[b])
    return order.map((i) => this.items[i])
  }
}
