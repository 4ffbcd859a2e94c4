// Weakly connected components by union-find (path halving; the smaller index becomes the root),
// and the modularity of a partition (for IS_CALC_MODULARITY).
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

/** For each vertex, the smallest vertex index of its weakly connected component. */
export function weaklyConnected(g: Csr, ctl: AlgorithmControl): Int32Array {
  const { n, offsets, targets } = g
  const parent = new Int32Array(n)
  for (let i = 0; i < n; i++) parent[i] = i
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]]
      a = parent[a]
    }
    return a
  }
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i], to = offsets[i + 1]; e < to; e++) {
      const a = find(i)
      const b = find(targets[e])
      if (a < b) parent[b] = a
      else if (b < a) parent[a] = b
    }
    ctl.tick()
    if ((i & 0xffff) === 0) ctl.progress(i / n)
  }
  for (let i = 0; i < n; i++) parent[i] = find(i)
  return parent
}

/**
 * Newman's modularity of a partition, on the undirected view of the graph (edge weights when
 * present): Q = Σ_c [ in_c / M − (deg_c / 2M)² ], M the total edge weight.
 */
export function modularity(g: Csr, community: Int32Array): number {
  const { n, offsets, targets, weights } = g
  const inside = new Float64Array(n)
  const degree = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = targets[e]
      const w = weights ? weights[e] : 1
      total += w
      degree[community[i]] += w
      degree[community[j]] += w
      if (community[i] === community[j]) inside[community[i]] += w
    }
  }
  if (total === 0) return 0
  let q = 0
  for (let c = 0; c < n; c++) {
    if (degree[c] === 0) continue
    q += inside[c] / total - (degree[c] / (2 * total)) ** 2
  }
  return q
}

/** How many distinct values a labelling has. */
export function countDistinct(labels: Int32Array): number {
  const seen = new Uint8Array(labels.length)
  let count = 0
  for (const l of labels) {
    if (!seen[l]) {
      seen[l] = 1
      count++
    }
  }
  return count
}
