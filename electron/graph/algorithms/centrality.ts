// Betweenness (Brandes 2001) and closeness centrality: one shortest-path search per source, BFS
// when unweighted, Dijkstra when the snapshot has weights. Both follow out-edges; give them the
// symmetric snapshot for IS_DIRECTED=false (betweenness then halves, each path counted once).
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'
import { MinHeap } from '../heap'

/** Reusable buffers for one shortest-path search from a source. */
class Search {
  readonly dist: Float64Array
  readonly sigma: Float64Array
  readonly order: Int32Array
  settled = 0
  private readonly heap = new MinHeap()

  constructor(private readonly g: Csr) {
    this.dist = new Float64Array(g.n)
    this.sigma = new Float64Array(g.n)
    this.order = new Int32Array(g.n)
  }

  /** Fills dist (Infinity when unreached), sigma (number of shortest paths) and order (settled, nearest first). */
  from(s: number, ctl: AlgorithmControl): void {
    const { offsets, targets, weights } = this.g
    const { dist, sigma, order } = this
    dist.fill(Infinity)
    sigma.fill(0)
    dist[s] = 0
    sigma[s] = 1
    this.settled = 0
    if (!weights) {
      let head = 0
      order[this.settled++] = s
      while (head < this.settled) {
        const v = order[head++]
        const dv = dist[v] + 1
        for (let e = offsets[v], to = offsets[v + 1]; e < to; e++) {
          const w = targets[e]
          if (dist[w] === Infinity) {
            dist[w] = dv
            order[this.settled++] = w
          }
          if (dist[w] === dv) sigma[w] += sigma[v]
          ctl.tick()
        }
      }
      return
    }
    const heap = this.heap
    heap.clear()
    heap.push(s, 0)
    const done = new Uint8Array(this.g.n)
    while (heap.size > 0) {
      const d = heap.topKey()
      const v = heap.pop()
      if (done[v] || d > dist[v]) continue
      done[v] = 1
      order[this.settled++] = v
      for (let e = offsets[v], to = offsets[v + 1]; e < to; e++) {
        const w = targets[e]
        const nd = d + weights[e]
        if (nd < dist[w]) {
          dist[w] = nd
          sigma[w] = sigma[v]
          heap.push(w, nd)
        } else if (nd === dist[w]) {
          sigma[w] += sigma[v]
        }
        ctl.tick()
      }
    }
  }
}

/**
 * Betweenness of every vertex, not normalised (graphology's `normalized: false`); `undirected`
 * halves the sums. `sources`: only these sources (CHOSEN), else every vertex.
 */
export function betweenness(g: Csr, undirected: boolean, ctl: AlgorithmControl, sources?: number[]): Float64Array {
  const { n, offsets, targets, weights } = g
  const score = new Float64Array(n)
  const delta = new Float64Array(n)
  const search = new Search(g)
  const list = sources ?? null
  const count = list ? list.length : n
  for (let k = 0; k < count; k++) {
    const s = list ? list[k] : k
    search.from(s, ctl)
    const { dist, sigma, order } = search
    delta.fill(0)
    for (let x = search.settled - 1; x >= 0; x--) {
      const v = order[x]
      for (let e = offsets[v], to = offsets[v + 1]; e < to; e++) {
        const w = targets[e]
        if (dist[w] === dist[v] + (weights ? weights[e] : 1) && sigma[w] > 0) delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w])
      }
      if (v !== s) score[v] += delta[v]
    }
    if ((k & 0x3f) === 0) ctl.progress(k / count)
  }
  if (undirected) for (let i = 0; i < n; i++) score[i] /= 2
  return score
}

/** Closeness of every vertex: (vertices reached) / (sum of their distances); 0 when it reaches none. */
export function closeness(g: Csr, ctl: AlgorithmControl): Float64Array {
  const out = new Float64Array(g.n)
  const search = new Search(g)
  for (let s = 0; s < g.n; s++) {
    search.from(s, ctl)
    let total = 0
    for (let x = 1; x < search.settled; x++) total += search.dist[search.order[x]]
    out[s] = total > 0 ? (search.settled - 1) / total : 0
    if ((s & 0x3f) === 0) ctl.progress(s / g.n)
  }
  return out
}

/** Distances from `s` (Infinity when unreached) and, with `parents`, the predecessor on one shortest path (-1 at the root). */
export function shortestFrom(g: Csr, s: number, ctl: AlgorithmControl, parents = false): { dist: Float64Array; order: Int32Array; reached: number; parent: Int32Array | null } {
  const { n, offsets, targets, weights } = g
  const dist = new Float64Array(n).fill(Infinity)
  const order = new Int32Array(n)
  const parent = parents ? new Int32Array(n).fill(-1) : null
  let reached = 0
  dist[s] = 0
  if (!weights) {
    let head = 0
    order[reached++] = s
    while (head < reached) {
      const v = order[head++]
      for (let e = offsets[v], to = offsets[v + 1]; e < to; e++) {
        const w = targets[e]
        if (dist[w] === Infinity) {
          dist[w] = dist[v] + 1
          if (parent) parent[w] = v
          order[reached++] = w
        }
        ctl.tick()
      }
    }
    return { dist, order, reached, parent }
  }
  const heap = new MinHeap()
  const done = new Uint8Array(n)
  heap.push(s, 0)
  while (heap.size > 0) {
    const d = heap.topKey()
    const v = heap.pop()
    if (done[v] || d > dist[v]) continue
    done[v] = 1
    order[reached++] = v
    for (let e = offsets[v], to = offsets[v + 1]; e < to; e++) {
      const w = targets[e]
      const nd = d + weights[e]
      if (nd < dist[w]) {
        dist[w] = nd
        if (parent) parent[w] = v
        heap.push(w, nd)
      }
      ctl.tick()
    }
  }
  return { dist, order, reached, parent }
}
