// Expressions compiled once into closures over a row (scope.ts): operators with Cypher's null
// logic and INTEGER/FLOAT arithmetic, property access, CASE, list comprehensions, and aggregate
// calls, which read the value their grouping operator computed (aggregates.ts).
import { RE2JS, RE2JSException } from 're2js'
import type { Expr } from './ast'
import type { Budget } from './budget'
import { depthOf, sizeOf, type ValueBudget } from './value-budget'
import { cypherError, runtimeError } from './errors'
import { isAggregate, propertiesOf, scalarFunction } from './functions'
import type { GraphView } from './graph-view'
import type { Row, Scope } from './scope'
import { asPredicate, checkInt, compare, EdgeV, equals, fromJs, isMap, isNumber, newMap, NodeV, PathV, show, typeName, type MapV, type Value } from './values'

/** What a running expression can reach besides its row. */
export interface EvalContext {
  view: GraphView
  budget: Budget
  params: MapV
  /** Pattern predicates (`(a)-->(b)` in WHERE) are answered by the matcher. */
  patternExists?: (pattern: Extract<Expr, { k: 'exists' }>['pattern'], row: Row, scope: Scope) => boolean
}

export type Compiled = (row: Row, c: EvalContext) => Value

/** An aggregate call found in a projection: computed per group by the grouping operator. */
export interface AggregateCall {
  name: string
  distinct: boolean
  star: boolean
  arg?: Compiled
  /** percentileCont/Disc's second argument. */
  extra?: Compiled
}

export interface CompileEnv {
  scope: Scope
  /** Where aggregate calls register; absent = aggregates are not allowed here. */
  aggregates?: { calls: AggregateCall[]; values: Value[] }
}

/** A number as `+` puts it in a string: a whole FLOAT keeps its `.0`. */
const asText = (v: string | number | bigint | boolean): string => (typeof v === 'number' && Number.isInteger(v) ? `${v}.0` : String(v))

/**
 * `a + b` of lists (or a list and a value): asked of the value budget before the result is
 * allocated, so a doubling in reduce() is refused at the limit instead of filling the heap (#9).
 */
function concatLists(a: Value, b: Value, values: ValueBudget): Value[] {
  const what = 'a list built by +'
  values.list((Array.isArray(a) ? a.length : 1) + (Array.isArray(b) ? b.length : 1), what)
  values.value(sizeOf(a) + sizeOf(b), Math.max(Array.isArray(a) ? depthOf(a) : depthOf(a) + 1, Array.isArray(b) ? depthOf(b) : depthOf(b) + 1), what)
  const out = Array.isArray(a) ? (Array.isArray(b) ? a.concat(b) : [...a, b]) : [a, ...(b as Value[])]
  return values.seal(out, what)
}

function arith(op: string, a: Value, b: Value, values: ValueBudget): Value {
  if (a === null || b === null) return null
  if (op === '+') {
    if (Array.isArray(a) || Array.isArray(b)) return concatLists(a, b, values)
    if (typeof a === 'string' || typeof b === 'string') {
      if ((typeof a === 'string' || isNumber(a) || typeof a === 'boolean') && (typeof b === 'string' || isNumber(b) || typeof b === 'boolean')) {
        const x = asText(a)
        const y = asText(b)
        values.string(x.length + y.length, 'a string built by +')
        return x + y
      }
    }
  }
  if (!isNumber(a) || !isNumber(b)) throw runtimeError(`Type mismatch: cannot apply ${op} to ${typeName(a)} and ${typeName(b)}.`)
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return checkInt(a + b)
      case '-':
        return checkInt(a - b)
      case '*':
        return checkInt(a * b)
      case '/':
        if (b === 0n) throw runtimeError('Division by zero.')
        return checkInt(a / b) // INT64_MIN / -1
      case '%':
        if (b === 0n) throw runtimeError('Division by zero.')
        return a % b
      case '^':
        return Number(a) ** Number(b)
    }
  }
  const x = Number(a)
  const y = Number(b)
  switch (op) {
    case '+':
      return x + y
    case '-':
      return x - y
    case '*':
      return x * y
    case '/':
      return x / y
    case '%':
      return x % y
    case '^':
      return x ** y
  }
  throw runtimeError(`Unknown operator ${op}`)
}

const regexCache = new Map<string, RE2JS>()

