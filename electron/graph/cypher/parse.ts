// Cypher text → syntax tree (ast.ts), with Neo4j's own ANTLR grammar from
// @neo4j-cypher/language-support (grammar.ts), so syntax errors carry line and column. The parse
// tree is walked by rule name; constructs TuGraph does not support are refused here with a clear
// message rather than half-run.
import type { Clause, Expr, NodePat, OrderItem, PatternPath, Pos, Projection, RelPat, RemoveItem, ReturnItem, SetItem, SingleQuery, Statement } from './ast'
import { cypherError } from './errors'
import { type FirstSyntaxError, parseStatements, ParseTooComplex } from './grammar'

/** Bounds that keep hostile text from exhausting the parser's stack or memory. */
export const MAX_QUERY_CHARS = 1_000_000
export const MAX_NESTING = 100
/** Operators in one expression (and the brackets it is nested in): more would overflow the stack of the recursive passes. */
export const MAX_OPERATORS = 2000

interface Token {
  type: number
  text: string
  line: number
  column: number
  start: number
  stop: number
}
interface Tree {
  ruleIndex?: number
  children?: Tree[] | null
  symbol?: Token
  start?: Token
  stop?: Token
}
interface AntlrParser {
  ruleNames: string[]
  numberOfSyntaxErrors: number
}
interface ParsedStatement {
  parser: AntlrParser
  ctx: Tree
  firstError?: FirstSyntaxError
}

/**
 * Statements parsed lately, by their text (most recent last): ANTLR takes 10–50 ms for a typical
 * query, more than running it against a seek, and clients repeat the same text with other
 * parameters. Trees are never changed by planning, so one can serve many runs.
 */
const parsed = new Map<string, Statement>()
const PARSED_KEPT = 256
const PARSED_MAX_CHARS = 64 * 1024

/** Parses one statement (a trailing semicolon is allowed), or takes it from the cache of recent texts. Throws cypher_syntax with line and column. */
export function parseCypher(query: string): Statement {
  const hit = parsed.get(query)
  if (hit) {
    parsed.delete(query)
    parsed.set(query, hit)
    return hit
  }
  const st = parseText(query)
  if (query.length <= PARSED_MAX_CHARS) {
    parsed.set(query, st)
    if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!)
  }
  return st
}

function parseText(query: string): Statement {
  if (query.length > MAX_QUERY_CHARS) throw cypherError('cypher_syntax', `Query too long: ${query.length} characters (at most ${MAX_QUERY_CHARS}).`)
  checkShape(query)
  const text = rewriteRegexp(query)
  const statements = parseGuarded(text).filter((s) => s.ctx && hasContent(s.ctx))
  if (statements.length === 0) throw cypherError('cypher_syntax', 'Empty query.')
  const s = statements[0]
  if (s.parser.numberOfSyntaxErrors > 0) throw syntaxError(s.firstError)
  if (statements.length > 1) throw cypherError('cypher_syntax', 'Only one statement per request is supported (found a second one after ";").')
  return new Builder(text, s.parser.ruleNames).statements(s.ctx)
}

/** parseStatements, with its give-up on too much work (grammar.ts FULL_CONTEXT_WORK) as cypher_syntax naming the place. */
function parseGuarded(text: string): ParsedStatement[] {
  try {
    return parseStatements(text) as unknown as ParsedStatement[]
  } catch (e) {
    if (!(e instanceof ParseTooComplex)) throw e
    const { line, column } = e
    throw cypherError('cypher_syntax', `Query too complex to parse: deciding its structure took the parser too much work (a syntax error inside nested CASE expressions does this) at line ${line}, column ${column}.`, { line, column })
  }
}

/** Parses a few statements so ANTLR builds its tables now, not during the first query (takes a few hundred ms). */
export function warmUpParser(): void {
  for (const q of ['MATCH (n:a {k: 1})-[r:b*1..2]->(m) WHERE n.x = $p AND m.y IN [1, 2] RETURN n, count(*) AS c ORDER BY c DESC LIMIT 10', 'UNWIND [1] AS x WITH x CREATE (n:a {k: x}) SET n.v = CASE WHEN x > 0 THEN "a" END', 'CALL db.vertexLabels() YIELD label RETURN label']) {
    parseStatements(q)
  }
}

function hasContent(t: Tree): boolean {
  return !!t.start && !!t.stop && t.stop.start >= t.start.start && t.start.type !== -1
}

/** Words that are operators (`a OR b`, `NOT a`, `x IN l`, `s STARTS WITH t`, `v IS NULL`). */
const OPERATOR_WORDS = new Set(['OR', 'XOR', 'AND', 'NOT', 'IN', 'IS', 'CONTAINS', 'STARTS', 'ENDS'])
const OPERATOR_CHARS = '+-*/%^=<>!~|.'
/** Keywords that an operand follows (`CASE WHEN end`, `x STARTS WITH end`): a CASE's END or WHEN right after one is a name. */
const NAME_BEFORE_OPERAND = new Set(['CASE', 'WHEN', 'THEN', 'ELSE', 'WITH', 'AS', 'BY', 'RETURN', 'WHERE', 'DISTINCT', 'SET', 'UNWIND', 'YIELD', 'SKIP', 'LIMIT'])

