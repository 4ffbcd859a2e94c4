// Filter evaluation: jsonpath-plus (eval: 'safe') runs the program on `[item]`. The code it runs is
// generated here from identifiers only; every descriptor-provided value is a sandbox constant.
// The helpers the code calls read path operands through the walker and compare with
// relations.ts (Jayway's value-node comparisons).

import { JSONPath } from 'jsonpath-plus'
import { CompiledPath, isRelOp, UNDEF, type FilterNode, type Operand, type SafeProgram } from './compiled'
import { relate } from './relations'
import { FAILED_RUN_COST, filterRunUnits, PathBudgetError } from './work'

/** How a filter reads its path operands; supplied by the walker, which owns path evaluation. */
export interface OperandReader {
  /** Jayway's PathNode.evaluate (missing → UNDEFINED; indefinite → list). */
  value(path: CompiledPath, item: unknown): unknown
  /** A bare `@.x` existence check. */
  exists(path: CompiledPath, item: unknown): boolean
  /** Spends `units` of the walk's PathWork; throws PathBudgetError when it is used up. */
  spend(units: number): void
}

/**
 * Every descriptor-provided value becomes an element `__k[N]` of one sandbox constant; the code is
 * ours alone. One constant, not one a value: jsonpath-plus copies the sandbox for every item it
 * evaluates, and 200 constants made that copy cost more than the predicate. The program's runUnits
 * count the predicate's nodes (a relation and its two operands: 3; each `||` or `&&`: 1).
 */
export function toSafeProgram(node: FilterNode): SafeProgram {
  const constants: unknown[] = []
  const ref = (value: unknown): string => `__k[${constants.push(value) - 1}]`
  // `_$_v` is the sandbox name jsonpath-plus gives the current item (what it rewrites `@` to). Not
  // `@`: before evaluating, jsonpath-plus looks for a nested filter with a regex that, from every
  // `@`, scans to the code's end and back (quadratic: a 4,000-term `||` filter took 1.4 s a run).
  const ITEM = '_$_v'
  const operand = (o: Operand): string => (o.kind === 'path' ? `__val(${ITEM}, ${ref(o.path)})` : ref(o.value))
  let nodes = 0
  const emit = (n: FilterNode): string => {
    // a relation and its two operands: 3; `a || b || c` is two binary nodes of the evaluator's tree
    nodes += n.kind === 'rel' ? 3 : n.kind === 'or' || n.kind === 'and' ? Math.max(1, n.ops.length - 1) : 1
    switch (n.kind) {
      case 'or':
        return `(${n.ops.map(emit).join(' || ')})`
      case 'and':
        return `(${n.ops.map(emit).join(' && ')})`
      case 'not':
        return `!${emit(n.op)}`
      case 'exists':
        return `__exists(${ITEM}, ${ref(n.path)}, ${ref(n.shouldExist)})`
      case 'rel':
        return `__rel(${ref(n.op)}, ${operand(n.left)}, ${operand(n.right)})`
    }
  }
  const code = emit(node)
  return { code, constants, runUnits: filterRunUnits(nodes) }
}

/**
 * Whether `item` passes the filter. Spends the program's runUnits and what its operands and operators do
 * from the walk's budget (`operands.spend`); a PathBudgetError is thrown on, where every other
 * failure of the filter reads as "no match" (Jayway's).
 */
export function runFilter(program: SafeProgram, item: unknown, operands: OperandReader): boolean {
  return matchingIndexes(program, [item], operands).length > 0
}

/**
 * Characters of filter code jsonpath-plus may keep compiled in JSONPath.cache, a plain object it
 * never empties: it keeps each path it is given and each script it parses, some 90 bytes a
 * character (160 kB a 1,800-character filter), so distinct filters from requests grew the heap
 * until the process died (907 requests). 200,000 characters: some 18 MB at most.
 */
const SCRIPT_CACHE_CHARS = 200_000
/** The filter codes run since JSONPath.cache was last emptied, and their characters. */
const cachedCodes = new Set<string>()
let cachedChars = 0

/** Empties JSONPath.cache before `code` would take it past SCRIPT_CACHE_CHARS. */
function boundScriptCache(code: string): void {
  if (cachedCodes.has(code)) return
  if (cachedChars + code.length > SCRIPT_CACHE_CHARS) {
    JSONPath.cache = {}
    cachedCodes.clear()
    cachedChars = 0
  }
  cachedCodes.add(code)
  cachedChars += code.length
}

/**
 * Items of a list one jsonpath-plus run evaluates: a run per item cost some 4 µs each, a run over
 * the list about 1 µs an item. Not the whole list: jsonpath-plus goes on to the next item after a
 * throw, so once the budget was spent the rest of a 1,000-item list still ran (each item to its
 * first call, under 200 nested `||`: 30-80 ms); runs of 64 stop within one.
 */
const FILTER_RUN_ITEMS = 64

/**
 * The indexes of the items of `items` that pass the filter, in order, as runFilter decides each
 * (an item whose evaluation fails does not pass; PathBudgetError is thrown on). The program's
 * runUnits for every item are spent before it starts (a list too long for them is refused at once).
 */
export function matchingIndexes(program: SafeProgram, items: readonly unknown[], operands: OperandReader): number[] {
  operands.spend(program.runUnits * items.length)
  const matched: number[] = []
  for (let from = 0; from < items.length; from += FILTER_RUN_ITEMS) {
    const run = items.length <= FILTER_RUN_ITEMS ? items : items.slice(from, from + FILTER_RUN_ITEMS)
    for (const index of runOver(program, run, operands)) matched.push(from + index)
  }
  return matched
}

/** matchingIndexes over `items` in one jsonpath-plus run (their runUnits spent already). */
function runOver(program: SafeProgram, items: readonly unknown[], operands: OperandReader): number[] {
  // jsonpath-plus reads what the sandbox functions throw as a failed evaluation: keep the budget's own,
  // and charge any other (an item's evaluation ended by an exception) what it costs
  let spent: PathBudgetError | undefined
  const keep = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    // the rest of the run's items end at their first call, with the same error (no stack captured again)
    if (spent) throw spent
    try {
      return fn(...args)
    } catch (e) {
      if (e instanceof PathBudgetError) spent = e
      else if (!spent) {
        try {
          operands.spend(FAILED_RUN_COST)
        } catch (budget) {
          if (budget instanceof PathBudgetError) spent = budget
          throw budget
        }
      }
      throw e
    }
  }
  const sandbox: Record<string, unknown> = {
    __val: keep((at: unknown, path: unknown) => (path instanceof CompiledPath ? operands.value(path, at) : UNDEF)),
    __exists: keep((at: unknown, path: unknown, should: unknown) => path instanceof CompiledPath && operands.exists(path, at) === should),
    __rel: keep((op: unknown, left: unknown, right: unknown) => typeof op === 'string' && isRelOp(op) && relate(op, left, right, operands.spend)),
  }
  sandbox.__k = program.constants
  boundScriptCache(program.code)
  const matched = JSONPath<unknown[]>({
    path: `$[?(${program.code})]`,
    json: items as unknown[],
    eval: 'safe',
    wrap: true,
    resultType: 'parentProperty',
    // Jayway's PredicatePathToken.accept turns an item's evaluation failure into "no match".
    ignoreEvalErrors: true,
    // The typings say Map, but jsonpath-plus copies the sandbox with Object.assign.
    sandbox: sandbox as unknown as Map<string, unknown>,
  })
  if (spent) throw spent
  return matched as number[]
}
