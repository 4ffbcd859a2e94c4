// PageRank by power iteration on the CSR (push along out-edges). Dangling vertices (no out-edges)
// spread their rank evenly, so the ranks always sum to 1, as in graphology-metrics' pagerank,
// which is the oracle in the tests. Weighted when the snapshot has weights: a vertex passes its
// rank in proportion to its out-edges' weights.
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

export interface PageRankOptions {
  /** ITERATIONS: at most this many passes. */
  iterations: number
  /** EPS: stop once the L1 change between two passes is below this. */
  eps: number
  /** DAMPING: the probability of following an edge (1 - DAMPING teleports). */
  damping: number
}

/** The rank of each vertex (sums to 1) and how many passes it took. */
export function pageRank(g: Csr, o: PageRankOptions, ctl: AlgorithmControl): { rank: Float64Array; iterations: number; delta: number } {
  const { n, offsets, targets, weights } = g
  let x = new Float64Array(n).fill(n > 0 ? 1 / n : 0)
  if (n === 0) return { rank: x, iterations: 0, delta: 0 }
  // what a unit of rank at i sends along each edge: w / (sum of out-weights); unweighted, 1/outdegree per vertex
  const share = weights ? new Float64Array(g.m) : null
  const perVertex = new Float64Array(n)
  const dangling: number[] = []
  for (let i = 0; i < n; i++) {
    const from = offsets[i]
    const to = offsets[i + 1]
    let total = 0
    for (let e = from; e < to; e++) total += weights ? weights[e] : 1
    if (total <= 0) {
      dangling.push(i)
      continue
    }
    perVertex[i] = 1 / total
    if (share) for (let e = from; e < to; e++) share[e] = weights![e] / total
  }
  const alpha = o.damping
  const base = (1 - alpha) / n
  let next = new Float64Array(n)
  let iterations = 0
  let delta = Infinity
  while (iterations < o.iterations) {
    let dangle = 0
    for (const d of dangling) dangle += x[d]
    next.fill(base + (alpha * dangle) / n)
    for (let i = 0; i < n; i++) {
      const xi = alpha * x[i]
      if (xi === 0) continue
      if (share) {
        for (let e = offsets[i], to = offsets[i + 1]; e < to; e++) next[targets[e]] += xi * share[e]
      } else {
        const c = xi * perVertex[i]
        for (let e = offsets[i], to = offsets[i + 1]; e < to; e++) next[targets[e]] += c
      }
      ctl.tick()
    }
    delta = 0
    for (let i = 0; i < n; i++) delta += Math.abs(next[i] - x[i])
    ;[x, next] = [next, x]
    iterations++
    ctl.check()
    ctl.progress(iterations / o.iterations)
    if (delta < o.eps) break
  }
  return { rank: x, iterations, delta }
}