/**
 * Refuses, before the parser sees it, text whose syntax tree would be deeper than the engine's
 * recursive passes (planning, compiling, evaluating) can take: brackets and `CASE … END` nested past
 * MAX_NESTING, and operator chains (`a OR b OR …`, `1 + 1 + …`, `NOT NOT …`, `n.a.b…`) longer than
 * MAX_OPERATORS. The scan is lexical and errs on the safe side: it counts every operator (and
 * bracket, and CASE) on the path from the statement down to the current level, but for the `.` of a
 * variable's property (`n.id` adds one level, it does not chain), and only `,`, a single `|` and `;`
 * (which always end an expression), and WHEN, THEN and ELSE of a CASE, reset the count of their
 * level. Strings, backquoted names and comments are skipped. Throws cypher_syntax naming the limit,
 * line and column.
 *
 * CASE and END are also names (`WITH 1 AS end`, `n.case`, `{end: 1}`), so a CASE opens a level
 * unless it follows `.` or AS or comes before `:` (a map key; a label `:Case` does open one, closed
 * by its bracket: counted more, never less), and END (or WHEN, THEN, ELSE) closes one only right
 * after the end of an operand (a name, a literal, a closing bracket): a name cannot follow there,
 * so the parser reads the keyword too. An END read as a name never closes a level, so
 * `CASE WHEN end THEN …` cannot hide the depth; one that closes nothing (a syntax error) is left to
 * the parser.
 */
function checkShape(q: string): void {
  /** Operators counted on each open level; `kinds` says what opened it (a bracket or CASE). */
  const counts = [0]
  const kinds = ['']
  let total = 0
  /** The last token was a name not reached through `.` (a variable, so `.` after it does not chain). */
  let variable = false
  /** The last token was a property `.`: white space and comments between it and the name do not count. */
  let dot = false
  /** The last token ended an operand (a name, a literal, a closing bracket): a keyword there is not a name. */
  let operand = false
  /** The last token was AS: the name after it is an alias, never a CASE. */
  let alias = false
  const fail = (i: number, what: string) => {
    const before = q.slice(0, i)
    const line = before.split('\n').length
    const column = i - before.lastIndexOf('\n')
    throw cypherError('cypher_syntax', `${what} at line ${line}, column ${column}.`, { line, column })
  }
  const operator = (i: number) => {
    counts[counts.length - 1]++
    if (++total > MAX_OPERATORS) fail(i, `Expression too long: more than ${MAX_OPERATORS} operators in one expression (use IN [...] for a long list of alternatives)`)
  }
  const open = (i: number, kind: string) => {
    operator(i) // a call, an index, a list or map in a chain, a CASE: each adds a level to the tree
    if (counts.length > MAX_NESTING) fail(i, `Query nested too deeply: more than ${MAX_NESTING} levels of brackets and CASE expressions`)
    counts.push(0)
    kinds.push(kind)
  }
  const close = () => {
    total -= counts.pop()!
    kinds.pop()
  }
  const restart = () => {
    total -= counts[counts.length - 1]
    counts[counts.length - 1] = 0
  }
  for (let i = 0; i < q.length; i++) {
    const c = q[i]
    // white space and comments keep what the last token was (`n. /* x */ a` is still a property)
    if (/\s/.test(c)) continue
    if (c === '/' && q[i + 1] === '/') {
      while (i < q.length && q[i] !== '\n') i++
      continue
    }
    if (c === '/' && q[i + 1] === '*') {
      const end = q.indexOf('*/', i + 2)
      i = end < 0 ? q.length : end + 1
      continue
    }
    const afterVariable = variable
    const afterDot = dot
    const afterOperand = operand
    const afterAlias = alias
    variable = false
    dot = c === '.' && q[i + 1] !== '.'
    operand = false
    alias = false
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < q.length && q[i] !== c; i++) if (q[i] === '\\' && c !== '`') i++
      operand = true
    } else if (c === '(' || c === '[' || c === '{') {
      open(i, c)
    } else if (c === ')' || c === ']' || c === '}') {
      // a CASE left open inside the brackets (a syntax error) ends with them
      while (counts.length > 1 && kinds[kinds.length - 1] === 'CASE') close()
      if (counts.length > 1) close()
      operand = true
    } else if (c === ',' || c === ';' || (c === '|' && q[i + 1] !== '|' && q[i - 1] !== '|')) {
      restart()
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1
      while (j < q.length && /\w/.test(q[j])) j++
      const word = q.slice(i, j).toUpperCase()
      i = j - 1
      const inCase = kinds[kinds.length - 1] === 'CASE'
      if (afterDot) {
        operand = true // a property's name
      } else if (OPERATOR_WORDS.has(word)) {
        operator(i)
      } else if (word === 'CASE' && !afterAlias && !/^\s*:(?!:)/.test(q.slice(j, j + 64))) {
        open(i, 'CASE')
      } else if (inCase && afterOperand && word === 'END') {
        close()
        operand = true
      } else if (inCase && afterOperand && (word === 'WHEN' || word === 'THEN' || word === 'ELSE')) {
        restart()
      } else {
        variable = true
        operand = !NAME_BEFORE_OPERAND.has(word)
        alias = word === 'AS'
      }
    } else if (/\d/.test(c)) {
      // a number, with its decimal point and exponent (1.5e-3 is not a property access)
      while (i + 1 < q.length && /[\w.]/.test(q[i + 1]) && !(q[i + 1] === '.' && q[i + 2] === '.')) i++
      operand = true
    } else if (c === '.' && afterVariable && q[i + 1] !== '.') {
      // n.id: one level under a variable, not a chain
    } else if (OPERATOR_CHARS.includes(c)) {
      operator(i)
      while (i + 1 < q.length && OPERATOR_CHARS.includes(q[i + 1]) && q[i + 1] !== '.' && c !== '.') i++
    }
  }
}

