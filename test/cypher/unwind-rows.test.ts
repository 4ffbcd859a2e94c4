// Attack (issue #9 trial, MED): nested UNWINDs of lists each under the value budget's list limit made
// 27 billion rows (`UNWIND range(1,3000) AS a UNWIND range(1,3000) AS b UNWIND range(1,3000) AS c
// RETURN count(*)`) and held a query worker until the 600 s default timeout. The UNWIND estimate
// (electron/graph/cypher/unwind-rows.ts) multiplies the sizes known before running and refuses past
// MAX_UNWIND_ROWS with query_too_large naming the estimate, at once; statements under it, and those a
// LIMIT or an aggregation bounds, run as before.
import { beforeAll, describe, expect, it } from 'vitest'
import { runCypher } from '../../electron/graph/cypher/run'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { q, useFixtureGraph } from './fixture'

let g: GraphDb
const fixture = useFixtureGraph('all')
beforeAll(() => ({ g } = fixture))

/** The error runCypher throws for `script`, with how long it took. */
function refusal(script: string, parameters?: unknown): { code: string; message: string; ms: number } {
  const started = Date.now()
  try {
    runCypher(g, { script, parameters, timeoutSeconds: 30 })
  } catch (e) {
    const { code, message } = e as { code: string; message: string }
    return { code, message, ms: Date.now() - started }
  }
  throw new Error(`${script.slice(0, 60)}… ran`)
}

const CUBE = 'UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b UNWIND range(1, 3000) AS c RETURN count(*) AS n'

describe('the UNWIND estimate', () => {
  it('refuses the trial’s cube of ranges at once, naming the estimate and the sizes multiplied', () => {
    const r = refusal(CUBE)
    expect(r).toMatchObject({
      code: 'query_too_large',
      message: 'Query too large: its UNWINDs would make about 27,000,000,000 rows (3,000 × 3,000 × 3,000), past the limit of 100,000,000 rows per statement; narrow the lists, or aggregate or add LIMIT between the UNWINDs.',
    })
    expect(r.ms).toBeLessThan(2000) // before: ran until the timeout (no answer in 400 s)
  })

  it.each([
    ['a list bound by WITH', 'WITH range(1, 3000) AS l UNWIND l AS a UNWIND l AS b UNWIND l AS c RETURN count(*) AS n', undefined, '27,000,000,000'],
    ['ranges of parameters', 'UNWIND range(1, $n) AS a UNWIND range($n, 1, -1) AS b UNWIND range(1, $n) AS c RETURN count(*) AS n', { n: 3000 }, '27,000,000,000'],
    ['a list parameter', 'UNWIND $l AS a UNWIND $l AS b UNWIND $l AS c RETURN a', { l: Array.from({ length: 1000 }, (_, i) => i) }, '1,000,000,000'],
    ['list literals and a comprehension', 'UNWIND [x IN range(1, 100000) | x * 2] AS a UNWIND [1, 2, 3] AS b UNWIND range(1, 1000) AS c RETURN count(*) AS n', undefined, '300,000,000'],
    ['UNWINDs past an aggregation that keeps the rows apart', 'UNWIND range(1, 20000) AS a WITH a, count(*) AS k UNWIND range(1, 20000) AS b RETURN count(*) AS n', undefined, '400,000,000'],
    ['UNWINDs past a LIMIT larger than the rows', 'UNWIND range(1, 20000) AS a WITH a LIMIT 50000 UNWIND range(1, 20000) AS b RETURN count(*) AS n', undefined, '400,000,000'],
  ])('multiplies %s', (_, script, params, estimate) => {
    const r = refusal(script, params)
    expect(r.code).toBe('query_too_large')
    expect(r.message).toContain(`would make about ${estimate} rows`)
    expect(r.ms).toBeLessThan(2000)
  })

  it('runs statements under the limit, and those an aggregation or a LIMIT bounds', () => {
    expect(q(g, 'UNWIND range(1, 300) AS a UNWIND range(1, 300) AS b RETURN count(*) AS n')).toEqual([{ n: 90_000 }])
    // 10^10 rows if all were made, but the LIMIT takes the first three as they come
    expect(q(g, 'UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN a, b LIMIT 3')).toEqual([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ])
    expect(q(g, 'UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a, b LIMIT 4 UNWIND range(1, 100000) AS c RETURN count(*) AS n')).toEqual([{ n: 400_000 }])
    // one row after count(*): the next UNWIND starts again from it
    expect(q(g, 'UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b WITH count(*) AS k UNWIND range(1, 1000) AS c RETURN k, count(*) AS n')).toEqual([{ k: 1_000_000, n: 1000 }])
    expect(q(g, 'UNWIND [] AS a UNWIND range(1, 100000) AS b UNWIND range(1, 100000) AS c RETURN count(*) AS n')).toEqual([{ n: 0 }])
  })

  it('plans the cube for EXPLAIN: nothing runs', () => {
    expect(q(g, `EXPLAIN ${CUBE}`)).toHaveLength(1)
  })

  it('refuses a WHERE between the UNWINDs and the LIMIT: every row would be made to be filtered', () => {
    expect(refusal('UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a, b WHERE a = -b RETURN a LIMIT 1').code).toBe('query_too_large')
  })
})

it('leaves a list past the list limit to the value budget, which names that limit', () => {
  expect(refusal('UNWIND range(1, 1000000000) AS x UNWIND range(1, 1000) AS y RETURN count(*) AS n').message).toMatch(/^Query too large: range\(\) .* limit of 1,000,000 elements per list/)
})
