// The smallest CSV exports, written on the main thread in one turn: a few milliseconds, not worth a
// thread, a slot or the exporter's rules (#9 §2; atk37, atk39, atk40).
import { PassThrough, Transform } from 'node:stream'
import type { ResultQueries, ResultQuery } from '../../store/result-query'
import type { ResultRepository, ResultSetMeta } from '../../store/result.repository'
import { INLINE_QUERY_BYTES, inlineQuery } from '../result-query'
import { csvWorstBytes } from './export-worst-size'
import type { ExportOptions } from './format'
import { jsonTextEncoder } from './json-text'
import { writeExport, type ExportOutcome, type Sink } from './write-file'

/**
 * Up to this many rows and cells, and INLINE_QUERY_BYTES of stored rows in the whole set, a CSV export
 * is written in-process: a few milliseconds, not worth a thread. An xlsx always goes to a worker:
 * importing exceljs alone costs ~0.7 s of CPU, and one row of 2,000 columns written in-process held
 * every request 716 ms (#9 §2). Such an export is outside the slots, EXPORTS_PER_USER and the rate rule,
 * and needs none of them: it is one page (at most 1 MB of stored rows, and at most INLINE_WRITTEN_BYTES
 * written at worst under its options), written in one turn, then held until its reader takes it, as
 * an unread result page (MAX_PAGE_BYTES) is; many left unread cost what as many unread pages do.
 * Without the byte bound, 1,000 rows of 256 K characters (256 MB of CSV) would pass as small and be
 * formatted on the main thread, outside every bound.
 */
const INLINE_ROWS = 1000
const INLINE_CELLS = 20_000
/** Whether `set` is small enough in bytes for an in-process export: known, and at most INLINE_QUERY_BYTES. */
const fewBytes = (set: ResultSetMeta): boolean => set.bytes !== undefined && set.bytes <= INLINE_QUERY_BYTES
/**
 * The most bytes an in-process CSV export may write at worst (csvWorstBytes): what is written, not
 * what is stored, bounds its turn on the main thread: 1,000 rows of 20 NULLs (101 kB stored) written
 * as a 100-quote nullValue under quoteAll, in utf-16le, are 8 MB. Past it the export goes to a worker,
 * under the slots, EXPORTS_PER_USER and the rate rule.
 */
const INLINE_WRITTEN_BYTES = INLINE_QUERY_BYTES

/**
 * Whether an export of `rows` rows of `set` under `options` (of the rows `query` gives, when set,
 * read in-process by `queries`) is small enough to be written in-process: a CSV within INLINE_ROWS
 * and INLINE_CELLS whose set is at most INLINE_QUERY_BYTES (a view's set: small enough to sort and
 * filter in-process) and that writes at most INLINE_WRITTEN_BYTES at worst.
 */
export function writesInProcess(set: ResultSetMeta, options: ExportOptions, rows: number, query: ResultQuery | undefined, queries: ResultQueries | undefined): boolean {
  // a sort or filter reads every cell of the whole set, however few rows the file gets
  const cells = rows * options.columns.length
  const small = (query ? inlineQuery(set) && queries : rows <= INLINE_ROWS && fewBytes(set)) && cells <= INLINE_CELLS
  if (options.format !== 'csv' || !small) return false
  const header = options.columns.reduce((n, c) => n + Buffer.byteLength(set.columns[c]?.name ?? ''), 0)
  return Math.min(options.maxBytes, csvWorstBytes(options, set.bytes ?? Infinity, rows, cells, header)) <= INLINE_WRITTEN_BYTES
}

/** A stream written UTF-8 bytes that reads them as the escaped inside of a JSON string (a small export's jsonText, in-process). */
function jsonTextStream(): Transform {
  const text = jsonTextEncoder()
  const out = (bytes: Buffer) => (bytes.length ? bytes : undefined)
  return new Transform({
    transform: (chunk: Buffer, _enc, cb) => cb(null, out(text.write(chunk))),
    flush: (cb) => cb(null, out(text.end())),
  })
}

/**
 * Writes an export that writesInProcess allows into the returned stream (as `jsonText`'s escaped
 * text when set), its rows read by `queries` under `query` or else by `results`; `settle` is told
 * what was written, or the failure (the stream is then destroyed with it).
 */
export function exportInProcess(
  work: { set: ResultSetMeta; options: ExportOptions; notes: string[] },
  read: { results: ResultRepository; queries?: ResultQueries; query?: ResultQuery },
  jsonText: boolean,
  settle: { resolve: (o: ExportOutcome) => void; reject: (e: Error) => void },
): PassThrough {
  const stream = Object.assign(jsonText ? jsonTextStream() : new PassThrough(), { ready: () => Promise.resolve() }) as Sink & PassThrough
  const { results, queries, query } = read
  const rows = (offset: number, limit: number) => (query && queries ? queries.rows(work.set.id, query, offset, limit) : results.rows(work.set, offset, limit))
  writeExport(work, stream, rows).then(settle.resolve, (e: Error) => {
    const failed = new Error(`export failed: ${e.message}`)
    settle.reject(failed)
    stream.destroy(failed)
  })
  return stream
}
