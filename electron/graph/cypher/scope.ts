// Which variables a row holds, at which slot, and what each is (a vertex, an edge, a path, a
// value): rows are arrays; every operator knows the scope of the rows it reads and writes.
import { cypherError } from './errors'

export type VarKind = 'node' | 'rel' | 'rels' | 'path' | 'value'

/** A row of values, one per variable of its scope. */
export type Row = import('./values').Value[]

export class Scope {
  private readonly slots = new Map<string, number>()
  readonly names: string[] = []
  readonly kinds: VarKind[] = []

  static of(entries: [string, VarKind][]): Scope {
    const s = new Scope()
    for (const [n, k] of entries) s.add(n, k)
    return s
  }

  get size(): number {
    return this.names.length
  }

  has(name: string): boolean {
    return this.slots.has(name)
  }

  /** The slot of `name`; throws TuGraph's "Unknown variable: x". */
  slot(name: string): number {
    const i = this.slots.get(name)
    if (i === undefined) throw cypherError('cypher_semantic', `Unknown variable: ${name}`)
    return i
  }

  kind(name: string): VarKind | undefined {
    const i = this.slots.get(name)
    return i === undefined ? undefined : this.kinds[i]
  }

  /** Adds a variable at the next slot (or returns the slot it has). */
  add(name: string, kind: VarKind): number {
    const i = this.slots.get(name)
    if (i !== undefined) return i
    this.slots.set(name, this.names.length)
    this.names.push(name)
    this.kinds.push(kind)
    return this.names.length - 1
  }

  clone(): Scope {
    const s = new Scope()
    this.names.forEach((n, i) => s.add(n, this.kinds[i]))
    return s
  }
}
