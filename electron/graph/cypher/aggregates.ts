// Aggregate functions (TuGraph's list, reference/tugraph.md §4.1): one accumulator per call and
// group. Nulls are skipped (count(*) counts rows); DISTINCT keeps the first of equal values.
// A row may stand for `times` equal rows (weighted rows from a counted expand, execute.ts): counts
// and integer sums multiply, min/max and DISTINCT take it once, and the rest add the value `times`
// times, so every result is exactly what as many separate rows would give (floating-point sums
// included).
import type { EvalContext, AggregateCall } from './expressions'
import { runtimeError } from './errors'
import type { Row } from './scope'
import { isNumber, keyOf, NodeV, orderCompare, typeName, type Value } from './values'
import { sizeOf, type ValueBudget } from './value-budget'

/** Bytes a held number counts for (a value of percentileCont's list, a DISTINCT vid). */
const HELD_NUMBER = 16

export interface Accumulator {
  /** Adds a row that stands for `times` (≥ 1) equal rows. */
  add(row: Row, c: EvalContext, times?: number): void
  result(): Value
}

function numeric(name: string, v: Value): number | bigint {
  if (!isNumber(v)) throw runtimeError(`Type mismatch: ${name}() expects numbers, got ${typeName(v)}.`)
  return v
}

/** count(*): rows counted as a number while exact (a group of 100,000 vertices makes 100,000 of these: no closures). */
class CountRows implements Accumulator {
  private n = 0
  add(_row: Row, _c: EvalContext, times = 1): void {
    this.n += times
  }
  result(): Value {
    return BigInt(this.n)
  }
}

/**
 * One aggregate call's state for every group of an aggregation, by group number (0, 1, … in the
 * order groups appear): count(*) keeps plain numbers in one array, other calls an Accumulator per
 * group. A grouping of 100,000 keys then holds no object per group for count(*).
 */
export interface AggregateColumn {
  /** Adds a row of group `g` standing for `times` equal rows; a group's first add has g = the groups so far. */
  add(g: number, row: Row, c: EvalContext, times: number): void
  /** The aggregate of group `g` (of no rows when nothing was added to it). */
  result(g: number): Value
}

/** The column of an aggregate call (see AggregateColumn). */
export function aggregateColumn(call: AggregateCall): AggregateColumn {
  if (call.name === 'count' && call.star) {
    // a typed array: no element for the collector to visit, grown by doubling
    let n = new Float64Array(1024)
    return {
      add: (g, _row, _c, times) => {
        if (g >= n.length) {
          const grown = new Float64Array(n.length * 2)
          grown.set(n)
          n = grown
        }
        n[g] += times
      },
      result: (g) => BigInt(g < n.length ? n[g] : 0),
    }
  }
  const accs: Accumulator[] = []
  const of = (g: number) => {
    if (g >= accs.length) accs.push(accumulator(call))
    return accs[g]
  }
  return { add: (g, row, c, times) => of(g).add(row, c, times), result: (g) => of(g).result() }
}

/** A fresh accumulator for one group of an aggregate call. */
export function accumulator(call: AggregateCall): Accumulator {
  // DISTINCT over vertices (count(DISTINCT c) of a walk) keys them by vid, a number no keyOf text equals: no text per row
  const seen = call.distinct ? new Set<string | number>() : undefined
  let extra: Value = null
  /** Calls fn for each of the row's `times` values (once under DISTINCT, or with `once`: the value and times together). */
  const values =
    (fn: (v: Value, times: number) => void, once = false) =>
    (row: Row, c: EvalContext, times = 1) => {
      const v = call.arg!(row, c)
      if (v === null) return
      if (seen) {
        const k = v instanceof NodeV ? v.vid : keyOf(v)
        if (seen.has(k)) return
        c.budget.values.hold(typeof k === 'string' ? sizeOf(k) : HELD_NUMBER, `${call.name}(DISTINCT …)`)
        seen.add(k)
        times = 1
      }
      if (call.extra && extra === null) extra = call.extra(row, c)
      if (once) return fn(v, times)
      for (let i = 0; i < times; i++) fn(v, 1)
    }
  switch (call.name) {
    case 'count': {
      let n = 0n
      if (call.star) return new CountRows()
      return { add: values((_v, times) => void (n += BigInt(times)), true), result: () => n }
    }
    case 'sum': {
      let int = 0n
      let float = 0
      let isFloat = false
      return {
        add: values((v, times) => {
          const x = numeric('sum', v)
          if (typeof x === 'bigint') int += x * BigInt(times)
          else {
            isFloat = true
            for (let i = 0; i < times; i++) float += x
          }
        }, true),
        result: () => (isFloat ? float + Number(int) : int),
      }
    }
    case 'avg': {
      let sum = 0
      let n = 0
      return {
        add: values((v) => {
          sum += Number(numeric('avg', v))
          n++
        }),
        result: () => (n ? sum / n : null),
      }
    }
    case 'min':
    case 'max': {
      let best: Value = null
      const sign = call.name === 'min' ? 1 : -1
      return {
        add: values((v) => {
          if (best === null || sign * orderCompare(v, best) < 0) best = v
        }, true),
        result: () => best,
      }
    }
    case 'collect': {
      // the list is held until the aggregation is read out: it grows within the value budget, and is held
      const list: Value[] = []
      let grown: ReturnType<ValueBudget['growing']> | undefined
      let held: ValueBudget | undefined
      const push = (v: Value) => {
        held!.hold(grown!.add(v), 'collect()')
        list.push(v)
      }
      return {
        add: (row, c, times = 1) => {
          held ??= c.budget.values
          grown ??= held.growing('collect()')
          for (let i = 0; i < times; i++) values(push)(row, c)
        },
        result: () => (grown ? grown.done(list) : list),
      }
    }
    case 'stdev':
    case 'stdevp':
    case 'variance':
    case 'variancep': {
      let n = 0
      let mean = 0
      let m2 = 0
      return {
        add: values((v) => {
          const x = Number(numeric(call.name, v))
          n++
          const d = x - mean
          mean += d / n
          m2 += d * (x - mean)
        }),
        result: () => {
          const sample = call.name === 'stdev' || call.name === 'variance'
          const div = sample ? n - 1 : n
          if (div <= 0) return 0
          const variance = m2 / div
          return call.name.startsWith('stdev') ? Math.sqrt(variance) : variance
        },
      }
    }
    case 'percentilecont':
    case 'percentiledisc': {
      const xs: number[] = []
      return {
        add: (row, c, times) =>
          values((v) => {
            c.budget.values.hold(HELD_NUMBER, `${call.name}()`)
            xs.push(Number(numeric(call.name, v)))
          })(row, c, times),
        result: () => {
          if (!xs.length) return null
          const p = Number(extra ?? 0)
          if (!(p >= 0 && p <= 1)) throw runtimeError(`${call.name}() percentile must be between 0.0 and 1.0, got ${p}.`)
          xs.sort((a, b) => a - b)
          if (call.name === 'percentiledisc') return xs[Math.max(0, Math.ceil(p * xs.length) - 1)]
          const pos = p * (xs.length - 1)
          const lo = Math.floor(pos)
          const hi = Math.ceil(pos)
          return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
        },
      }
    }
  }
  throw runtimeError(`Unknown aggregate ${call.name}()`)
}
