// What the exporter's own tests export: a finished result set in a temp store, and CSV options.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeAll, beforeEach, vi } from 'vitest'
import type { ExportOptions, ExportStream } from '../../electron/services/export/exporter'
import type { ResultColumn, ResultSetMeta } from '../../electron/store/result.repository'
import { tempStore as makeTempStore, type tempStore } from './temp-store'

/** A finished table result set of a new job of `t`'s store, holding `rows` under `columns`. */
export function storedSet(t: ReturnType<typeof tempStore>, columns: ResultColumn[], rows: unknown[][]): ResultSetMeta {
  const jobId = t.store.jobs.create({ uuid: randomUUID(), kind: 'script', name: 'exported', submitter: 'admin' }, [])
  const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns })
  t.store.results.append(set, 0, rows)
  t.store.results.finish(set, 'complete')
  return t.store.results.get(jobId, 0)!
}

/** Plain UTF-8 CSV (comma, LF, no caps that matter) of the columns `columns`. */
export const csvOptions = (columns: number[]): ExportOptions => ({
  format: 'csv',
  separator: ',',
  quoteAll: false,
  keepNewline: false,
  lineEnd: '\n',
  charset: 'utf-8',
  textAsLines: false,
  nullValue: '',
  maxRows: 100_000,
  maxBytes: 128 << 20,
  columns,
})

/**
 * A suite's finished set of `rows` rows (i INTEGER, pad TEXT of 200 'x': ~205 bytes of CSV each) in a
 * temp store made before its tests and removed after, and the exporter's clock and timers faked for
 * each test (setTimeout, clearTimeout, performance), so rate windows cost no real time; the exports a
 * test pushes on `started` are destroyed after it. `t` and `set` are read once the suite has started.
 */
export function pacedExportSuite(rows: number): { readonly t: ReturnType<typeof tempStore>; readonly set: ResultSetMeta; started: ExportStream[] } {
  let t: ReturnType<typeof tempStore> | undefined
  let set: ResultSetMeta | undefined
  const started: ExportStream[] = []
  beforeAll(() => {
    t = makeTempStore()
    set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'pad', type: 'TEXT' }], Array.from({ length: rows }, (_, i) => [i, 'x'.repeat(200)]))
    return () => t!.cleanup()
  })
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }))
  afterEach(() => {
    vi.useRealTimers()
    for (const e of started.splice(0)) e.stream.destroy()
  })
  return {
    get t() {
      return t!
    },
    get set() {
      return set!
    },
    started,
  }
}
