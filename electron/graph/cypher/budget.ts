// What bounds a query: its deadline (the request's timeout), the caller's stop flag (shared memory
// the main thread sets), the rows an operator holds, and its value budget (value-budget.ts: the size
// of each value built and of the values held), so no query (a cartesian explosion, a huge UNWIND
// range, a list doubled in reduce()) can exhaust the worker's memory or run forever. Operators call
// tick() per row.
import { cypherError } from './errors'
import { ValueBudget } from './value-budget'

/** Rows an operator may hold at once (ORDER BY, DISTINCT, aggregation, the input of a write). */
export const MAX_HELD_ROWS = 1_000_000
/** Rows a query may return. */
export const MAX_RESULT_ROWS = 200_000
/** Values of the stop flag the main thread sets. */
export const STOP_FLAG = { none: 0, cancel: 1, timeout: 2 } as const

export interface BudgetOptions {
  /** Seconds; 0 or undefined = no timeout. */
  timeoutSeconds?: number
  /** An Int32 the caller sets to non-zero to stop the query. */
  stop?: Int32Array
}

export class Budget {
  private readonly deadline: number
  private n = 0
  /** The query's value budget: every path that builds or holds values asks it. */
  readonly values = new ValueBudget()

  constructor(private readonly options: BudgetOptions = {}) {
    const t = options.timeoutSeconds ?? 0
    this.deadline = t > 0 ? Date.now() + t * 1000 : Infinity
  }

  /**
   * Counts one unit of work (a row, an edge read, a step of a walk); every 32 units, checks the
   * stop flag and the deadline (both cheap), so even costly units stop within milliseconds.
   */
  tick(): void {
    if ((++this.n & 31) === 0) this.check()
  }

  /** Throws query_cancelled or query_timeout when the query must stop. */
  check(): void {
    const flag = this.options.stop ? Atomics.load(this.options.stop, 0) : STOP_FLAG.none
    if (Date.now() > this.deadline || flag === STOP_FLAG.timeout) throw cypherError('query_timeout', `Query timed out after ${this.options.timeoutSeconds} s (the request's timeout).`)
    if (flag !== STOP_FLAG.none) throw cypherError('query_cancelled', 'Query cancelled.')
  }

  /** Throws query_too_large when an operator would hold more than MAX_HELD_ROWS rows. */
  held(rows: number, what: string): void {
    if (rows > MAX_HELD_ROWS) throw cypherError('query_too_large', `Query too large: ${what} would hold more than ${MAX_HELD_ROWS} rows; narrow the MATCH or add LIMIT.`)
  }
}
