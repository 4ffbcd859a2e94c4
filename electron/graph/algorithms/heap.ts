// A binary min-heap of (vertex, distance) on typed arrays, for Dijkstra. Entries are pushed again
// on a decrease (lazy deletion): the caller skips an entry whose distance is stale.
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
