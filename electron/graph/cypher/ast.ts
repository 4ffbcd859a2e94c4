// The Cypher syntax tree the planner works on, built from the ANTLR parse tree (parse.ts). Only
// what TuGraph's dialect supports has a node here; anything else is refused while parsing.

/** Where a construct starts in the query text: 1-based line and column, 0-based offset. */
export interface Pos {
  line: number
  column: number
  offset: number
}

export type Expr =
  | { k: 'lit'; value: unknown; pos: Pos }
  | { k: 'param'; name: string; pos: Pos }
  | { k: 'var'; name: string; pos: Pos }
  | { k: 'prop'; target: Expr; key: string; pos: Pos }
  | { k: 'index'; target: Expr; index: Expr; pos: Pos }
  | { k: 'slice'; target: Expr; from?: Expr; to?: Expr; pos: Pos }
  | { k: 'list'; items: Expr[]; pos: Pos }
  | { k: 'map'; entries: [string, Expr][]; pos: Pos }
  | { k: 'unary'; op: '-' | '+' | 'NOT'; arg: Expr; pos: Pos }
  | { k: 'binary'; op: string; left: Expr; right: Expr; pos: Pos }
  | { k: 'isnull'; arg: Expr; not: boolean; pos: Pos }
  | { k: 'haslabel'; arg: Expr; labels: string[]; pos: Pos }
  | { k: 'call'; name: string; distinct: boolean; args: Expr[]; star?: boolean; text: string; pos: Pos }
  | { k: 'case'; subject?: Expr; whens: [Expr, Expr][]; else?: Expr; pos: Pos }
  | { k: 'listcomp'; variable: string; source: Expr; where?: Expr; map?: Expr; pos: Pos }
  | { k: 'quantifier'; kind: 'all' | 'any' | 'none' | 'single'; variable: string; source: Expr; where?: Expr; pos: Pos }
  | { k: 'reduce'; acc: string; init: Expr; variable: string; source: Expr; body: Expr; pos: Pos }
  | { k: 'exists'; pattern: PatternPath; pos: Pos }

export interface NodePat {
  variable?: string
  labels: string[]
  props?: Expr
  where?: Expr
  pos: Pos
}

export interface RelPat {
  variable?: string
  types: string[]
  props?: Expr
  where?: Expr
  /** 'out' (a)-[]->(b), 'in' (a)<-[]-(b), 'both' (a)-[]-(b). */
  dir: 'out' | 'in' | 'both'
  /** Variable length: min and max hops (max undefined = unbounded). */
  varLength?: { min: number; max?: number }
  pos: Pos
}

/** One path of a pattern: nodes[i] -rels[i]- nodes[i+1]. */
export interface PatternPath {
  pathVar?: string
  nodes: NodePat[]
  rels: RelPat[]
  /** shortestPath / allShortestPaths. */
  shortest?: 'one' | 'all'
  pos: Pos
}

export interface ReturnItem {
  expr: Expr
  alias?: string
  /** The column name: the alias, or the expression as written. */
  name: string
  /** The expression as written. */
  text: string
}

export interface OrderItem {
  expr: Expr
  desc: boolean
  text: string
}

export interface Projection {
  distinct: boolean
  star: boolean
  items: ReturnItem[]
  order: OrderItem[]
  skip?: Expr
  limit?: Expr
}

export type SetItem =
  | { k: 'prop'; target: Expr; key: string; value: Expr; pos: Pos }
  | { k: 'replace'; variable: string; value: Expr; pos: Pos }
  | { k: 'merge'; variable: string; value: Expr; pos: Pos }
  | { k: 'label'; variable: string; labels: string[]; pos: Pos }

export type RemoveItem = { k: 'prop'; target: Expr; key: string; pos: Pos } | { k: 'label'; variable: string; labels: string[]; pos: Pos }

export type Clause =
  | { k: 'match'; optional: boolean; patterns: PatternPath[]; where?: Expr; pos: Pos }
  | { k: 'with'; proj: Projection; where?: Expr; pos: Pos }
  | { k: 'return'; proj: Projection; pos: Pos }
  | { k: 'unwind'; expr: Expr; variable: string; pos: Pos }
  | { k: 'create'; patterns: PatternPath[]; pos: Pos }
  | { k: 'merge'; pattern: PatternPath; onCreate: SetItem[]; onMatch: SetItem[]; pos: Pos }
  | { k: 'set'; items: SetItem[]; pos: Pos }
  | { k: 'remove'; items: RemoveItem[]; pos: Pos }
  | { k: 'delete'; detach: boolean; exprs: Expr[]; pos: Pos }
  | { k: 'call'; name: string; args?: Expr[]; yields?: { name: string; alias?: string }[]; yieldStar: boolean; where?: Expr; pos: Pos }

export interface SingleQuery {
  clauses: Clause[]
}

/** A statement: single queries joined by UNION (all = UNION ALL between part i-1 and i). */
export interface Statement {
  parts: SingleQuery[]
  unionAll: boolean[]
  /** EXPLAIN / PROFILE prefix: plan only. */
  explain?: 'EXPLAIN' | 'PROFILE'
}
