// CALL procedure(...) YIELD ...: TuGraph's built-in procedures (reference/tugraph.md §4.1).
import type { Clause } from './ast'
import { cypherError } from './errors'
import type { EvalContext } from './expressions'
import type { Row, Scope } from './scope'

/** Graph management the dbms.graph.* procedures need (provided by the worker). */
export interface GraphCatalog {
  list(): { name: string; description: string; maxSizeGb: number }[]
  create(name: string, description: string, maxSizeGb: number): void
  drop(name: string): void
}

type Op = (input: Iterable<Row>, c: EvalContext) => Iterable<Row>

export function planCall(cl: Extract<Clause, { k: 'call' }>, scope: Scope, _c: EvalContext): { scope: Scope; op: Op; writes: boolean; columns?: { name: string; kind: 'value' }[] } {
  void scope
  throw cypherError('cypher_semantic', `Procedure ${cl.name} not found.`)
}
