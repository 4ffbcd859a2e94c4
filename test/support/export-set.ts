// What the exporter's own tests export: a finished result set in a temp store, and CSV options.
import { randomUUID } from 'node:crypto'
import type { ExportOptions } from '../../electron/services/export/exporter'
import type { ResultColumn, ResultSetMeta } from '../../electron/store/result.repository'
import type { tempStore } from './temp-store'

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
