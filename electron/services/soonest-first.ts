// A binary min-heap of (time, key) pairs for the sign-in back-off (login-throttle.ts): which
// set-aside back-off ends first. graph/heap.ts holds the graph side's heaps, on typed arrays of
// vertex numbers; these keys are strings.

/** One (time, key) pair; the caller decides whether it is still current (lazy deletion). */
export interface Timed {
  /** Epoch ms. */
  at: number
  key: string
}

/** A min-heap of Timed by `at`: push and pop O(log n), peek O(1). Stale pairs are the caller's to skip. */
export class SoonestFirst {
  private items: Timed[] = []

  get size(): number {
    return this.items.length
  }

  /** The pair with the smallest `at`, or undefined when empty. */
  peek(): Timed | undefined {
    return this.items[0]
  }

  push(at: number, key: string): void {
    const a = this.items
    let i = a.length
    a.push({ at, key })
    while (i > 0) {
      const p = (i - 1) >> 1
      if (a[p].at <= at) break
      a[i] = a[p]
      i = p
    }
    a[i] = { at, key }
  }

  /** Removes and returns the pair with the smallest `at` (undefined when empty). */
  pop(): Timed | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length === 0 || !last) return top
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= a.length) break
      if (c + 1 < a.length && a[c + 1].at < a[c].at) c++
      if (a[c].at >= last.at) break
      a[i] = a[c]
      i = c
    }
    a[i] = last
    return top
  }

  /** Keeps only the pairs `keep` accepts (O(n)): for dropping stale pairs in one go. */
  filter(keep: (t: Timed) => boolean): void {
    const kept = this.items.filter(keep)
    this.items = []
    for (const t of kept) this.push(t.at, t.key)
  }
}
