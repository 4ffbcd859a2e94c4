// The work budget of path evaluation. A path's cost is not its length: each `..x` of a chain
// matches every `x` below every match of the step before, so `$..x..x..x..x..x` over 90 nested
// levels reaches C(90, 5) = 44 million nodes (seconds of the main thread, then V8 refusing to grow
// the result list past its maximum, which ends the process). The walker spends one unit for each
// node it steps into or records, and more for filters and operators that do more (a filter's
// safe-eval run, a list compared, a string scanned), so a walk stops with PathBudgetError once its
// budget is spent, before its result lists can grow past it.

/**
 * Units one evaluation may spend (a read, a condition, a write's walk), or all the paths of one
 * mapping pass together (value-budget.ts PASS_LIMITS). A node visit is some 30-40 ns on an idle
 * machine and up to three times that before the walk is compiled or on a loaded one, so 500,000
 * is 15-60 ms: a status probe waiting behind it still answers within 200 ms at a load of 6 on
 * two cores (at 1,000,000 it waited 250 ms there). Enough for `sub_context[*].x` over a
 * 200k-item foreach (2 units an item), or `$..name` over 90,000 items of two keys (5 an item).
 */
export const PATH_WORK_LIMIT = 500_000

/**
 * Units of one filter evaluated on one item: jsonpath-plus's safe evaluator costs about 1 µs an
 * item of a list (filter.ts matchingIndexes), some 30 node visits; 4 µs for a lone item.
 */
export const FILTER_RUN_COST = 32

/**
 * Units of each node of a filter's predicate (an operator, a negation, an operand) per item: the
 * safe evaluator took some 64 ns a node (2,000 nested negations: 128 µs an item), and a call of
 * an operand or relation some 100-200 ns more (`@.q.z || … ×200` over items without `q`: 88 ms
 * of CPU for 500,000 units at 2 a node, load 8).
 */
const FILTER_NODE_COST = 2

/** Units of starting a filter operand's walk (a walker and its call from the safe evaluator), besides its nodes. */
export const OPERAND_WALK_COST = 2

/**
 * Units of an item whose filter evaluation ends in an exception (a relation on operands it cannot
 * take, such as `@.a in 1`): the Error, its stack and jsonpath-plus's catch took some 10 µs,
 * where the run was charged 40 units (`[?(@.a in 1)]` ran 177 ms of CPU for 500,000 units).
 */
export const FAILED_RUN_COST = 300

/** Units of one run of a filter of `nodes` predicate nodes on one item. */
export const filterRunUnits = (nodes: number): number => FILTER_RUN_COST + FILTER_NODE_COST * nodes

/** Characters a string comparison or search scans per unit (V8 scans some 6 ns a character at worst). */
const CHARS_PER_UNIT = 64

/** Units of comparing or searching `length` characters. */
export const charUnits = (length: number): number => 1 + Math.floor(length / CHARS_PER_UNIT)

/**
 * Units of matching a filter regex of `programSize` RE2 instructions on `length` characters: re2js
 * takes some 40-200 ns a character for a small program, and more as the threads it may keep alive
 * at each character grow with the program (pattern.ts caps it at MAX_PROGRAM_SIZE): a unit a
 * character for every 32 instructions.
 */
export const regexUnits = (length: number, programSize: number): number => 1 + length * Math.ceil(programSize / 32)

/** A path's evaluation has used up its budget (PathWork): it is refused, never read as "no result". */
export class PathBudgetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PathBudgetError'
  }
}

/**
 * What path walks may still do, in units of PATH_WORK_LIMIT: one per evaluation by default, or
 * one shared by several (a mapping pass's, a task's conditions). Filter operand paths draw from the
 * walk that runs the filter.
 */
export class PathWork {
  /** Units left; below zero once spent (`spend` then throws). */
  left: number

  /**
   * @param scope what the budget covers, as its error says: "one evaluation", "the paths of one mapping pass together"
   * @param limit units it holds
   */
  constructor(
    readonly scope: string = 'one evaluation',
    readonly limit: number = PATH_WORK_LIMIT,
  ) {
    this.left = limit
  }

  /** Spends `n` units on `path` (the expression named in the error); throws PathBudgetError when none are left. */
  spend(n: number, path: string): void {
    this.left -= n
    if (this.left < 0) this.refuse(path)
  }

  /** Throws the PathBudgetError of `path`. */
  refuse(path: string): never {
    throw new PathBudgetError(
      `the JSONPath ${path} was stopped: it would visit more than ${this.limit} nodes, the limit of ${this.scope} (a chain of deep scans such as ..x..x, or a filter over a large list, reaches nodes by the million)`,
    )
  }
}
