// Compiled form of a path: the tokens parser.ts produces and walk.ts follows,
// filter predicates as jsonpath-plus safe-eval programs, and Jayway's definite/indefinite analysis.

/** Jayway's UNDEFINED: "no value here", distinct from a JSON null. */
export const UNDEF = Symbol('jsonpath.undefined')

export type RelOp =
  | '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '=~'
  | 'IN' | 'NIN' | 'CONTAINS' | 'ALL' | 'SIZE' | 'EMPTY' | 'SUBSETOF' | 'ANYOF' | 'NONEOF'
  | 'EXISTS' | 'TYPE' | 'MATCHES'

const REL_OPS: ReadonlySet<string> = new Set<RelOp>([
  '==', '!=', '===', '!==', '<', '<=', '>', '>=', '=~', 'IN', 'NIN', 'CONTAINS', 'ALL', 'SIZE',
  'EMPTY', 'SUBSETOF', 'ANYOF', 'NONEOF', 'EXISTS', 'TYPE', 'MATCHES',
])

export function isRelOp(text: string): text is RelOp {
  return REL_OPS.has(text)
}

export type Operand = { kind: 'path'; path: CompiledPath; shouldExist: boolean } | { kind: 'literal'; value: unknown }

export type FilterNode =
  | { kind: 'or' | 'and'; ops: FilterNode[] }
  | { kind: 'not'; op: FilterNode }
  | { kind: 'rel'; op: RelOp; left: Operand; right: Operand }
  | { kind: 'exists'; path: CompiledPath; shouldExist: boolean }

/** A parsed safe-eval script: evaluated against a sandbox of the names its code uses. */
export interface SafeScriptRun {
  runInNewContext(sandbox: Record<string, unknown>): unknown
}

/**
 * A filter as jsonpath-plus's safe evaluator sees it: code made of generated identifiers, plus
 * their values, parsed once (`script`) and kept with the compiled path (parser.ts's bounded cache),
 * not in jsonpath-plus's JSONPath.cache, which is never emptied (each distinct 1,800-character
 * filter kept ~160 kB there; 907 requests of new ones ended the process).
 */
export interface SafeProgram {
  readonly code: string
  readonly script: SafeScriptRun
  readonly constants: readonly unknown[]
  /**
   * Units one run on one item costs (work.ts filterRunUnits): the evaluator walks every node of
   * the predicate for each item, so 2,000 nested `!(…)` cost 2,000 times a plain comparison.
   */
  readonly runUnits: number
}

export type Token =
  | { kind: 'prop'; names: string[] }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; from: number | null; to: number | null }
  | { kind: 'wildcard' }
  | { kind: 'scan' }
  | { kind: 'filter'; program: SafeProgram }
  | { kind: 'func'; name: string }

function isTokenDefinite(token: Token, leaf: boolean): boolean {
  switch (token.kind) {
    case 'prop':
      // A multi-property leaf merges into one map (definite); elsewhere it iterates.
      return token.names.length === 1 || leaf
    case 'index':
      return token.indexes.length === 1
    case 'func':
      return true
    default:
      return false
  }
}

export class CompiledPath {
  readonly tokenDefinite: readonly boolean[]
  readonly upstreamDefinite: readonly boolean[]
  readonly definite: boolean
  /** The names of a path of single-name properties only (`@.a.b`), which filter operands read without a walker; else null. */
  readonly propChain: readonly string[] | null

  constructor(
    readonly text: string,
    /** `@…` paths inside filters start at the current item, `$…` at the document root. */
    readonly fromItem: boolean,
    readonly tokens: readonly Token[],
  ) {
    this.tokenDefinite = tokens.map((t, i) => isTokenDefinite(t, i === tokens.length - 1))
    let upstream = true
    this.upstreamDefinite = this.tokenDefinite.map((definite) => {
      const before = upstream
      upstream = upstream && definite
      return before
    })
    this.definite = upstream
    const chain = tokens.every((t) => t.kind === 'prop' && t.names.length === 1)
    this.propChain = chain && tokens.length > 0 ? tokens.map((t) => (t as { names: string[] }).names[0]) : null
  }

  isLeaf(index: number): boolean {
    return index === this.tokens.length - 1
  }
}
