// A snapshot and the views algorithms derive from it (reverse, symmetric, simple undirected), each
// built once on first use and kept with the snapshot while it is cached.
import { csrBytes, reverseCsr, simpleUndirected, symmetricCsr, type Csr, type VertexId } from './csr'

export class Snapshot {
  private reverseView: Csr | null = null
  private symmetricView: Csr | null = null
  private simpleView: Csr | null = null
  private index: Map<string, number> | null = null

  constructor(
    /** The edges as stored (directed). */
    readonly csr: Csr,
    /** What it was built from, for the log: `graph g, edge label e, weight w` or `file f`. */
    readonly description: string,
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

  /** The vertex index of a client's id (ROOT, IDS1, …), matched as text; undefined when not in the snapshot. */
  indexOf(id: string): number | undefined {
    if (!this.index) {
      this.index = new Map()
      this.csr.ids.forEach((v, i) => this.index!.set(String(v), i))
    }
    return this.index.get(id.trim())
  }

  id(i: number): VertexId {
    return this.csr.ids[i]
  }

  /** Bytes held by the snapshot and the views built so far. */
  bytes(): number {
    return [this.csr, this.reverseView, this.symmetricView, this.simpleView].reduce((b, v) => b + (v ? csrBytes(v) : 0), 0) + this.csr.n * 8
  }
}