function regexMatch(text: Value, pattern: Value): Value {
  if (text === null || pattern === null) return null
  if (typeof text !== 'string' || typeof pattern !== 'string') return null
  let re = regexCache.get(pattern)
  if (!re) {
    try {
      re = RE2JS.compile(pattern)
    } catch (e) {
      if (e instanceof RE2JSException) throw runtimeError(`Invalid regular expression ${JSON.stringify(pattern)}: ${e.message} (RE2 syntax: no backreferences or lookaround).`)
      throw e
    }
    if (regexCache.size > 256) regexCache.clear()
    regexCache.set(pattern, re)
  }
  return re.matches(text)
}

function inList(v: Value, list: Value): Value {
  if (list === null) return null
  if (!Array.isArray(list)) throw runtimeError(`Type mismatch: IN expects a List, got ${typeName(list)}.`)
  let unknown = false
  for (const x of list) {
    const e = equals(v, x)
    if (e === true) return true
    if (e === null) unknown = true
  }
  return unknown ? null : false
}

function logic(op: string, a: Value, b: Value): Value {
  const check = (v: Value) => {
    if (v !== null && typeof v !== 'boolean') throw runtimeError(`Type mismatch: ${op} expects Boolean operands, got ${typeName(v)}.`)
    return v
  }
  check(a)
  check(b)
  if (op === 'AND') {
    if (a === false || b === false) return false
    return a === null || b === null ? null : true
  }
  if (op === 'OR') {
    if (a === true || b === true) return true
    return a === null || b === null ? null : false
  }
  return a === null || b === null ? null : a !== b // XOR
}

function binary(op: string, a: Value, b: Value, values: ValueBudget): Value {
  switch (op) {
    case '=':
      return equals(a, b)
    case '<>': {
      const e = equals(a, b)
      return e === null ? null : !e
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const c = compare(a, b)
      if (c === null) return null
      return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0
    }
    case 'IN':
      return inList(a, b)
    case 'STARTS WITH':
      return typeof a === 'string' && typeof b === 'string' ? a.startsWith(b) : null
    case 'ENDS WITH':
      return typeof a === 'string' && typeof b === 'string' ? a.endsWith(b) : null
    case 'CONTAINS':
      return typeof a === 'string' && typeof b === 'string' ? a.includes(b) : null
    case '=~':
      return regexMatch(a, b)
    default:
      return arith(op, a, b, values)
  }
}

/** `v.key`: a vertex's or edge's property (null when it has none), a map's entry. */
export function property(v: Value, key: string, c: EvalContext): Value {
  if (v === null) return null
  if (v instanceof NodeV) return c.view.prop(v, key)
  if (v instanceof EdgeV) return v.props[key] ?? null
  if (isMap(v)) return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : null
  throw runtimeError(`Type mismatch: cannot read property ${key} of ${typeName(v)} ${show(v)}.`)
}

function index(v: Value, i: Value): Value {
  if (v === null || i === null) return null
  if (Array.isArray(v)) {
    if (typeof i !== 'bigint') throw runtimeError(`Type mismatch: a list index must be an Integer, got ${typeName(i)}.`)
    const n = Number(i < 0n ? BigInt(v.length) + i : i)
    return v[n] ?? null
  }
  if (isMap(v)) {
    if (typeof i !== 'string') throw runtimeError(`Type mismatch: a map key must be a String, got ${typeName(i)}.`)
    return Object.prototype.hasOwnProperty.call(v, i) ? v[i] : null
  }
  throw cypherError('cypher_unsupported', `Dynamic property access on ${typeName(v)} is not supported.`)
}

function slice(v: Value, from: Value, to: Value): Value {
  if (v === null) return null
  if (!Array.isArray(v)) throw runtimeError(`Type mismatch: only lists can be sliced, got ${typeName(v)}.`)
  const at = (x: Value, dflt: number) => {
    if (x === null || x === undefined) return dflt
    if (typeof x !== 'bigint') throw runtimeError('Type mismatch: a slice bound must be an Integer.')
    const n = Number(x)
    return n < 0 ? Math.max(0, v.length + n) : Math.min(n, v.length)
  }
  return v.slice(at(from, 0), at(to, v.length))
}

