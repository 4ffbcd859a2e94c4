// Triangles on the simple undirected snapshot: each vertex keeps only the neighbours ranked above
// it (by degree, then index), so every triangle is found once, from its lowest-ranked corner, by
// marking that corner's neighbours. O(m^1.5) at worst, far less on social graphs.
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

export interface TriangleVisitor {
  /** Called once per triangle (a, b, c vertex indexes) when listing. */
  (a: number, b: number, c: number): void
}

/** Triangles per vertex and in all; `visit` (optional) sees every triangle. */
export function countTriangles(g: Csr, ctl: AlgorithmControl, visit?: TriangleVisitor): { total: number; perVertex: Float64Array } {
  const { n, offsets, targets } = g
  const degree = new Int32Array(n)
  for (let i = 0; i < n; i++) degree[i] = offsets[i + 1] - offsets[i]
  // forward adjacency: neighbours ranked above (higher degree, then higher index)
  const fOffsets = new Int32Array(n + 1)
  const fTargets = new Int32Array(g.m >> 1 || 1)
  let at = 0
  for (let i = 0; i < n; i++) {
    const di = degree[i]
    for (let e = offsets[i], to = offsets[i + 1]; e < to; e++) {
      const j = targets[e]
      const dj = degree[j]
      if (dj > di || (dj === di && j > i)) fTargets[at++] = j
    }
    fOffsets[i + 1] = at
  }
  const perVertex = new Float64Array(n)
  const mark = new Int32Array(n).fill(-1)
  let total = 0
  for (let u = 0; u < n; u++) {
    const from = fOffsets[u]
    const to = fOffsets[u + 1]
    for (let e = from; e < to; e++) mark[fTargets[e]] = u
    for (let e = from; e < to; e++) {
      const v = fTargets[e]
      for (let f = fOffsets[v], vt = fOffsets[v + 1]; f < vt; f++) {
        const w = fTargets[f]
        if (mark[w] === u) {
          total++
          perVertex[u]++
          perVertex[v]++
          perVertex[w]++
          visit?.(u, v, w)
        }
      }
      ctl.tick()
    }
    if ((u & 0xffff) === 0) ctl.progress(u / n)
  }
  return { total, perVertex }
}

/** Local clustering coefficient of each vertex: 2T / (d (d − 1)), 0 below degree 2. */
export function localClustering(g: Csr, perVertex: Float64Array): Float64Array {
  const out = new Float64Array(g.n)
  for (let i = 0; i < g.n; i++) {
    const d = g.offsets[i + 1] - g.offsets[i]
    out[i] = d < 2 ? 0 : (2 * perVertex[i]) / (d * (d - 1))
  }
  return out
}

/** Global clustering coefficient (transitivity): 3 × triangles / connected triples. */
export function globalClustering(g: Csr, triangles: number): number {
  let triples = 0
  for (let i = 0; i < g.n; i++) {
    const d = g.offsets[i + 1] - g.offsets[i]
    triples += (d * (d - 1)) / 2
  }
  return triples === 0 ? 0 : (3 * triangles) / triples
}
