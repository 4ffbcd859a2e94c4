// Jaccard similarity of neighbour sets on the simple undirected snapshot: |N(a) ∩ N(b)| / |N(a) ∪ N(b)|.
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

/**
 * One result per (a, b) pair, a from `left`; b from `right`, or, when `right` is null, every
 * vertex sharing at least one neighbour with a (the others score 0). A vertex is not paired with itself.
 */
export function jaccard(g: Csr, left: number[], right: number[] | null, ctl: AlgorithmControl, emit: (a: number, b: number, value: number) => void): void {
  const { n, offsets, targets } = g
  const degree = (i: number) => offsets[i + 1] - offsets[i]
  const mark = new Int32Array(n).fill(-1)
  const common = new Int32Array(n)
  const touched: number[] = []
  left.forEach((a, k) => {
    for (let e = offsets[a]; e < offsets[a + 1]; e++) mark[targets[e]] = a
    const score = (b: number, shared: number) => {
      const union = degree(a) + degree(b) - shared
      emit(a, b, union === 0 ? 0 : shared / union)
    }
    if (right) {
      for (const b of right) {
        if (b === a) continue
        let shared = 0
        for (let e = offsets[b]; e < offsets[b + 1]; e++) {
          if (mark[targets[e]] === a) shared++
          ctl.tick()
        }
        score(b, shared)
      }
    } else {
      touched.length = 0
      for (let e = offsets[a]; e < offsets[a + 1]; e++) {
        const x = targets[e]
        for (let f = offsets[x]; f < offsets[x + 1]; f++) {
          const b = targets[f]
          if (b === a) continue
          if (common[b] === 0) touched.push(b)
          common[b]++
          ctl.tick()
        }
      }
      touched.sort((p, q) => p - q)
      for (const b of touched) {
        score(b, common[b])
        common[b] = 0
      }
    }
    for (let e = offsets[a]; e < offsets[a + 1]; e++) mark[targets[e]] = -1
    ctl.progress((k + 1) / left.length)
  })
}
