// The rows a statement's UNWINDs will make, estimated before it runs. Each UNWIND repeats the rows
// before it once per element of its list, so `UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b
// UNWIND range(1, 3000) AS c RETURN count(*)` makes 27 billion rows from lists the value budget lets
// through (each well under MAX_LIST), and would hold a query worker for hours, up to its timeout. A
// statement whose UNWINDs would make more than MAX_UNWIND_ROWS rows is refused with query_too_large
// naming the estimate, before it runs, as a mature database refuses a plan past its budget.
//
// The estimate multiplies the sizes known before running (list literals, range() of constants or
// parameters, list parameters, and variables a WITH bound to one of those) along the clauses; a
// list of unknown size counts as one element (MATCH and CALL likewise keep the estimate: what they
// add is bounded at run time, below). An aggregation without grouping keys
// makes one row, a constant LIMIT at most its SKIP + LIMIT; and a LIMIT that takes the UNWINDs' rows
// as they come (no WHERE, MATCH, ORDER BY, DISTINCT or aggregation between) stops them early, so the
// UNWINDs before it make that many rows at most.
//
// What the estimate cannot know (a list whose size depends on the row: `UNWIND range(1, n.x)`,
// `UNWIND n.list`, a collected list unwound again) is bounded while the statement runs: every row an
// UNWIND makes is counted against the same MAX_UNWIND_ROWS (RunContext.unwindRowsLeft, one count for
// all of a statement's UNWINDs: a decrement and a comparison per row), and the row past it is refused
// with query_too_large naming the UNWIND (unwindRowsPassed), instead of running until the timeout.
import type { Clause, Expr, Pos } from './ast'
import type { AppError } from '../../../shared/errors'
import { cypherError } from './errors'
import { isAggregate } from './functions'
import { MAX_LIST } from './value-budget'
import type { MapV } from './values'
import { formatCount } from '../../../shared/number-format'

/**
 * Rows the UNWINDs of one statement may make: about a minute of a query worker's time (1.6–2 million
 * UNWIND rows a second measured on the CI machine, count(*) of 3,000 × 3,000 in 4.4–5.5 s).
 */
export const MAX_UNWIND_ROWS = 100_000_000

/**
 * The run-time refusal: the UNWIND at `pos` (its line and column in the statement) was to make a row
 * past the `limit` rows (MAX_UNWIND_ROWS unless a test sets less) the statement's UNWINDs have made
 * so far. query_too_large.
 */
export function unwindRowsPassed(limit: number, pos: Pos): AppError {
  const at = `UNWIND at line ${pos.line}, column ${pos.column}`
  return cypherError('query_too_large', `Query too large: its UNWINDs have made ${formatCount(limit)} rows, the limit per statement, and ${at} was making more; narrow the lists, or aggregate or add LIMIT between the UNWINDs.`, { line: pos.line, column: pos.column })
}

/** Whether an expression calls an aggregate function anywhere. */
export function hasAggregate(e: Expr): boolean {
  let found = false
  const walk = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return
    if (Array.isArray(x)) return x.forEach(walk)
    const o = x as Record<string, unknown>
    if (o.k === 'call' && typeof o.name === 'string' && isAggregate(o.name)) found = true
    for (const [k, v] of Object.entries(o)) if (k !== 'pos') walk(v)
  }
  walk(e)
  return found
}

/** An integer known before running: a literal, a parameter, a negated one; else undefined. */
function constInt(e: Expr, params: MapV): bigint | undefined {
  if (e.k === 'unary' && e.op === '-') {
    const n = constInt(e.arg, params)
    return n === undefined ? undefined : -n
  }
  const v = e.k === 'lit' ? e.value : e.k === 'param' ? params[e.name] : undefined
  if (typeof v === 'bigint') return v
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined
}

