// A compact CSR (compressed sparse row) snapshot of a graph's edges: typed arrays only, so a
// 2.4M-edge graph takes tens of MB and every algorithm walks adjacency without allocating.
// Vertices are dense indexes 0..n-1; `ids` maps an index back to the id clients know (a vid of
// a JobDesk graph, or the id written in a `src,dst[,weight]` file).

/** A vertex id as clients see it: a graph's vid (integer) or a file's id text (a number when every id is an integer). */
export type VertexId = number | string

export interface Csr {
  /** Vertex count. */
  n: number
  /** Edge count (directed edges as stored; a symmetric snapshot counts both directions). */
  m: number
  /** Out-edges of i are targets[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array
  targets: Int32Array
  /** Edge weights aligned with `targets`, or null when unweighted (every weight 1). */
  weights: Float64Array | null
  ids: VertexId[]
}

/** An edge list being collected: grows its typed arrays by doubling, never past `cap` edges (the caller bounds what it adds). */
export class EdgeList {
  src = new Int32Array(1024)
  dst = new Int32Array(1024)
  weight: Float64Array | null
  m = 0

  constructor(
    weighted: boolean,
    private readonly cap = Number.POSITIVE_INFINITY,
  ) {
    this.weight = weighted ? new Float64Array(1024) : null
  }

  add(s: number, d: number, w = 1): void {
    if (this.m === this.src.length) this.grow()
    this.src[this.m] = s
    this.dst[this.m] = d
    if (this.weight) this.weight[this.m] = w
    this.m++
  }

  private grow(): void {
    const size = Math.max(this.src.length + 1, Math.min(this.src.length * 2, this.cap))
    const src = new Int32Array(size)
    src.set(this.src)
    const dst = new Int32Array(size)
    dst.set(this.dst)
    this.src = src
    this.dst = dst
    if (this.weight) {
      const w = new Float64Array(size)
      w.set(this.weight)
      this.weight = w
    }
  }
}

/** Builds the CSR of n vertices from an edge list (counting sort by source: O(n + m)). Each row keeps the list's order. */
export function buildCsr(n: number, edges: EdgeList, ids: VertexId[]): Csr {
  const { src, dst, weight, m } = edges
  const offsets = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) offsets[src[e] + 1]++
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i]
  const fill = offsets.slice(0, n)
  const targets = new Int32Array(m)
  const weights = weight ? new Float64Array(m) : null
  for (let e = 0; e < m; e++) {
    const at = fill[src[e]]++
    targets[at] = dst[e]
    if (weights) weights[at] = weight![e]
  }
  return { n, m, offsets, targets, weights, ids }
}

/** The reverse graph: in-edges as rows (dst → src), with the same weights. */
export function reverseCsr(g: Csr): Csr {
  return reverseWithEdges(g).csr
}

/**
 * The reverse graph (counting sort by target: O(n + m)), and for each of its entries the position
 * of the same edge in `g` (`edge[i]`: an index into g.targets), which names the edge whatever way
 * it is walked. Each row lists its sources in ascending order, parallel edges in g's order.
 * `inOffsets`: the reverse's offsets when counted already (inOffsetsOf).
 */
export function reverseWithEdges(g: Csr, inOffsets: Int32Array = inOffsetsOf(g)): { csr: Csr; edge: Int32Array } {
  const { n, m, offsets, targets } = g
  const fill = inOffsets.slice(0, n)
  const sources = new Int32Array(m)
  const edge = new Int32Array(m)
  const weights = g.weights ? new Float64Array(m) : null
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const at = fill[targets[e]]++
      sources[at] = i
      edge[at] = e
      if (weights) weights[at] = g.weights![e]
    }
  }
  return { csr: { n, m, offsets: inOffsets, targets: sources, weights, ids: g.ids }, edge }
}

/** The offsets of g's reverse (in-degrees summed: in-edges of i are entries [r[i], r[i + 1]) of it), by one counting pass. */
export function inOffsetsOf(g: Csr): Int32Array {
  const { n, m, targets } = g
  const inOffsets = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) inOffsets[targets[e] + 1]++
  for (let i = 0; i < n; i++) inOffsets[i + 1] += inOffsets[i]
  return inOffsets
}

/** Every edge in both directions (IS_DIRECTED=false: "the system automatically adds the reverse edge"). */
export function symmetricCsr(g: Csr): Csr {
  const edges = new EdgeList(g.weights !== null)
  edges.src = new Int32Array(g.m * 2)
  edges.dst = new Int32Array(g.m * 2)
  if (g.weights) edges.weight = new Float64Array(g.m * 2)
  let k = 0
  for (let i = 0; i < g.n; i++) {
    for (let e = g.offsets[i]; e < g.offsets[i + 1]; e++) {
      const j = g.targets[e]
      const w = g.weights ? g.weights[e] : 1
      edges.src[k] = i
      edges.dst[k] = j
      if (edges.weight) edges.weight[k] = w
      k++
      edges.src[k] = j
      edges.dst[k] = i
      if (edges.weight) edges.weight[k] = w
      k++
    }
  }
  edges.m = k
  return buildCsr(g.n, edges, g.ids)
}

/**
 * The simple undirected graph: both directions, each neighbour once, no self-loops, rows sorted
 * ascending (triangles, clustering, k-core and Jaccard count neighbours, not parallel edges).
 */
export function simpleUndirected(g: Csr): Csr {
  const sym = symmetricCsr({ ...g, weights: null })
  const { n, offsets, targets } = sym
  const outOffsets = new Int32Array(n + 1)
  const outTargets = new Int32Array(sym.m)
  let k = 0
  for (let i = 0; i < n; i++) {
    const row = targets.subarray(offsets[i], offsets[i + 1])
    row.sort()
    let last = -1
    for (let e = 0; e < row.length; e++) {
      const j = row[e]
      if (j === i || j === last) continue
      outTargets[k++] = j
      last = j
    }
    outOffsets[i + 1] = k
  }
  return { n, m: k, offsets: outOffsets, targets: outTargets.slice(0, k), weights: null, ids: g.ids }
}

/** Out-degree of vertex i (edges, parallel ones counted). */
export const degreeOf = (g: Csr, i: number): number => g.offsets[i + 1] - g.offsets[i]

/** Bytes the snapshot's arrays hold (for the log and the cache's budget). */
export const csrBytes = (g: Csr): number => g.offsets.byteLength + g.targets.byteLength + (g.weights?.byteLength ?? 0)
