// Louvain community detection through graphology-communities-louvain (its speed is enough for the
// graphs a desktop holds, and it is the reference implementation). The snapshot becomes a
// graphology graph with parallel edges merged (weights summed); a seeded random source keeps runs
// repeatable. graphology runs to convergence: OUTER_ITERATION and INNER_ITERATION are accepted
// and reported, not applied. It hears a cancel as the other algorithms do (every few thousand edges):
// through its index's per-vertex call (countVisits), since it offers no hook of its own.
import Graph from 'graphology'
import louvain from 'graphology-communities-louvain'
import { createRequire } from 'node:module'
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

/** What countVisits needs of a Louvain index class of graphology-indices: its per-vertex method, and the vertex's edge range. */
type LouvainIndexClass = { prototype: Record<string, unknown> & { starts?: ArrayLike<number> } }

/** The run Louvain works for now (louvainCommunities), told of each vertex visited with its edges. */
let visiting: ((units: number) => void) | undefined

/**
 * Wraps the method that graphology's Louvain calls once per vertex it visits, in both its move loops
 * (the delta of the vertex staying in its own community), so that each visit counts the vertex and its
 * edges (`visiting`): a thrown AlgorithmStopped ends the run there. The index classes are loaded as the
 * library loads them (resolved from its own folder): the same module, so the prototypes are the ones it
 * runs. A build bundling a copy of graphology-indices would wrap the copy; graph-worker-stop's Louvain
 * test then fails.
 */
function countVisits(): void {
  const fromLouvain = createRequire(createRequire(import.meta.url).resolve('graphology-communities-louvain'))
  const { UndirectedLouvainIndex, DirectedLouvainIndex } = fromLouvain('graphology-indices/louvain') as Record<string, LouvainIndexClass>
  for (const [Index, method] of [
    [UndirectedLouvainIndex, 'fastDeltaWithOwnCommunity'],
    [DirectedLouvainIndex, 'deltaWithOwnCommunity'],
  ] as const) {
    const own = Index.prototype[method] as (this: { starts: ArrayLike<number> }, i: number, ...rest: unknown[]) => number
    Index.prototype[method] = function (this: { starts: ArrayLike<number> }, i: number, ...rest: unknown[]): number {
      visiting?.(this.starts[i + 1] - this.starts[i] + 1)
      return own.call(this, i, ...rest)
    }
  }
}
countVisits()

/** A small seeded PRNG (mulberry32), so the same graph gives the same communities. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The snapshot as a graphology graph: nodes are the vertex indexes as text, parallel edges merged. */
export function toGraphology(g: Csr, directed: boolean, ctl: AlgorithmControl): Graph {
  const graph = new Graph({ type: directed ? 'directed' : 'undirected', multi: false, allowSelfLoops: true })
  for (let i = 0; i < g.n; i++) graph.addNode(String(i))
  for (let i = 0; i < g.n; i++) {
    for (let e = g.offsets[i]; e < g.offsets[i + 1]; e++) {
      const a = String(i)
      const b = String(g.targets[e])
      const w = g.weights ? g.weights[e] : 1
      const edge = graph.edge(a, b)
      if (edge === undefined) graph.addEdge(a, b, { weight: w })
      else graph.updateEdgeAttribute(edge, 'weight', (old: number | undefined) => (old ?? 0) + w)
      ctl.tick()
    }
  }
  return graph
}

/** For each vertex, the smallest vertex index in its community, and the partition's modularity. */
export function louvainCommunities(g: Csr, directed: boolean, ctl: AlgorithmControl): { labels: Int32Array; modularity: number; count: number } {
  const graph = toGraphology(g, directed, ctl)
  ctl.progress(0.3)
  visiting = ctl.work
  let result: ReturnType<typeof louvain.detailed>
  try {
    result = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: seededRandom(42) })
  } finally {
    visiting = undefined
  }
  const labels = new Int32Array(g.n)
  const smallest = new Map<number, number>()
  for (let i = 0; i < g.n; i++) {
    const c = result.communities[String(i)]
    if (!smallest.has(c)) smallest.set(c, i)
    labels[i] = smallest.get(c)!
  }
  return { labels, modularity: result.modularity, count: result.count }
}
