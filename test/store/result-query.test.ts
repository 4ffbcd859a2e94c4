// Sorted and filtered reads of a stored result set (store/result-query.ts): the filter text is
// compared as the cells are folded, so what a cell shows always finds that cell.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { inlineQuery, INLINE_QUERY_BYTES } from '../../electron/services/result-query'
import { createResultQueries, type ResultQuery } from '../../electron/store/result-query'
import { tempStore } from '../support/temp-store'
import { sweepAll } from '../support/row-sweeps'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup(rows: unknown[][]) {
  const t = tempStore()
  cleanup = t.cleanup
  const jobId = t.store.jobs.create({ uuid: 'uuid-query', kind: 'script', name: 'query', submitter: 'admin' }, [{ name: 'main', executor: 'sql' }])
  const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns: [{ name: 'name', type: '' }] })
  t.store.results.append(set, 0, rows)
  t.store.results.finish(set, 'complete')
  const queries = createResultQueries(t.store.db)
  // a page as its JSON text (jsonPage), read back as rows
  const read = (setId: number, query: ResultQuery, offset: number, limit: number) => {
    const page = queries.jsonPage({ id: setId, rowCount: rows.length }, query, offset, limit)
    return { rows: JSON.parse(page.json) as unknown[][], matched: page.matched }
  }
  return { queries: { read, all: queries }, setId: set.id, store: t.store, jobId }
}

describe('result filter', () => {
  it('finds a cell holding non-ASCII capitals by its own text, and ASCII letters in any case (#13.5)', () => {
    const { queries, setId } = setup([['Émile Zola'], ['ÅSA'], ['emile'], ['Ölund']])
    // the text exactly as the cell shows it
    expect(queries.read(setId, { filter: 'Émile' }, 0, 10)).toMatchObject({ rows: [['Émile Zola']], matched: 1 })
    expect(queries.read(setId, { filter: 'ÅSA' }, 0, 10).rows).toEqual([['ÅSA']])
    expect(queries.read(setId, { filter: 'Ölund' }, 0, 10).rows).toEqual([['Ölund']])
    // ASCII letters fold both ways, as documented
    expect(queries.read(setId, { filter: 'ÉMILE ZOLA' }, 0, 10).rows).toEqual([['Émile Zola']])
    expect(queries.read(setId, { filter: 'EMILE' }, 0, 10).rows).toEqual([['emile']])
  })
})

