// A package's lines into rows (parse and convert every data line, row-block.ts), then its rows into
// the graph inside the package's transaction, in bulk (store/graph-writer.ts). A bad line goes to
// `fail`, which either records it (continue on error) or throws and so rolls the whole package back.
import type { GraphDb, GraphWriter } from '../store/graph-db'
import type { EdgeTable, LabelRecord, VertexTable } from '../store/label-tables'
import { identityOrder, isSortedBy, sortByKey } from '../store/row-order'
import type { ScratchArrays } from '../store/scratch'
import { excerpt, type Stored } from '../store/values'
import type { CsvFieldSplitter } from './csv-fields'
import { lineText, linesText, type PackageLines, type PackageText } from './lines'
import type { FilePlan } from './mapping'
import type { PackageTally } from './report'
import { parseBlock, RowBlock } from './row-block'
import type { Row } from './rows'
import type { VidIndex } from './vid-index'

export { BATCH_LINES } from './row-block'
export { compareStored } from '../store/row-order'

/** Called for each line that is not imported; throws to stop the package (continueOnError false). */
export type FailLine = (line: number, text: string, reason: string) => void

/** Rows written between two looks at the stop flag. */
const WRITE_TICK_ROWS = 16_384

/** What writing packages of an import reuses from one package to the next. */
export interface PackageWriting {
  g: GraphDb
  splitter: CsvFieldSplitter
  /** Primary key → vid of a vertex label (edge endpoints). */
  vids(label: LabelRecord): VidIndex
  /** The row block of a file (its arrays keep their size from package to package). */
  block(plan: FilePlan): RowBlock
}

/**
 * Writes the data lines of a package (lines[header..]) into the graph, inside the caller's
 * transaction, adding to `tally`. The whole package is parsed first, then written. Vertices are
 * added in primary-key order, as TuGraph sorts a package (vids follow key order within a package;
 * of equal keys the first in the file is kept). Edges get their endpoints' vids from `vids(label)`
 * and are added in key order ((src, tid, dst), file order among equals: that numbers the eids).
 * `tick(lineIndex)` runs between batches and may throw to stop.
 */
export function writePackage(
  w: GraphWriter,
  { g, splitter, vids, block: blockOf }: PackageWriting,
  plan: FilePlan,
  pkg: PackageText,
  header: number,
  firstLineNo: number,
  tally: PackageTally,
  fail: FailLine,
  tick: (lineIndex: number) => void,
): void {
  const n = pkg.count
  const { block, dataLines, blankLines } = parseBlock(plan, splitter, pkg, header, n, firstLineNo, fail, tick, { block: blockOf(plan) })
  tally.lines += dataLines
  tally.blankLines += blankLines
  const failRow = (row: number, reason: string) => fail(firstLineNo + block.lineIndex[row], lineText(pkg, block.lineIndex[row]), reason)
  const progress = () => tick(n)
  tally.imported +=
    plan.kind === 'vertex'
      ? writeVertexRows(w, g.vertexTable(plan.label.name), block, failRow, progress)
      : writeEdgeRows(w, g.scratch, g.edgeTable(plan.label.name), plan, vids(plan.src!), vids(plan.dst!), block, failRow, progress)
}

/** Vertices of a package in primary-key order (a file already in key order is not sorted again). Returns how many were added. */
function writeVertexRows(w: GraphWriter, t: VertexTable, block: RowBlock, failRow: (row: number, reason: string) => void, tick: () => void): number {
  const keys = block.values[t.primaryIndex]!
  const order = identityOrder(block.count)
  if (!isSortedBy(order, keys)) sortByKey(order, keys)
  const def = t.label.def
  const primary = def.type === 'VERTEX' ? def.primary : ''
  return w.addVertices(
    t,
    block.values,
    order,
    (row) => {
      const key = keys[row]
      const why = t.byPrimary.get(key)
        ? `[${primary}] = ${excerpt(String(key))} exists in label [${t.label.name}]`
        : `a value of a unique field of label [${t.label.name}] exists`
      failRow(row, `vertex unique index conflict: ${why}`)
    },
    { every: WRITE_TICK_ROWS, tick },
  )
}

/**
 * Edges of a package: endpoints resolved through their labels' primary keys ("Missing src uid X"
 * when absent, checked in file order), then added in bulk. Returns how many were added.
 */
function writeEdgeRows(
  w: GraphWriter,
  scratch: ScratchArrays,
  t: EdgeTable,
  plan: FilePlan,
  srcVids: VidIndex,
  dstVids: VidIndex,
  block: RowBlock,
  failRow: (row: number, reason: string) => void,
  tick: () => void,
): number {
  const n = block.count
  const src = scratch.float64('endpoints.src', n)
  const dst = scratch.float64('endpoints.dst', n)
  srcVids.resolve(block.src, src)
  tick()
  dstVids.resolve(block.dst, dst)
  tick()
  const rows = scratch.uint32('endpoints.rows', n)
  let kept = 0
  for (let r = 0; r < n; r++) {
    if (src[r] < 0) failRow(r, `Missing src uid ${excerpt(String(block.src[r]))}`)
    else if (dst[r] < 0) failRow(r, `Missing dst uid ${excerpt(String(block.dst[r]))}`)
    else rows[kept++] = r
  }
  let tid: (number | bigint)[] | null = null
  if (plan.tidIndex !== undefined) {
    const column = block.values[plan.tidIndex]
    tid = Array.from({ length: n }, (_, r) => tidOf(column?.[r] ?? null))
  }
  return w.addEdges(t, { src, dst, tid, columns: block.values, rows: rows.subarray(0, kept) }, (row, e) => failRow(row, e.message), { every: WRITE_TICK_ROWS, tick })
}

const tidOf = (v: Stored): number | bigint => (typeof v === 'number' || typeof v === 'bigint' ? v : 0)

/**
 * Parses lines[from, to) into rows, one object per row (for previews and checks; imports use
 * parseBlock). Blank lines are counted, not parsed. `tick(index)` runs between batches (it may
 * throw to stop). Returns the rows and how many data and blank lines there were.
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
  const text = linesText(pkg)
  const { block, dataLines, blankLines } = parseBlock(plan, splitter, text, from, to, firstLineNo, fail, tick)
  const rows = Array.from({ length: block.count }, (_, r) => block.row(r, plan, text, firstLineNo))
  return { rows, dataLines, blankLines }
}
