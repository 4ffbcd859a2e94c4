// What one result cell, row and page may hold (#9.2): a cell over the cap keeps its head and ends
// with a note of how much was cut, its set ends `truncated`, and a page stops at its byte cap.
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_CELL_CHARS, MAX_PAGE_BYTES, MAX_ROW_CHARS } from '../../electron/store/result-cells'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup() {
  const t = tempStore()
  cleanup = t.cleanup
  const jobId = t.store.jobs.create({ uuid: 'uuid-cells', kind: 'script', name: 'cells', submitter: 'admin' }, [{ name: 'main', executor: 'sql' }])
  const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns: [{ name: 's', type: '' }, { name: 'n', type: '' }] })
  return { store: t.store, jobId, set }
}

const stored = (store: ReturnType<typeof setup>['store'], setId: number) =>
  store.db.prepare<[number], { size: number }>('SELECT max(length(data)) AS size FROM result_rows WHERE result_set_id = ?').get(setId)!.size

describe('result cells', () => {
  it('stores a 5 MB cell cut to its head with a note of how much was cut, and the set ends truncated', () => {
    const { store, jobId, set } = setup()
    store.results.append(set, 0, [['x'.repeat(5_000_000), 7n]])
    store.results.finish(set, 'complete')
    const [cell, n] = store.results.rows(set, 0, 10)[0] as [string, string]
    expect(n).toBe('7')
    expect(cell).toBe(`${'x'.repeat(MAX_CELL_CHARS)}… [${(5_000_000 - MAX_CELL_CHARS).toLocaleString('en-US')} more characters cut: a result cell keeps at most ${MAX_CELL_CHARS.toLocaleString('en-US')}]`)
    expect(store.results.get(jobId, 0)!.state).toBe('truncated')
    expect(stored(store, set.id)).toBeLessThan(MAX_CELL_CHARS + 200)
  })

  it('hex-encodes only the head of a large blob', () => {
    const { store, set } = setup()
    store.results.append(set, 0, [[Buffer.alloc(1_000_000, 0xab), null]])
    const [cell, n] = store.results.rows(set, 0, 1)[0] as [string, null]
    expect(n).toBeNull()
    expect(cell.startsWith(`x'${'ab'.repeat(MAX_CELL_CHARS / 2)}'… [`)).toBe(true)
    expect(cell).toContain(`${(1_000_000 - MAX_CELL_CHARS / 2).toLocaleString('en-US')} more bytes cut`)
  })

  it('keeps a row of many cells within the row cap and a complete set of short cells complete', () => {
    const { store, jobId, set } = setup()
    store.results.append(set, 0, [Array.from({ length: 50 }, () => 'y'.repeat(MAX_CELL_CHARS - 1))])
    expect(stored(store, set.id)).toBeLessThan(MAX_ROW_CHARS + 50 * 120)
    const row = store.results.rows(set, 0, 1)[0] as string[]
    expect(row).toHaveLength(50)
    expect(row[0]).toBe('y'.repeat(MAX_CELL_CHARS - 1)) // the first cells keep their share
    expect(row[49]).toMatch(/^… \[65,535 more characters cut/)
    const other = store.results.create({ jobId, taskId: null, kind: 'table', columns: [{ name: 'a', type: '' }] })
    store.results.append(other, 0, [['short'], [1]])
    store.results.finish(other, 'complete')
    expect(store.results.get(jobId, 1)!.state).toBe('complete')
  })

  it('reads a page up to its byte cap (at least one row), and the rows after it on the next page', () => {
    const { store, set } = setup()
    const rows = Array.from({ length: 100 }, (_, i) => ['z'.repeat(MAX_CELL_CHARS - 10), i])
    store.results.append(set, 0, rows)
    const first = store.results.rows(set, 0, 100)
    expect(first.length).toBeLessThan(100)
    expect(first.length).toBeGreaterThanOrEqual(Math.floor(MAX_PAGE_BYTES / (MAX_CELL_CHARS + 20)))
    const next = store.results.rows(set, first.length, 100)
    expect(next[0][1]).toBe(first.length)
    expect(store.results.rows(set, 0, 100, 1)).toHaveLength(1)
  })
})
