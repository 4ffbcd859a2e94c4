// A graph's size bound: the max_size_GB it was created with (TuGraph's dbms.graph.createGraph and
// the native create's maxSizeGb; 0 = none). Its size is what its file's pages hold, free pages not
// counted: (page_count - freelist_count) × page_size, two pragmas, no file read, so it is checked
// before and after every write. Deletes free pages, so an owner past the bound may still delete.
import { formatSize } from '../../../shared/number-format'
import type { AppError } from '../../../shared/errors'
import { graphError } from '../errors'
import type { GraphDb } from './graph-db'

/** Bytes in a GiB: max_size_GB counts GiB, as TuGraph's does. */
const GB = 2 ** 30

/** Bytes the graph's pages hold (free pages not counted), as of its connection's view: inside a write, with that write's pages. */
export function graphUsedBytes(g: GraphDb): number {
  const pragma = (name: string) => Number(g.db.pragma(name, { simple: true }))
  return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size')
}

/** The graph's bound in bytes (its max_size_GB), or undefined when it has none. */
export function graphBoundBytes(g: GraphDb): number | undefined {
  const gb = Number(g.meta('max_size_gb') ?? 0)
  return Number.isFinite(gb) && gb > 0 ? gb * GB : undefined
}

/** graph_full naming the graph, what it holds and its bound. */
function graphFull(g: GraphDb, used: number, bound: number): AppError {
  return graphError(
    'graph_full',
    `Graph [${g.name}] would hold ${formatSize(used)}, past its bound of max_size_GB ${bound / GB} (${formatSize(bound)}): writes that add to it are refused; delete from it, or ask an admin for a graph with a larger bound`,
  )
}

/** Throws graph_full when the graph already holds its bound or more: before a write that may add to it. */
export function assertGraphUnderBound(g: GraphDb): void {
  const bound = graphBoundBytes(g)
  if (bound === undefined) return
  const used = graphUsedBytes(g)
  if (used >= bound) throw graphFull(g, used, bound)
}

/**
 * Inside a write transaction, after its changes: throws graph_full (so the write rolls back) when the
 * graph is past its bound and holds more than `before` bytes (graphUsedBytes as the write began):
 * a write that frees or keeps the size always commits.
 */
export function assertGrowthWithinBound(g: GraphDb, before: number): void {
  const bound = graphBoundBytes(g)
  if (bound === undefined) return
  const used = graphUsedBytes(g)
  if (used > bound && used > before) throw graphFull(g, used, bound)
}
