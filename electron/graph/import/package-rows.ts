// A package's lines into rows (parse and convert every data line), then its rows into the graph
// inside the package's transaction. A bad line goes to `fail`, which either records it (continue
// on error) or throws and so rolls the whole package back.
import type { GraphWriter } from '../store/graph-db'
import type { EdgeTable, VertexTable } from '../store/label-tables'
import type { Stored } from '../store/values'
import { CsvFieldSplitter } from './csv-fields'
import type { PackageLines } from './lines'
import type { FilePlan } from './mapping'
import { rowFromFields, rowFromJson, RowError, type Row } from './rows'

export interface LineRow {
  line: number
  text: string
  row: Row
}

/** Called for each line that is not imported; throws to stop the package (continueOnError false). */
export type FailLine = (line: number, text: string, reason: string) => void

/** Lines converted per batch; between batches the worker looks at its stop flag and reports progress. */
export const BATCH_LINES = 4096

/**
 * Parses lines[from..] into rows. Blank lines are counted, not parsed. `tick(index)` runs between
 * batches (it may throw to stop). Returns the rows and how many data and blank lines there were.
 */
export function parseRows(
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  pkg: PackageLines,
  from: number,
  firstLineNo: number,
  fail: FailLine,
  tick: (index: number) => void,
): { rows: LineRow[]; dataLines: number; blankLines: number } {
  const { lines, broken } = pkg
  const rows: LineRow[] = []
  let dataLines = 0
  let blankLines = 0
  for (let start = from; start < lines.length; start += BATCH_LINES) {
    tick(start)
    const end = Math.min(start + BATCH_LINES, lines.length)
    const batch: number[] = []
    for (let i = start; i < end; i++) {
      if (lines[i].trim() === '') blankLines++
      else batch.push(i)
    }
    dataLines += batch.length
    const fields = plan.mapping.format === 'CSV' ? splitter.splitAll(batch.map((i) => lines[i])) : null
    batch.forEach((i, k) => {
      const line = firstLineNo + i
      const text = lines[i]
      const brokenWhy = broken.get(i)
      if (brokenWhy !== undefined) return fail(line, text, brokenWhy)
      try {
        if (fields) {
          const f = fields[k]
          if (typeof f === 'string') return fail(line, text, f)
          rows.push({ line, text, row: rowFromFields(plan, f) })
        } else {
          rows.push({ line, text, row: rowFromJson(plan, text) })
        }
      } catch (e) {
        if (e instanceof RowError) return fail(line, text, e.message)
        throw e
      }
    })
  }
  return { rows, dataLines, blankLines }
}

/** Orders stored values as TuGraph's sort of a package does (numbers by value, text by code units). */
export function compareStored(a: Stored, b: Stored): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Vertices of a package, sorted by primary key first as TuGraph does (so vids follow key order
 * within a package, and of equal keys the first in the file is kept). Returns how many were added.
 */
export function writeVertices(w: GraphWriter, t: VertexTable, rows: LineRow[], fail: FailLine, tick: (i: number) => void): number {
  const k = t.primaryIndex
  rows.sort((a, b) => compareStored(a.row.values[k], b.row.values[k]))
  const def = t.label.def
  const primary = def.type === 'VERTEX' ? def.primary : ''
  let added = 0
  rows.forEach((r, i) => {
    if (i % BATCH_LINES === 0) tick(i)
    if (w.addVertex(t, r.row.values) !== null) return void added++
    const key = r.row.values[k]
    const why = t.byPrimary.get(key)
      ? `[${primary}] = ${String(key)} exists in label [${t.label.name}]`
      : `a value of a unique field of label [${t.label.name}] exists`
    fail(r.line, r.text, `vertex unique index conflict: ${why}`)
  })
  return added
}

/** A bounded map of primary key → vid, valid inside one package's transaction. */
function lookup(t: VertexTable, cache: Map<Stored, number>, key: Stored): number | undefined {
  let vid = cache.get(key)
  if (vid === undefined) {
    vid = t.byPrimary.get(key)?.vid
    if (vid !== undefined) {
      if (cache.size >= 200_000) cache.clear()
      cache.set(key, vid)
    }
  }
  return vid
}

/**
 * Edges of a package: endpoints resolved through the primary indexes of the SRC_ID and DST_ID
 * labels ("Missing src uid X" when absent), then inserted ordered by (src, tid, dst) so writes
 * stay local; among equal keys file order decides the eids. Returns how many were added.
 */
export function writeEdges(
  w: GraphWriter,
  t: EdgeTable,
  srcT: VertexTable,
  dstT: VertexTable,
  rows: LineRow[],
  fail: FailLine,
  tick: (i: number) => void,
): number {
  const srcCache = new Map<Stored, number>()
  const dstCache = srcT === dstT ? srcCache : new Map<Stored, number>()
  const edges: { r: LineRow; src: number; dst: number }[] = []
  rows.forEach((r, i) => {
    if (i % BATCH_LINES === 0) tick(i)
    const src = lookup(srcT, srcCache, r.row.src)
    if (src === undefined) return fail(r.line, r.text, `Missing src uid ${String(r.row.src)}`)
    const dst = lookup(dstT, dstCache, r.row.dst)
    if (dst === undefined) return fail(r.line, r.text, `Missing dst uid ${String(r.row.dst)}`)
    edges.push({ r, src, dst })
  })
  edges.sort((a, b) => a.src - b.src || compareStored(a.r.row.tid, b.r.row.tid) || a.dst - b.dst)
  let added = 0
  edges.forEach((e, i) => {
    if (i % BATCH_LINES === 0) tick(i)
    try {
      w.addEdge(t, e.src, e.dst, e.r.row.tid, e.r.row.values)
      added++
    } catch (err) {
      if ((err as { code?: string }).code === 'index_conflict') return fail(e.r.line, e.r.text, (err as Error).message)
      throw err
    }
  })
  return added
}