describe('result set bytes and the export cursor (#9 §2)', () => {
  it('counts the characters of stored rows, and a set of few cells but many bytes is not sorted inline', () => {
    const long = 'x'.repeat(64_000)
    const { store, jobId } = setup([['a'], ['b']])
    const [set] = store.results.list(jobId)
    expect(set.bytes).toBe('["a"]'.length + '["b"]'.length)
    expect(inlineQuery(set)).toBe(true)
    const big = store.results.create({ jobId, taskId: null, kind: 'table', columns: [{ name: 'c', type: '' }] })
    store.results.append(big, 0, Array.from({ length: 20 }, (_, i) => [`${long}${i}`]))
    const stored = store.results.get(jobId, big.index)!
    expect(stored.bytes).toBe(big.bytes)
    expect(stored.bytes).toBeGreaterThan(INLINE_QUERY_BYTES)
    expect(stored.rowCount * stored.columns.length).toBeLessThan(100) // few cells
    expect(inlineQuery(stored)).toBe(false)
    // unknown bytes (a set written before they were counted): not inline
    expect(inlineQuery({ ...set, bytes: undefined })).toBe(false)
  })

  it('reads a sorted and filtered view page after page with one statement, as paged reads give it', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [`${i % 2 ? 'odd' : 'even'}-${String(49 - i).padStart(2, '0')}-${'y'.repeat(i * 10)}`])
    const { queries, setId } = setup(rows)
    const query: ResultQuery = { sort: 0, order: 'desc', filter: 'ODD' }
    const maxBytes = 600 // a few rows a page, the byte cap ending pages before `limit`
    const paged: unknown[][] = []
    for (let offset = 0; ; ) {
      const page = queries.all.rows(setId, query, offset, 7, maxBytes)
      if (!page.length) break
      paged.push(...page)
      offset += page.length
    }
    const cursor = queries.all.cursor(setId, query, maxBytes)
    const read: unknown[][] = []
    const sizes: number[] = []
    for (let offset = 0; ; ) {
      const page = cursor.read(offset, 7)
      if (!page.length) break
      sizes.push(page.length)
      read.push(...page)
      offset += page.length
    }
    cursor.close()
    expect(paged).toHaveLength(25)
    expect(read).toEqual(paged)
    expect(Math.min(...sizes)).toBeLessThan(7) // the byte cap ended some pages, and the held row came next
    const skipping = queries.all.cursor(setId, query)
    expect(() => skipping.read(3, 1)).toThrow(/reads on from row 0/)
    skipping.close()
  })

  it('reads a sorted view as the paged reads order it: NULLs last, numbers before text, case ignored, ties in stored order', () => {
    const rows = [['b'], [null], [10], ['B'], ['a'], [2], [null], ['A'], [{ k: 1 }], ['b'], [2.5], ['ab']]
    const { queries, setId } = setup(rows)
    for (const query of [{ sort: 0 }, { sort: 0, order: 'desc' }, { sort: 0, filter: 'B' }] satisfies ResultQuery[]) {
      const paged = queries.all.rows(setId, query, 0, 100)
      const cursor = queries.all.cursor(setId, query, 30) // a few rows a page
      const read: unknown[][] = []
      for (let page = cursor.read(0, 5); page.length; page = cursor.read(read.length, 5)) read.push(...page)
      cursor.close()
      expect(read, JSON.stringify(query)).toEqual(paged)
      // a page (its rows' numbers sorted, then its rows read by number) at each offset
      for (let offset = 0; offset < paged.length; offset += 5) expect(queries.read(setId, query, offset, 5).rows, `${JSON.stringify(query)} at ${offset}`).toEqual(paged.slice(offset, offset + 5))
    }
    expect(queries.all.rows(setId, { sort: 0 }, 0, 100).map((r) => r[0])).toEqual([2, 2.5, 10, 'a', 'A', 'ab', 'b', 'B', 'b', { k: 1 }, null, null])
  })

  it('reads the rows of the snapshot it started on: rows deleted meanwhile are still in the file', () => {
    const { queries, setId, store, jobId } = setup(Array.from({ length: 30 }, (_, i) => [`row ${String(29 - i).padStart(2, '0')}`]))
    const exportDb = new Database(store.db.name, { readonly: true }) // the export worker's own connection
    const cursor = createResultQueries(exportDb).cursor(setId, { sort: 0 })
    const first = cursor.read(0, 10)
    store.results.clear(jobId) // a rerun clears the job's result sets, and their rows go after it (row-sweeper.ts)
    sweepAll(store.db)
    expect(queries.all.rows(setId, { sort: 0 }, 0, 100)).toEqual([])
    const rest = cursor.read(10, 100)
    cursor.close()
    exportDb.close()
    expect([...first, ...rest].map((r) => r[0])).toEqual(Array.from({ length: 30 }, (_, i) => `row ${String(i).padStart(2, '0')}`))
  })
})

describe('a sorted page and its stop check (#9 §0)', () => {
  it("ends soon after its last row's stop check, at the end of a big set too: its sort holds row numbers, not rows", { timeout: 120_000 }, () => {
    // a worker's page hears a stop only at a row's check (stopCheckTerm) or the next statement: the
    // sort's last step and the offset's skip come after the last row's check, out of its reach
    const t = tempStore()
    cleanup = t.cleanup
    const jobId = t.store.jobs.create({ uuid: 'uuid-big-sort', kind: 'script', name: 'sort', submitter: 'admin' }, [])
    const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns: ['i', 'a', 'b', 'c'].map((name) => ({ name, type: 'TEXT' })) })
    const ROWS = 200_000
    const row = (i: number) => [String(i), String(i).padStart(100, '0'), String((i * 7919) % ROWS).padStart(100, '0'), String(i * 13).padStart(100, '0')]
    for (let from = 0; from < ROWS; from += 10_000) t.store.results.append(set, from, Array.from({ length: 10_000 }, (_, k) => row(from + k)))
    let lastCheck = 0
    const queries = createResultQueries(t.store.db, { stopCheck: () => void (lastCheck = performance.now()) })
    const page = queries.jsonPage({ id: set.id, rowCount: ROWS }, { sort: 2 }, ROWS - 100, 100)
    const afterCheck = performance.now() - lastCheck
    // the sorted cells are (i × 7919) mod ROWS, each once: the page starts at the row whose cell is ROWS - 100
    expect(page.count).toBe(100)
    expect(page.rowNumbers[0]).toBe(1 + [...Array(ROWS).keys()].find((i) => (i * 7919) % ROWS === ROWS - 100)!)
    // sorting whole rows: 640-990 ms (and 23 s in all) at load 3; their numbers: 73-80 ms (5.7 s)
    expect(afterCheck).toBeLessThan(300)
  })
})
