// A package's lines into rows (parse and convert every data line), then its rows into the graph
// inside the package's transaction. A bad line goes to `fail`, which either records it (continue
// on error) or throws and so rolls the whole package back.
import type { GraphDb, GraphWriter } from '../store/graph-db'
import type { EdgeTable, VertexTable } from '../store/label-tables'
import type { Stored } from '../store/values'
import { CsvFieldSplitter } from './csv-fields'
import type { PackageLines } from './lines'
import type { FilePlan } from './mapping'
import type { PackageTally } from './report'
import { rowFromFields, rowFromJson, RowError, type Row } from './rows'

/** Called for each line that is not imported; throws to stop the package (continueOnError false). */
export type FailLine = (line: number, text: string, reason: string) => void

/** Lines converted per batch; between batches the worker looks at its stop flag and reports progress. */
export const BATCH_LINES = 4096

/** Edge lines are parsed, resolved and written this many at a time, so a package of short lines stays small in memory. */
export const EDGE_CHUNK_LINES = 65536

/**
 * Writes the data lines of a package (lines[header..]) into the graph, inside the caller's
 * transaction, adding to `tally`. Vertices: the whole package is parsed, then sorted by primary key
 * and added, as TuGraph does (vids follow key order within a package). Edges: in chunks of
 * EDGE_CHUNK_LINES, each parsed, resolved and added in src order. `tick(lineIndex)` runs between
 * batches and may throw to stop.
 */
export function writePackage(
  w: GraphWriter,
  g: GraphDb,
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  pkg: PackageLines,
  header: number,
  firstLineNo: number,
  tally: PackageTally,
  fail: FailLine,
  tick: (lineIndex: number) => void,
): void {
  const n = pkg.lines.length
  if (plan.kind === 'vertex') {
    const parsed = parseRows(plan, splitter, pkg, header, n, firstLineNo, fail, tick)
    tally.lines += parsed.dataLines
    tally.blankLines += parsed.blankLines
    tally.imported += writeVertices(w, g.vertexTable(plan.label.name), parsed.rows, fail, () => tick(n))
    return
  }
  const edges = g.edgeTable(plan.label.name)
  const src = { table: g.vertexTable(plan.src!.name), vids: new Map<Stored, number>() }
  const dst = plan.dst!.name === plan.src!.name ? src : { table: g.vertexTable(plan.dst!.name), vids: new Map<Stored, number>() }
  for (let from = header; from < n; from += EDGE_CHUNK_LINES) {
    const to = Math.min(n, from + EDGE_CHUNK_LINES)
    const parsed = parseRows(plan, splitter, pkg, from, to, firstLineNo, fail, tick)
    tally.lines += parsed.dataLines
    tally.blankLines += parsed.blankLines
    tally.imported += writeEdges(w, edges, src, dst, parsed.rows, fail, () => tick(to))
  }
}

/**
 * Parses lines[from, to) into rows. Blank lines are counted, not parsed. `tick(index)` runs between
 * batches (it may throw to stop). Returns the rows and how many data and blank lines there were.
 */
export function parseRows(
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  pkg: PackageLines,
  from: number,
  to: number,
  firstLineNo: number,
  fail: FailLine,
  tick: (index: number) => void,
): { rows: Row[]; dataLines: number; blankLines: number } {
  const { lines, broken } = pkg
  const rows: Row[] = []
  let dataLines = 0
  let blankLines = 0
  for (let start = from; start < to; start += BATCH_LINES) {
    tick(start)
    const end = Math.min(start + BATCH_LINES, to)
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
          rows.push(rowFromFields(plan, f, line, text))
        } else {
          rows.push(rowFromJson(plan, line, text))
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
export function writeVertices(w: GraphWriter, t: VertexTable, rows: Row[], fail: FailLine, tick: (i: number) => void): number {
  const k = t.primaryIndex
  rows.sort((a, b) => compareStored(a.values[k], b.values[k]))
  const def = t.label.def
  const primary = def.type === 'VERTEX' ? def.primary : ''
  let added = 0
  rows.forEach((r, i) => {
    if (i % BATCH_LINES === 0) tick(i)
    if (w.addVertex(t, r.values) !== null) return void added++
    const key = r.values[k]
    const why = t.byPrimary.get(key)
      ? `[${primary}] = ${String(key)} exists in label [${t.label.name}]`
      : `a value of a unique field of label [${t.label.name}] exists`
    fail(r.line, r.text, `vertex unique index conflict: ${why}`)
  })
  return added
}

/** The endpoints' vertex label, with primary key → vid found so far (valid inside one package's transaction; bounded). */
export interface Endpoints {
  table: VertexTable
  vids: Map<Stored, number>
}

function lookup(e: Endpoints, key: Stored): number | undefined {
  let vid = e.vids.get(key)
  if (vid === undefined) {
    vid = e.table.byPrimary.get(key)?.vid
    if (vid !== undefined) {
      if (e.vids.size >= 200_000) e.vids.clear()
      e.vids.set(key, vid)
    }
  }
  return vid
}

/**
 * Edges of a package: endpoints resolved through the primary indexes of the SRC_ID and DST_ID
 * labels ("Missing src uid X" when absent), then inserted in src order (a stable sort, so among
 * equal keys file order decides the eids) to keep writes local. Returns how many were added.
 */
export function writeEdges(w: GraphWriter, t: EdgeTable, srcE: Endpoints, dstE: Endpoints, rows: Row[], fail: FailLine, tick: (i: number) => void): number {
  const kept: Row[] = []
  const srcs: number[] = []
  const dsts: number[] = []
  rows.forEach((r, i) => {
    if (i % BATCH_LINES === 0) tick(i)
    const src = lookup(srcE, r.src)
    if (src === undefined) return fail(r.line, r.text, `Missing src uid ${String(r.src)}`)
    const dst = lookup(dstE, r.dst)
    if (dst === undefined) return fail(r.line, r.text, `Missing dst uid ${String(r.dst)}`)
    kept.push(r)
    srcs.push(src)
    dsts.push(dst)
  })
  const order = stableOrder(srcs)
  let added = 0
  for (let n = 0; n < order.length; n++) {
    if (n % BATCH_LINES === 0) tick(n)
    const i = order[n]
    const r = kept[i]
    try {
      w.addEdge(t, srcs[i], dsts[i], r.tid, r.values)
      added++
    } catch (err) {
      if ((err as { code?: string }).code === 'index_conflict') fail(r.line, r.text, (err as Error).message)
      else throw err
    }
  }
  return added
}

/** Indexes of `keys` (non-negative integers) in ascending key order, equal keys in input order: an LSD radix sort, 16 bits a pass. */
export function stableOrder(keys: number[]): Uint32Array {
  const n = keys.length
  let order = Uint32Array.from({ length: n }, (_, i) => i)
  let max = 0
  for (const k of keys) if (k > max) max = k
  if (max >= 2 ** 32) return order.sort((a, b) => keys[a] - keys[b] || a - b)
  let next = new Uint32Array(n)
  for (let shift = 0; shift < 32 && max >>> shift > 0; shift += 16) {
    const count = new Uint32Array(65537)
    for (let i = 0; i < n; i++) count[((keys[order[i]] >>> shift) & 0xffff) + 1]++
    for (let b = 1; b < count.length; b++) count[b] += count[b - 1]
    for (let i = 0; i < n; i++) next[count[(keys[order[i]] >>> shift) & 0xffff]++] = order[i]
    ;[order, next] = [next, order]
  }
  return order
}