/** TuGraph's `a REGEXP b` is Neo4j's `a =~ b`: the keyword is rewritten in place (same length, so positions stay). */
function rewriteRegexp(q: string): string {
  if (!/regexp/i.test(q)) return q
  let out = ''
  let quote = ''
  for (let i = 0; i < q.length; i++) {
    const c = q[i]
    if (quote) {
      out += c
      if (c === '\\') out += q[++i] ?? ''
      else if (c === quote) quote = ''
      continue
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c
      out += c
      continue
    }
    if (/[rR]/.test(c) && /^regexp\b/i.test(q.slice(i, i + 7)) && (i === 0 || !/\w/.test(q[i - 1]))) {
      out += '=~    '
      i += 5
      continue
    }
    out += c
  }
  return out
}

/** cypher_syntax with the first error's line, column and ANTLR's text (grammar.ts keeps it while parsing). */
function syntaxError(first: FirstSyntaxError | undefined) {
  if (!first) return cypherError('cypher_syntax', 'Invalid syntax.')
  // ANTLR lists every token it could accept; past a handful that helps nobody
  const msg = first.msg.replace(/ expecting \{([^}]*)\}/, (all, set: string) => (set.split(',').length > 8 ? '' : all)).replace(/<EOF>/g, 'end of input')
  return cypherError('cypher_syntax', `Invalid syntax: ${msg} (line ${first.line}, column ${first.column + 1})`, { line: first.line, column: first.column + 1 })
}

const unsupported = (what: string, pos: Pos) => cypherError('cypher_unsupported', `${what} is not supported (line ${pos.line}, column ${pos.column}).`, pos)

class Builder {
  /** The query's code points when it has any outside the BMP: ANTLR's token offsets count code points, not UTF-16 units. */
  private readonly points?: string[]

  constructor(
    private readonly q: string,
    private readonly ruleNames: string[],
  ) {
    if (/[\uD800-\uDFFF]/.test(q)) this.points = Array.from(q)
  }

  // --- tree helpers --------------------------------------------------------------------------
  private rule(t: Tree): string | undefined {
    return t.ruleIndex === undefined || t.symbol ? undefined : this.ruleNames[t.ruleIndex]
  }
  private kids(t: Tree): Tree[] {
    return t.children ?? []
  }
  private child(t: Tree, rule: string): Tree | undefined {
    return this.kids(t).find((c) => this.rule(c) === rule)
  }
  private all(t: Tree, rule: string): Tree[] {
    return this.kids(t).filter((c) => this.rule(c) === rule)
  }
  private need(t: Tree, rule: string): Tree {
    const c = this.child(t, rule)
    if (!c) throw cypherError('cypher_syntax', `Invalid syntax: expected ${rule} (line ${this.pos(t).line}, column ${this.pos(t).column})`, this.pos(t))
    return c
  }
  /** Terminal children's texts, upper-cased (keywords). */
  private words(t: Tree): string[] {
    return this.kids(t)
      .filter((c) => c.symbol)
      .map((c) => c.symbol!.text.toUpperCase())
  }
  private has(t: Tree, word: string): boolean {
    return this.words(t).includes(word)
  }
  private text(t: Tree): string {
    if (t.symbol) return t.symbol.text
    if (!t.start || !t.stop) return ''
    return this.points ? this.points.slice(t.start.start, t.stop.stop + 1).join('') : this.q.slice(t.start.start, t.stop.stop + 1)
  }
  private pos(t: Tree): Pos {
    const tok = t.symbol ?? t.start
    return { line: tok?.line ?? 1, column: (tok?.column ?? 0) + 1, offset: tok?.start ?? 0 }
  }
  /** A name, with backticks removed (`` `a``b` `` → a`b). */
  private name(t: Tree): string {
    const s = this.text(t)
    return s.startsWith('`') && s.endsWith('`') && s.length >= 2 ? s.slice(1, -1).replace(/``/g, '`') : s
  }
  /** Descends through single-child wrappers to the first node of `rule`. */
  private find(t: Tree, rule: string): Tree | undefined {
    if (this.rule(t) === rule) return t
    for (const c of this.kids(t)) {
      const f = this.find(c, rule)
      if (f) return f
    }
    return undefined
  }