/** Compiles an expression for rows of `env.scope`. Unknown variables fail here, before anything runs. */
export function compile(e: Expr, env: CompileEnv): Compiled {
  switch (e.k) {
    case 'lit': {
      const v = e.value as Value
      return () => v
    }
    case 'param': {
      const name = e.name
      return (_r, c) => {
        if (!Object.prototype.hasOwnProperty.call(c.params, name)) throw cypherError('cypher_semantic', `Parameter $${name} is not defined.`)
        return c.params[name]
      }
    }
    case 'var': {
      // Located here, where the reference's position is known, like the syntax errors (1-based).
      if (!env.scope.has(e.name)) throw cypherError('cypher_semantic', `Unknown variable: ${e.name} (line ${e.pos.line}, column ${e.pos.column})`, e.pos)
      const i = env.scope.slot(e.name)
      return (r) => r[i]
    }
    case 'prop': {
      const t = compile(e.target, env)
      const key = e.key
      return (r, c) => property(t(r, c), key, c)
    }
    case 'index': {
      const t = compile(e.target, env)
      const i = compile(e.index, env)
      return (r, c) => index(t(r, c), i(r, c))
    }
    case 'slice': {
      const t = compile(e.target, env)
      const f = e.from && compile(e.from, env)
      const to = e.to && compile(e.to, env)
      return (r, c) => slice(t(r, c), f ? f(r, c) : null, to ? to(r, c) : null)
    }
    case 'list': {
      const items = e.items.map((x) => compile(x, env))
      return (r, c) => c.budget.values.seal(items.map((f) => f(r, c)), 'a list')
    }
    case 'map': {
      const entries = e.entries.map(([k, x]) => [k, compile(x, env)] as const)
      return (r, c) => {
        const m = newMap()
        for (const [k, f] of entries) m[k] = f(r, c)
        return c.budget.values.seal(m, 'a map')
      }
    }
    case 'unary': {
      const a = compile(e.arg, env)
      if (e.op === 'NOT') {
        return (r, c) => {
          const v = a(r, c)
          if (v === null) return null
          if (typeof v !== 'boolean') throw runtimeError(`Type mismatch: NOT expects a Boolean, got ${typeName(v)}.`)
          return !v
        }
      }
      if (e.op === '-') {
        return (r, c) => {
          const v = a(r, c)
          if (v === null) return null
          if (typeof v === 'bigint') return checkInt(-v)
          if (typeof v === 'number') return -v
          throw runtimeError(`Type mismatch: cannot negate ${typeName(v)}.`)
        }
      }
      return a
    }
    case 'binary': {
      const l = compile(e.left, env)
      const rr = compile(e.right, env)
      const op = e.op
      if (op === 'AND' || op === 'OR' || op === 'XOR') {
        return (r, c) => {
          const a = l(r, c)
          // short-circuit as Cypher allows: false AND x, true OR x
          if (op === 'AND' && a === false) return false
          if (op === 'OR' && a === true) return true
          return logic(op, a, rr(r, c))
        }
      }
      return (r, c) => binary(op, l(r, c), rr(r, c), c.budget.values)
    }
    case 'isnull': {
      const a = compile(e.arg, env)
      return e.not ? (r, c) => a(r, c) !== null : (r, c) => a(r, c) === null
    }
    case 'haslabel': {
      const a = compile(e.arg, env)
      const labels = e.labels
      return (r, c) => {
        const v = a(r, c)
        if (v === null) return null
        if (v instanceof NodeV || v instanceof EdgeV) return labels.includes(v.label.name)
        throw runtimeError(`Type mismatch: a label test needs a node, got ${typeName(v)}.`)
      }
    }
    case 'call':
      return compileCall(e, env)
    case 'case': {
      const subject = e.subject && compile(e.subject, env)
      const whens = e.whens.map(([w, t]) => [compile(w, env), compile(t, env)] as const)
      const other = e.else && compile(e.else, env)
      return (r, c) => {
        const s = subject?.(r, c)
        for (const [w, t] of whens) {
          const v = w(r, c)
          if (subject ? equals(s!, v) === true : v === true) return t(r, c)
        }
        return other ? other(r, c) : null
      }
    }
    case 'listcomp':
    case 'quantifier': {
      const source = compile(e.source, env)
      const inner = env.scope.clone()
      const slot = inner.size
      inner.add(e.variable, 'value')
      if (inner.size === slot) throw cypherError('cypher_semantic', `Variable \`${e.variable}\` already declared`)
      const innerEnv: CompileEnv = { scope: inner, aggregates: undefined }
      const where = e.where && compile(e.where, innerEnv)
      const map = e.k === 'listcomp' && e.map ? compile(e.map, innerEnv) : undefined
      const kind = e.k === 'quantifier' ? e.kind : undefined
      return (r, c) => {
        const list = source(r, c)
        if (list === null) return null
        if (!Array.isArray(list)) throw runtimeError(`Type mismatch: expected a List, got ${typeName(list)}.`)
        const row = r.slice(0, slot)
        row.length = slot + 1
        const out: Value[] = []
        const grown = kind ? undefined : c.budget.values.growing('a list comprehension')
        let hits = 0
        for (const x of list) {
          c.budget.tick()
          row[slot] = x
          const ok = where ? asPredicate(where(row, c)) : true
          if (!ok) continue
          hits++
          if (grown) {
            const v = map ? map(row, c) : x
            grown.add(v)
            out.push(v)
          }
        }
        if (kind === 'all') return hits === list.length
        if (kind === 'any') return hits > 0
        if (kind === 'none') return hits === 0
        if (kind === 'single') return hits === 1
        return grown!.done(out)
      }
    }
    case 'reduce': {
      const init = compile(e.init, env)
      const source = compile(e.source, env)
      const inner = env.scope.clone()
      const accSlot = inner.add(e.acc, 'value')
      const varSlot = inner.add(e.variable, 'value')
      const body = compile(e.body, { scope: inner })
      return (r, c) => {
        const list = source(r, c)
        if (list === null) return null
        if (!Array.isArray(list)) throw runtimeError(`Type mismatch: reduce() expects a List, got ${typeName(list)}.`)
        const row = r.slice(0, env.scope.size)
        row.length = inner.size
        row[accSlot] = init(r, c)
        for (const x of list) {
          c.budget.tick()
          row[varSlot] = x
          row[accSlot] = body(row, c)
        }
        return row[accSlot]
      }
    }
    case 'exists': {
      const pattern = e.pattern
      for (const n of pattern.nodes) if (n.variable && !env.scope.has(n.variable)) throw cypherError('cypher_unsupported', `A pattern predicate may only use variables bound before it (\`${n.variable}\` is new).`)
      const scope = env.scope
      return (r, c) => {
        if (!c.patternExists) throw cypherError('cypher_unsupported', 'Pattern predicates are not supported here.')
        return c.patternExists(pattern, r, scope)
      }
    }
  }
}