/** The elements of the list `e` makes when known before running (`lists`: sizes of variables bound to such lists); else undefined. */
function listSize(e: Expr, params: MapV, lists: ReadonlyMap<string, number>): number | undefined {
  switch (e.k) {
    case 'list':
      return e.items.length
    case 'param': {
      const v = params[e.name]
      return Array.isArray(v) ? v.length : undefined
    }
    case 'var':
      return lists.get(e.name)
    case 'listcomp':
      return listSize(e.source, params, lists) // at most: WHERE may drop some
    case 'call': {
      if (e.name.toLowerCase() !== 'range' || e.args.length < 2) return undefined
      const [from, to, step = 1n] = e.args.map((a) => constInt(a, params))
      if (from === undefined || to === undefined || step === undefined || step === 0n) return undefined
      const n = (to - from) / step + 1n
      return n <= 0n ? 0 : Number(n)
    }
    default:
      return undefined
  }
}

/** A WITH's or RETURN's constant SKIP + LIMIT: the most rows it passes on (Infinity without one). */
function limitOf(cl: Clause & { k: 'with' | 'return' }, params: MapV): number {
  const p = cl.proj
  const limit = p.limit ? constInt(p.limit, params) : undefined
  const skip = p.skip ? constInt(p.skip, params) : 0n
  return limit === undefined || skip === undefined ? Infinity : Number(limit + skip)
}

/** Whether a clause passes its input's rows on as they come (a WITH or RETURN without WHERE, DISTINCT, ORDER BY or aggregation), so a LIMIT after it stops its input early. */
function streams(cl: Clause): cl is Clause & { k: 'with' | 'return' } {
  if ((cl.k !== 'with' && cl.k !== 'return') || (cl.k === 'with' && cl.where)) return false
  const p = cl.proj
  return !p.distinct && !p.order.length && !p.items.some((it) => hasAggregate(it.expr))
}

/**
 * Throws query_too_large when the UNWINDs of `clauses` (one part of a statement) would make more than
 * `limit` rows (MAX_UNWIND_ROWS unless a test sets less) by the estimate above (`params`: the
 * statement's parameters), naming the estimate and the list sizes it multiplied.
 */
export function checkUnwindRows(clauses: readonly Clause[], params: MapV, limit = MAX_UNWIND_ROWS): void {
  // which UNWINDs a later streaming LIMIT stops early (nothing filtering, sorting or grouping between)
  const capped: number[] = []
  let cap = Infinity
  for (let i = clauses.length - 1; i >= 0; i--) {
    const cl = clauses[i]
    if (streams(cl)) cap = Math.min(cap, limitOf(cl, params))
    else if (cl.k !== 'unwind') cap = Infinity
    capped[i] = cap
  }
  let rows = 1
  let sizes: number[] = []
  let lists = new Map<string, number>()
  for (const [i, cl] of clauses.entries()) {
    if (cl.k === 'unwind') {
      const n = listSize(cl.expr, params, lists) ?? 1
      if (n > MAX_LIST) return // the value budget refuses the list itself when it is built, naming that limit
      lists.delete(cl.variable)
      rows *= n
      sizes.push(n)
      const made = Math.min(rows, capped[i])
      if (made > limit) {
        // located at the UNWIND that passes the limit, as the run-time refusal is (unwindRowsPassed)
        throw cypherError('query_too_large', `Query too large: its UNWINDs would make about ${formatCount(rows)} rows (${sizes.map(formatCount).join(' × ')}), past the limit of ${formatCount(limit)} rows per statement; narrow the lists, or aggregate or add LIMIT between the UNWINDs.`, cl.pos)
      }
    } else if (cl.k === 'with' || cl.k === 'return') {
      const p = cl.proj
      const next = new Map(p.star ? lists : [])
      for (const it of p.items) {
        const n = listSize(it.expr, params, lists)
        if (n === undefined) next.delete(it.name)
        else next.set(it.name, n)
      }
      lists = next
      const grouped = p.items.some((it) => hasAggregate(it.expr))
      if (grouped && p.items.every((it) => hasAggregate(it.expr))) {
        rows = 1
        sizes = []
      }
      const limit = limitOf(cl, params)
      if (limit < rows) {
        rows = limit
        sizes = [limit]
      }
    }
  }
}
