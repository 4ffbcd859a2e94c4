// Filter evaluation: jsonpath-plus's safe evaluator (its jsep interpreter) runs the program on each
// item, called directly rather than through JSONPath() (which per call re-read the path, scanned the
// code for nested filters and kept every script in its never-emptied cache). The code it runs is
// generated here from identifiers only; every descriptor-provided value is a sandbox constant.
// The helpers the code calls read path operands through the walker and compare with
// relations.ts (Jayway's value-node comparisons).

import { JSONPath } from 'jsonpath-plus'
import { CompiledPath, isRelOp, UNDEF, type FilterNode, type Operand, type SafeProgram, type SafeScriptRun } from './compiled'
import { relate } from './relations'
import { FAILED_RUN_COST, filterRunUnits, PathBudgetError } from './work'

/** The sandbox name of the current item in generated code (jsonpath-plus's own for `@`). */
const ITEM = '_$_v'

/** jsonpath-plus's safe evaluator (jsep parse, then an AST interpreter); its typings do not show it. */
const SafeScript = (JSONPath.prototype as unknown as { safeVm: { Script: new (code: string) => SafeScriptRun } }).safeVm.Script

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
 * ours alone. One constant, not one a value: the safe evaluator copies the sandbox for every item it
 * evaluates, and 200 constants made that copy cost more than the predicate. The program's runUnits
 * count the predicate's nodes (a relation and its two operands: 3; each `||` or `&&`: 1).
 */
export function toSafeProgram(node: FilterNode): SafeProgram {
  const constants: unknown[] = []
  const ref = (value: unknown): string => `__k[${constants.push(value) - 1}]`
  // the item is the sandbox name ITEM, never `@`: jsonpath-plus's JSONPath() (no longer called) looked
  // for nested filters from every `@` in quadratic time (a 4,000-term `||` filter took 1.4 s a run)
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
  return { code, constants, runUnits: filterRunUnits(nodes), script: new SafeScript(code) }
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
 * The indexes of the items of `items` that pass the filter, in order, as runFilter decides each
 * (an item whose evaluation fails does not pass; PathBudgetError is thrown on). The program's
 * runUnits for every item are spent before it starts (a list too long for them is refused at once).
 * Each item is one run of the program's safe-eval script, ended at once when the budget is spent.
 */
export function matchingIndexes(program: SafeProgram, items: readonly unknown[], operands: OperandReader): number[] {
  operands.spend(program.runUnits * items.length)
  // the evaluator reads what the sandbox functions throw as a failed evaluation: keep the budget's own,
  // and charge any other (an item's evaluation ended by an exception) what it costs
  let spent: PathBudgetError | undefined
  const keep = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    try {
      return fn(...args)
    } catch (e) {
      if (e instanceof PathBudgetError) spent = e
      else {
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
    __k: program.constants,
    [ITEM]: undefined,
  }
  const matched: number[] = []
  for (let i = 0; i < items.length; i++) {
    sandbox[ITEM] = items[i]
    let passes = false
    try {
      passes = Boolean(program.script.runInNewContext(sandbox))
    } catch {
      // Jayway's PredicatePathToken.accept turns an item's evaluation failure into "no match"
    }
    if (spent) throw spent
    if (passes) matched.push(i)
  }
  return matched
}