function compileCall(e: Extract<Expr, { k: 'call' }>, env: CompileEnv): Compiled {
  const lower = e.name.toLowerCase()
  if (isAggregate(lower)) {
    const agg = env.aggregates
    if (!agg) throw cypherError('cypher_semantic', `Aggregation function ${e.name}() is not allowed here (only in RETURN and WITH).`)
    // an aggregate's argument is evaluated per input row, without nested aggregates
    const inner: CompileEnv = { scope: env.scope }
    const call: AggregateCall = { name: lower, distinct: e.distinct, star: !!e.star, arg: e.args[0] && compile(e.args[0], inner), extra: e.args[1] && compile(e.args[1], inner) }
    if (!e.star && !call.arg) throw cypherError('cypher_semantic', `${e.name}() needs an argument.`)
    const i = agg.calls.push(call) - 1
    const values = agg.values
    return () => values[i]
  }
  if (lower === 'exists' && e.args.length === 1 && e.args[0].k === 'prop') {
    const arg = compile(e.args[0], env)
    return (r, c) => arg(r, c) !== null
  }
  const fn = scalarFunction(lower)
  if (!fn) throw cypherError('cypher_semantic', `Unknown function '${e.name}'`)
  const args = e.args.map((a) => compile(a, env))
  return (r, c) => fn(args.map((a) => a(r, c)), c)
}

/** Evaluates a constant expression (SKIP/LIMIT, procedure arguments) with no row. */
export function evalConstant(e: Expr, c: EvalContext, scope: Scope): Value {
  return compile(e, { scope })([], c)
}

/** Parameters as Cypher values (JSON numbers that are whole become INTEGER). */
export function paramsMap(params: unknown): MapV {
  if (params === undefined || params === null) return newMap()
  if (typeof params !== 'object' || Array.isArray(params)) throw cypherError('cypher_semantic', '"parameters" must be a JSON object.')
  const m = newMap()
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) m[k.startsWith('$') ? k.slice(1) : k] = fromJs(v)
  return m
}

export { propertiesOf, PathV }
