// Small graphs for the algorithm tests, as snapshots and as graphology graphs (the oracle).
import Graph from 'graphology'
import { buildCsr, EdgeList } from '../../../electron/graph/algorithms/csr'
import { Snapshot } from '../../../electron/graph/algorithms/snapshot'

/** A snapshot of vertices 0..n-1 (ids = indexes) from [src, dst, weight?] triples. */
export function snapshotOf(n: number, edges: [number, number, number?][], weighted = false): Snapshot {
  const list = new EdgeList(weighted)
  for (const [s, d, w] of edges) list.add(s, d, w ?? 1)
  return new Snapshot(buildCsr(n, list, Array.from({ length: n }, (_, i) => i)), 'test graph')
}

/** The same edges as a graphology graph (keys are the indexes as text). */
export function graphologyOf(n: number, edges: [number, number, number?][], type: 'directed' | 'undirected' = 'directed'): Graph {
  const g = new Graph({ type, multi: false, allowSelfLoops: true })
  for (let i = 0; i < n; i++) g.addNode(String(i))
  for (const [s, d, w] of edges) if (!g.hasEdge(String(s), String(d))) g.addEdge(String(s), String(d), { weight: w ?? 1 })
  return g
}

/** K_n: every pair once (i < j). */
export const complete = (n: number): [number, number][] => {
  const out: [number, number][] = []
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j])
  return out
}

/** A random directed graph with a fixed seed: n vertices, m edges, no self-loops or duplicates. */
export function randomEdges(n: number, m: number, seed = 1): [number, number][] {
  let a = seed
  const rnd = () => {
    a = (a * 1103515245 + 12345) % 2147483648
    return a / 2147483648
  }
  const seen = new Set<string>()
  const out: [number, number][] = []
  while (out.length < m) {
    const s = Math.floor(rnd() * n)
    const d = Math.floor(rnd() * n)
    if (s === d || seen.has(`${s},${d}`)) continue
    seen.add(`${s},${d}`)
    out.push([s, d])
  }
  return out
}
