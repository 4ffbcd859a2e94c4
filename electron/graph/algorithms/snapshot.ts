// A snapshot and the views algorithms derive from it (reverse, symmetric, simple undirected), each
// built once on first use and kept with the snapshot while it is cached.
import { csrBytes, reverseCsr, simpleUndirected, symmetricCsr, type Csr, type VertexId } from './csr'

/**
 * A graph snapshot's vertices beside their client ids (`Csr.ids`: primary-key values, or
 * `Label:pk` for every vertex when `qualified`, see from-graph.ts): the store's vid of each index
 * (for write-back) and its vertex label.
 */
export interface GraphVertices {
  ids: VertexId[]
  /** vids[i]: the store's vid of vertex index i. */
  vids: Float64Array
  /** labelOf[i]: index into labelNames. */
  labelOf: Uint32Array
  labelNames: string[]
  /** Primary-key values repeat across vertex labels, so every id is `Label:pk`. */
  qualified: boolean
}

/** A bare key that several vertices of a qualified snapshot have. */
const AMBIGUOUS = -1

export class Snapshot {
  private reverseView: Csr | null = null
  private symmetricView: Csr | null = null
  private simpleView: Csr | null = null
  private index: Map<string, number> | null = null
  private bareIndex: Map<string, number> | null = null

  constructor(
    /** The edges as stored (directed). */
    readonly csr: Csr,
    /** What it was built from, for the log: `graph g, edge label e, weight w` or `file f`. */
    readonly description: string,
    /** For a graph's snapshot: vids and labels of the vertices (undefined for a file). */
    readonly vertices?: GraphVertices,
  ) {}

  get n(): number {
    return this.csr.n
  }

  get reverse(): Csr {
    return (this.reverseView ??= reverseCsr(this.csr))
  }

  get symmetric(): Csr {
    return (this.symmetricView ??= symmetricCsr(this.csr))
  }

  /** Both directions, each neighbour once, no self-loops, sorted rows. */
  get simple(): Csr {
    return (this.simpleView ??= simpleUndirected(this.csr))
  }

  /** The edges to follow: as stored, or both ways (IS_DIRECTED=false). */
  directed(isDirected: boolean): Csr {
    return isDirected ? this.csr : this.symmetric
  }

  /**
   * The vertex index of a client's id (ROOT, IDS1, …), matched as text against the snapshot's ids;
   * on a graph also `Label:pk`, and in a qualified snapshot a bare key that one vertex alone has.
   * Undefined when no vertex (or, see `candidates`, more than one) answers to it.
   */
  indexOf(id: string): number | undefined {
    const text = id.trim()
    if (!this.index) {
      this.index = new Map()
      this.csr.ids.forEach((v, i) => this.index!.set(String(v), i))
    }
    const exact = this.index.get(text)
    if (exact !== undefined) return exact
    const v = this.vertices
    if (!v) return undefined
    if (v.qualified) {
      const i = this.bare().get(text)
      return i === AMBIGUOUS ? undefined : i
    }
    // `Label:pk` where the ids are bare keys: the key's vertex, if it has that label
    const colon = text.indexOf(':')
    if (colon < 0) return undefined
    const i = this.index.get(text.slice(colon + 1))
    return i !== undefined && v.labelNames[v.labelOf[i]] === text.slice(0, colon) ? i : undefined
  }

  /** The `Label:pk` ids a bare key of a qualified snapshot could mean (two or more when it is ambiguous). */
  candidates(id: string): string[] {
    const v = this.vertices
    const text = id.trim()
    if (!v?.qualified) return []
    return v.labelNames.map((l) => `${l}:${text}`).filter((q) => this.index?.has(q))
  }

  /** Bare key → index, or AMBIGUOUS when several labels have it (qualified snapshots only). */
  private bare(): Map<string, number> {
    if (!this.bareIndex) {
      const v = this.vertices!
      const m = new Map<string, number>()
      this.csr.ids.forEach((id, i) => {
        const key = String(id).slice(v.labelNames[v.labelOf[i]].length + 1)
        m.set(key, m.has(key) ? AMBIGUOUS : i)
      })
      this.bareIndex = m
    }
    return this.bareIndex
  }

  id(i: number): VertexId {
    return this.csr.ids[i]
  }

  /** The store's vid of vertex index i (graph snapshots only: write-back). */
  vid(i: number): number {
    if (!this.vertices) throw new Error('a file snapshot has no vids')
    return this.vertices.vids[i]
  }

  /** Bytes held by the snapshot and the views built so far (text ids estimated at 48 bytes each). */
  bytes(): number {
    const ids = this.csr.n > 0 && typeof this.csr.ids[0] === 'string' ? 56 : 8
    const graph = this.vertices ? this.csr.n * 12 : 0
    return [this.csr, this.reverseView, this.symmetricView, this.simpleView].reduce((b, v) => b + (v ? csrBytes(v) : 0), 0) + this.csr.n * ids + graph
  }
}