  // --- statements ----------------------------------------------------------------------------
  statements(root: Tree): Statement {
    const pre = this.find(root, 'preparsedStatement')
    if (!pre) throw cypherError('cypher_syntax', 'Invalid syntax: not a Cypher statement.')
    let explain: Statement['explain']
    for (const o of this.all(pre, 'preparserOption')) {
      const w = this.words(o)[0]
      if (w === 'EXPLAIN' || w === 'PROFILE') explain = w
    }
    const statement = this.need(pre, 'statement')
    if (this.child(statement, 'command')) throw unsupported('This administration command', this.pos(statement))
    const qld = this.need(statement, 'queryWithLocalDefinitions')
    const next = this.need(qld, 'nextStatement')
    const regulars = this.all(next, 'regularQuery')
    if (regulars.length !== 1 || this.all(qld, 'localDefinition').length) throw unsupported('NEXT and DEFINE', this.pos(qld))
    const union = this.child(regulars[0], 'union')
    if (!union) throw unsupported('WHEN … THEN', this.pos(regulars[0]))
    const parts: SingleQuery[] = []
    const unionAll: boolean[] = []
    let pendingAll = false
    for (const c of this.kids(union)) {
      if (c.symbol) {
        const w = c.symbol.text.toUpperCase()
        if (w === 'ALL') pendingAll = true
        continue
      }
      if (this.rule(c) === 'singleQuery') {
        if (parts.length) unionAll.push(pendingAll)
        pendingAll = false
        parts.push(this.singleQuery(c))
      }
    }
    return { parts, unionAll, explain }
  }

  private singleQuery(t: Tree): SingleQuery {
    const clauses = this.all(t, 'clause')
    if (!clauses.length) throw unsupported('A subquery in braces', this.pos(t))
    return { clauses: clauses.map((c) => this.clause(c)) }
  }

  private clause(t: Tree): Clause {
    const c = this.kids(t)[0]
    const r = this.rule(c)
    const pos = this.pos(c)
    switch (r) {
      case 'matchClause': {
        if (this.child(c, 'matchMode') || this.child(c, 'hint') || this.child(c, 'searchClause')) throw unsupported('This MATCH form', pos)
        const where = this.child(c, 'whereClause')
        return { k: 'match', optional: this.has(c, 'OPTIONAL'), patterns: this.patternList(this.need(c, 'patternList')), where: where && this.whereExpr(where), pos }
      }
      case 'returnClause':
        return { k: 'return', proj: this.returnBody(this.need(c, 'returnBody')), pos }
      case 'withClause': {
        const where = this.child(c, 'whereClause')
        return { k: 'with', proj: this.returnBody(this.need(c, 'returnBody')), where: where && this.whereExpr(where), pos }
      }
      case 'unwindClause':
        return { k: 'unwind', expr: this.expr(this.need(c, 'expression')), variable: this.name(this.need(c, 'variable')), pos }
      case 'createClause':
        return { k: 'create', patterns: this.patternList(this.need(c, 'patternList')), pos }
      case 'mergeClause': {
        const onCreate: SetItem[] = []
        const onMatch: SetItem[] = []
        for (const a of this.all(c, 'mergeAction')) {
          const items = this.setItems(this.need(a, 'setClause'))
          ;(this.has(a, 'CREATE') ? onCreate : onMatch).push(...items)
        }
        return { k: 'merge', pattern: this.pattern(this.need(c, 'pattern')), onCreate, onMatch, pos }
      }
      case 'setClause':
        return { k: 'set', items: this.setItems(c), pos }
      case 'removeClause':
        return { k: 'remove', items: this.all(c, 'removeItem').map((i) => this.removeItem(i)), pos }
      case 'deleteClause':
        return { k: 'delete', detach: this.has(c, 'DETACH'), exprs: this.all(c, 'expression').map((e) => this.expr(e)), pos }
      case 'callClause': {
        if (this.has(c, 'OPTIONAL')) throw unsupported('OPTIONAL CALL', pos)
        const name = this.procName(this.need(c, 'procedureName'))
        const args = this.has(c, '(') ? this.all(c, 'procedureArgument').map((a) => this.expr(this.need(a, 'expression'))) : undefined
        const yields = this.all(c, 'procedureResultItem').map((i) => {
          const vars = this.all(i, 'variable').map((v) => this.name(v))
          return { name: vars[0], alias: vars[1] }
        })
        const where = this.child(c, 'whereClause')
        return { k: 'call', name, args, yields: this.has(c, 'YIELD') ? yields : undefined, yieldStar: this.has(c, 'YIELD') && this.has(c, '*'), where: where && this.whereExpr(where), pos }
      }
      case 'orderBySkipLimitClause':
      case 'finishClause':
      case 'filterClause':
      case 'letClause':
      case 'forListClause':
      case 'insertClause':
      case 'foreachClause':
      case 'subqueryClause':
      case 'loadCSVClause':
      case 'useClause':
      default:
        throw unsupported(`The clause ${JSON.stringify(this.text(c).split(/\s+/)[0])}`, pos)
    }
  }

  private procName(t: Tree): string {
    return this.text(t).replace(/`/g, '').replace(/\s+/g, '')
  }

  private whereExpr(t: Tree): Expr {
    return this.expr(this.need(t, 'expression'))
  }

  private returnBody(t: Tree): Projection {
    const itemsT = this.need(t, 'returnItems')
    if (this.child(t, 'groupBy')) throw unsupported('GROUP BY', this.pos(t))
    const items: ReturnItem[] = this.all(itemsT, 'returnItem').map((i) => {
      const e = this.need(i, 'expression')
      const v = this.child(i, 'variable')
      const alias = v && this.name(v)
      return { expr: this.expr(e), alias, name: alias ?? this.text(e), text: this.text(e) }
    })
    const orderT = this.child(t, 'orderBy')
    const order: OrderItem[] = orderT
      ? this.all(orderT, 'orderItem').map((o) => ({ expr: this.expr(this.need(o, 'expression')), desc: !!this.child(o, 'descToken'), text: this.text(this.need(o, 'expression')) }))
      : []
    const skip = this.child(t, 'skip')
    const limit = this.child(t, 'limit')
    return {
      distinct: this.has(t, 'DISTINCT'),
      star: this.has(itemsT, '*'),
      items,
      order,
      skip: skip && this.expr(this.need(skip, 'expression')),
      limit: limit && this.expr(this.need(limit, 'expression')),
    }
  }

  private setItems(t: Tree): SetItem[] {
    return this.all(t, 'setItem').map((i) => {
      const pos = this.pos(i)
      const v = this.child(i, 'variable')
      const words = this.words(i)
      if (v && this.child(i, 'nodeLabels')) return { k: 'label', variable: this.name(v), labels: this.labelNames(this.child(i, 'nodeLabels')!), pos }
      if (v && words.includes('+=')) return { k: 'merge', variable: this.name(v), value: this.expr(this.need(i, 'expression')), pos }
      if (v && words.includes('=')) return { k: 'replace', variable: this.name(v), value: this.expr(this.need(i, 'expression')), pos }
      const lhsT = this.child(i, 'expression2')
      if (!lhsT) throw unsupported('This SET item', pos)
      const lhs = this.expr2(lhsT)
      if (lhs.k !== 'prop') throw cypherError('cypher_syntax', `SET needs a property such as n.name (line ${pos.line}, column ${pos.column}).`, pos)
      return { k: 'prop', target: lhs.target, key: lhs.key, value: this.expr(this.need(i, 'expression')), pos }
    })
  }

  private removeItem(t: Tree): RemoveItem {
    const pos = this.pos(t)
    const v = this.child(t, 'variable')
    if (v && this.child(t, 'nodeLabels')) return { k: 'label', variable: this.name(v), labels: this.labelNames(this.child(t, 'nodeLabels')!), pos }
    const e = this.child(t, 'expression2')
    const lhs = e && this.expr2(e)
    if (!lhs || lhs.k !== 'prop') throw cypherError('cypher_syntax', `REMOVE needs a property such as n.name (line ${pos.line}, column ${pos.column}).`, pos)
    return { k: 'prop', target: lhs.target, key: lhs.key, pos }
  }

  private labelNames(t: Tree): string[] {
    return this.all(t, 'labelType').map((l) => this.name(this.need(l, 'symbolicNameString')))
  }

  // --- patterns ------------------------------------------------------------------------------
  private patternList(t: Tree): PatternPath[] {
    return this.all(t, 'pattern').map((p) => this.pattern(p))
  }

  private pattern(t: Tree): PatternPath {
    const pos = this.pos(t)
    if (this.child(t, 'pathPatternPrefix')) throw unsupported('A path selector (SHORTEST, ANY, ALL …)', pos)
    const v = this.child(t, 'variable')
    const anon = this.need(t, 'anonymousPattern')
    const sp = this.child(anon, 'shortestPathPattern')
    const el = sp ? this.need(sp, 'patternElement') : this.need(anon, 'patternElement')
    const path = this.element(el)
    path.pathVar = v && this.name(v)
    if (sp) path.shortest = this.words(sp)[0] === 'ALLSHORTESTPATHS' ? 'all' : 'one'
    return path
  }

  private element(t: Tree): PatternPath {
    const nodes: NodePat[] = []
    const rels: RelPat[] = []
    for (const c of this.kids(t)) {
      const r = this.rule(c)
      if (r === 'nodePattern') nodes.push(this.nodePattern(c))
      else if (r === 'relationshipPattern') rels.push(this.relPattern(c))
      else throw unsupported('Quantified and parenthesized path patterns', this.pos(c))
    }
    return { nodes, rels, pos: this.pos(t) }
  }

  private nodePattern(t: Tree): NodePat {
    const v = this.child(t, 'variable')
    const le = this.child(t, 'labelExpression')
    const props = this.child(t, 'properties')
    const where = this.child(t, 'expression')
    return { variable: v && this.name(v), labels: le ? this.labelAlternatives(le, false) : [], props: props && this.properties(props), where: where && this.expr(where), pos: this.pos(t) }
  }

  private relPattern(t: Tree): RelPat {
    const pos = this.pos(t)
    const left = !!this.child(t, 'leftArrow')
    const right = !!this.child(t, 'rightArrow')
    const v = this.child(t, 'variable')
    const le = this.child(t, 'labelExpression')
    const props = this.child(t, 'properties')
    const where = this.child(t, 'expression')
    const len = this.child(t, 'pathLength')
    let varLength: RelPat['varLength']
    if (len) {
      const toks = this.kids(len).filter((c) => c.symbol).map((c) => c.symbol!.text)
      const nums = toks.filter((x) => /^\d+$/.test(x)).map(Number)
      const dots = toks.includes('..')
      if (!dots && nums.length === 1) varLength = { min: nums[0], max: nums[0] }
      else if (!dots) varLength = { min: 1 }
      else {
        const dotAt = toks.indexOf('..')
        const before = toks.slice(0, dotAt).find((x) => /^\d+$/.test(x))
        const after = toks.slice(dotAt + 1).find((x) => /^\d+$/.test(x))
        varLength = { min: before === undefined ? 1 : Number(before), max: after === undefined ? undefined : Number(after) }
      }
      if (props) throw unsupported('A property map on a variable-length relationship', pos)
    }
    return {
      variable: v && this.name(v),
      types: le ? this.labelAlternatives(le, true) : [],
      props: props && this.properties(props),
      where: where && this.expr(where),
      dir: left && !right ? 'in' : right && !left ? 'out' : 'both',
      varLength,
      pos,
    }
  }

  /** `:A` or `:A|B` (`:A|:B`): the label names; anything richer (&, !, %) is refused. */
  private labelAlternatives(t: Tree, rel: boolean): string[] {
    const names: string[] = []
    const walk = (n: Tree): void => {
      const r = this.rule(n)
      if (r === 'labelExpression3' && this.all(n, 'labelExpression2').length > 1) {
        throw unsupported(rel ? 'A relationship with several types joined by & or :' : 'Multiple labels on a vertex', this.pos(n))
      }
      if (r === 'labelExpression2' && this.has(n, '!')) throw unsupported('Label negation', this.pos(n))
      if (r === 'labelExpression1') {
        const s = this.child(n, 'symbolicNameString')
        if (!s) throw unsupported('This label expression', this.pos(n))
        names.push(this.name(s))
        return
      }
      for (const c of this.kids(n)) if (!c.symbol) walk(c)
    }
    walk(t)
    if (this.has(t, 'IS')) throw unsupported('IS label expressions', this.pos(t))
    return names
  }

  private properties(t: Tree): Expr {
    const m = this.child(t, 'map')
    if (m) return this.map(m)
    const p = this.need(t, 'parameter')
    return this.parameter(p)
  }

  // --- expressions ---------------------------------------------------------------------------
  expr(t: Tree): Expr {
    const r = this.rule(t)
    switch (r) {
      case 'expression':
        return this.chain(t, 'expression11', 'OR')
      case 'expression11':
        return this.chain(t, 'expression10', 'XOR')
      case 'expression10':
        return this.chain(t, 'expression9', 'AND')
      case 'expression9': {
        const nots = this.words(t).filter((w) => w === 'NOT').length
        let e = this.expr(this.need(t, 'expression8'))
        for (let i = 0; i < nots; i++) e = { k: 'unary', op: 'NOT', arg: e, pos: this.pos(t) }
        return e
      }
      case 'expression8': {
        const kids = this.kids(t)
        if (kids.length === 1) return this.expr(kids[0])
        // a = b = c means a = b AND b = c
        const operands = this.all(t, 'expression7').map((e) => this.expr(e))
        const ops = kids.filter((c) => c.symbol).map((c) => c.symbol!.text)
        let result: Expr | undefined
        for (let i = 0; i < ops.length; i++) {
          const op = ops[i] === '!=' ? '<>' : ops[i]
          const cmp: Expr = { k: 'binary', op, left: operands[i], right: operands[i + 1], pos: operands[i].pos }
          result = result ? { k: 'binary', op: 'AND', left: result, right: cmp, pos: result.pos } : cmp
        }
        return result!
      }
      case 'expression7': {
        const left = this.expr(this.need(t, 'expression6'))
        const cmp = this.child(t, 'comparisonExpression6')
        return cmp ? this.comparison(left, cmp) : left
      }
      case 'expression6':
      case 'expression5':
      case 'expression4': {
        const sub = r === 'expression6' ? 'expression5' : r === 'expression5' ? 'expression4' : 'expression3'
        const kids = this.kids(t)
        let e = this.expr(kids[0])
        for (let i = 1; i < kids.length; i += 2) {
          const op = kids[i].symbol!.text
          e = { k: 'binary', op: op === '||' ? '+' : op, left: e, right: this.expr(kids[i + 1]), pos: e.pos }
        }
        void sub
        return e
      }
      case 'expression3': {
        const e = this.expr2(this.need(t, 'expression2'))
        const sign = this.words(t)[0]
        if (sign === '-') {
          if (e.k === 'lit' && typeof e.value === 'bigint') return { k: 'lit', value: -e.value, pos: this.pos(t) }
          if (e.k === 'lit' && typeof e.value === 'number') return { k: 'lit', value: -e.value, pos: this.pos(t) }
          return { k: 'unary', op: '-', arg: e, pos: this.pos(t) }
        }
        return e
      }
      case 'expression2':
        return this.expr2(t)
      default:
        throw unsupported(`The expression ${JSON.stringify(this.text(t))}`, this.pos(t))
    }
  }

  private chain(t: Tree, sub: string, op: string): Expr {
    const parts = this.all(t, sub).map((e) => this.expr(e))
    return parts.reduce((a, b) => ({ k: 'binary', op, left: a, right: b, pos: a.pos }))
  }

  private comparison(left: Expr, t: Tree): Expr {
    const pos = this.pos(t)
    const words = this.words(t)
    if (words.includes('NULL') && words[0] === 'IS') return { k: 'isnull', arg: left, not: words.includes('NOT'), pos }
    const rightT = this.child(t, 'expression6')
    if (!rightT) {
      const le = this.child(t, 'labelExpression4')
      if (le && words[0] === ':') return { k: 'haslabel', arg: left, labels: this.labelAlternatives(le, false), pos }
      throw unsupported(`The comparison ${JSON.stringify(this.text(t))}`, pos)
    }
    const right = this.expr(rightT)
    const op = words[0] === '=~' ? '=~' : words[0] === 'STARTS' ? 'STARTS WITH' : words[0] === 'ENDS' ? 'ENDS WITH' : words[0]
    return { k: 'binary', op, left, right, pos }
  }

  private expr2(t: Tree): Expr {
    let e = this.expr1(this.need(t, 'expression1'))
    for (const p of this.all(t, 'postFix')) {
      const pos = this.pos(p)
      const prop = this.child(p, 'property')
      if (prop) {
        e = { k: 'prop', target: e, key: this.name(this.need(prop, 'propertyKeyName')), pos }
        continue
      }
      const exprs = this.all(p, 'expression')
      if (this.has(p, '..')) {
        const kids = this.kids(p)
        const dot = kids.findIndex((c) => c.symbol?.text === '..')
        const from = kids.slice(0, dot).find((c) => this.rule(c) === 'expression')
        const to = kids.slice(dot).find((c) => this.rule(c) === 'expression')
        e = { k: 'slice', target: e, from: from && this.expr(from), to: to && this.expr(to), pos }
      } else {
        e = { k: 'index', target: e, index: this.expr(exprs[0]), pos }
      }
    }
    return e
  }

  private expr1(t: Tree): Expr {
    const c = this.kids(t)[0]
    const pos = this.pos(c)
    const r = this.rule(c)
    switch (r) {
      case 'literal':
        return this.literal(c)
      case 'parameter':
        return this.parameter(c)
      case 'variable':
        return { k: 'var', name: this.name(c), pos }
      case 'parenthesizedExpression':
        return this.expr(this.need(c, 'expression'))
      case 'listLiteral':
        return { k: 'list', items: this.all(c, 'expression').map((e) => this.expr(e)), pos }
      case 'countStar':
        return { k: 'call', name: 'count', distinct: false, args: [], star: true, text: this.text(c), pos }
      case 'functionInvocation': {
        const name = this.text(this.need(c, 'functionName')).replace(/`/g, '').replace(/\s+/g, '')
        const args = this.all(c, 'functionArgument').map((a) => this.expr(this.need(a, 'expression')))
        return { k: 'call', name, distinct: this.has(c, 'DISTINCT'), args, text: this.text(c), pos }
      }
      case 'caseExpression': {
        const whens = this.all(c, 'caseAlternative').map((a) => {
          const [w, th] = this.all(a, 'expression').map((e) => this.expr(e))
          return [w, th] as [Expr, Expr]
        })
        const exprs = this.all(c, 'expression')
        return { k: 'case', whens, else: exprs.length ? this.expr(exprs[0]) : undefined, pos }
      }
      case 'extendedCaseExpression': {
        const kids = this.kids(c)
        const subject = this.expr(kids.find((x) => this.rule(x) === 'expression')!)
        const elseAt = kids.findIndex((x) => x.symbol?.text.toUpperCase() === 'ELSE')
        const whens: [Expr, Expr][] = []
        for (const a of this.all(c, 'extendedCaseAlternative')) {
          const then = this.expr(this.need(a, 'expression'))
          for (const w of this.all(a, 'extendedWhen')) {
            const inner = this.kids(w)
            if (inner.length === 1 && this.rule(inner[0]) === 'expression') whens.push([this.expr(inner[0]), then])
            else throw unsupported('A comparison in a simple CASE WHEN', this.pos(w))
          }
        }
        return { k: 'case', subject, whens, else: elseAt >= 0 ? this.expr(kids[elseAt + 1]) : undefined, pos }
      }
      case 'listComprehension': {
        const kids = this.kids(c)
        const variable = this.name(this.need(c, 'variable'))
        const exprs = kids.filter((x) => this.rule(x) === 'expression')
        const whereAt = kids.findIndex((x) => x.symbol?.text.toUpperCase() === 'WHERE')
        const barAt = kids.findIndex((x) => x.symbol?.text === '|')
        return {
          k: 'listcomp',
          variable,
          source: this.expr(exprs[0]),
          where: whereAt >= 0 ? this.expr(kids[whereAt + 1]) : undefined,
          map: barAt >= 0 ? this.expr(kids[barAt + 1]) : undefined,
          pos,
        }
      }
      case 'listItemsPredicate': {
        const kids = this.kids(c)
        const whereAt = kids.findIndex((x) => x.symbol?.text.toUpperCase() === 'WHERE')
        const kind = this.words(c)[0].toLowerCase() as 'all' | 'any' | 'none' | 'single'
        return { k: 'quantifier', kind, variable: this.name(this.need(c, 'variable')), source: this.expr(this.need(c, 'expression')), where: whereAt >= 0 ? this.expr(kids[whereAt + 1]) : undefined, pos }
      }
      case 'reduceExpression': {
        const [acc, v] = this.all(c, 'variable').map((x) => this.name(x))
        const [init, source, body] = this.all(c, 'expression').map((x) => this.expr(x))
        return { k: 'reduce', acc, init, variable: v, source, body, pos }
      }
      case 'trimFunction': {
        if (this.words(c).some((w) => w === 'FROM')) throw unsupported('TRIM with FROM', pos)
        return { k: 'call', name: 'trim', distinct: false, args: [this.expr(this.need(c, 'expression'))], text: this.text(c), pos }
      }
      case 'patternExpression': {
        const p = this.need(c, 'pathPatternNonEmpty')
        return { k: 'exists', pattern: this.element(p), pos }
      }
      case 'existsExpression': {
        const pl = this.child(c, 'patternList')
        if (!pl || this.child(c, 'whereClause')) throw unsupported('EXISTS { … } with a subquery', pos)
        const pats = this.patternList(pl)
        if (pats.length !== 1) throw unsupported('EXISTS with several patterns', pos)
        return { k: 'exists', pattern: pats[0], pos }
      }
      case 'shortestPathExpression':
        throw unsupported('shortestPath outside MATCH', pos)
      default:
        throw unsupported(`The expression ${JSON.stringify(this.text(c))}`, pos)
    }
  }

  private parameter(t: Tree): Expr {
    const n = this.need(t, 'parameterName')
    return { k: 'param', name: this.name(n), pos: this.pos(t) }
  }

  private map(t: Tree): Expr {
    const keys = this.all(t, 'propertyKeyName').map((k) => this.name(k))
    const values = this.all(t, 'expression').map((e) => this.expr(e))
    return { k: 'map', entries: keys.map((k, i) => [k, values[i]] as [string, Expr]), pos: this.pos(t) }
  }

  private literal(t: Tree): Expr {
    const pos = this.pos(t)
    const c = this.kids(t)[0]
    const r = this.rule(c)
    if (r === 'numberLiteral') return { k: 'lit', value: parseNumber(this.text(c), pos), pos }
    if (r === 'stringLiteral') return { k: 'lit', value: unquote(this.text(c)), pos }
    if (r === 'map') return this.map(c)
    const w = this.text(c).toUpperCase()
    if (w === 'TRUE') return { k: 'lit', value: true, pos }
    if (w === 'FALSE') return { k: 'lit', value: false, pos }
    if (w === 'NULL') return { k: 'lit', value: null, pos }
    if (w === 'NAN') return { k: 'lit', value: NaN, pos }
    return { k: 'lit', value: Infinity, pos }
  }
}

const INT64_MAX = 2n ** 63n - 1n

/** Integers are bigints (Cypher's 64-bit INTEGER), everything else a double. */
function parseNumber(text: string, pos: Pos): bigint | number {
  const neg = text.startsWith('-')
  const body = (neg ? text.slice(1) : text).replace(/_/g, '')
  if (/^(0x[0-9a-f]+|0o[0-7]+|\d+)$/i.test(body)) {
    const v = BigInt(body.startsWith('0o') || body.startsWith('0O') ? `0o${body.slice(2)}` : body)
    if (v > INT64_MAX + (neg ? 1n : 0n)) throw cypherError('cypher_syntax', `integer is too large: ${text} (line ${pos.line}, column ${pos.column})`, pos)
    return neg ? -v : v
  }
  return Number(neg ? `-${body}` : body)
}

const ESCAPES: Record<string, string> = { t: '\t', b: '\b', n: '\n', r: '\r', f: '\f', "'": "'", '"': '"', '\\': '\\' }

function unquote(s: string): string {
  const body = s.slice(1, -1)
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (all, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16))
    return ESCAPES[e] ?? all
  })
}
