// Reading an upstream component's output anchors: the rows of its task's result set, paged from
// the store (never loaded whole), and cells as the text an algorithm or a parameter takes.
import type { VertexLabelDef } from '../../../shared/graph'
import type { Store } from '../../store'
import { TaskFailure } from '../../engine/executor'
import type { GraphHost } from '../worker/graph-host'

const PAGE = 10_000

/** The rows of a finished component's result set, in order. Throws TaskFailure when it has none. */
export function* anchorRows(store: Store, jobId: number, component: string): Generator<unknown[]> {
  const task = store.jobs.task(jobId, component)
  const set = task ? store.results.list(jobId).find((r) => r.taskId === task.id) : undefined
  if (!set) throw new TaskFailure(`${component} has no result to read (did it finish?)`, false)
  for (let offset = 0; offset < set.rowCount; ) {
    const rows = store.results.rows(set, offset, PAGE)
    if (rows.length === 0) break
    yield* rows
    offset += rows.length
  }
}

/** Up to `limit` non-empty values of one column of an upstream component (vertex cells named by `naming`, see cellText). */
export function anchorValues(store: Store, jobId: number, wire: { component: string; column: number }, limit: number, naming?: VertexNaming): string[] {
  const out: string[] = []
  for (const row of anchorRows(store, jobId, wire.component)) {
    const text = cellText(row[wire.column], naming)
    if (text !== null && text !== '') out.push(text)
    if (out.length >= limit) break
  }
  return out
}

/**
 * How an algorithm names the vertices a query returned (`RETURN p`): by their primary-key value, as
 * NebulaGraph names a vertex by its VID and GES by its id (../algorithms/README.md, *Vertex ids*),
 * `Label:key` when `qualified`. `primary` maps each vertex label of the query's graph to its
 * primary property.
 */
export interface VertexNaming {
  primary: ReadonlyMap<string, string>
  qualified: boolean
}

/** A vertex cell in TuGraph's encoding (`{identity, label, properties}`; an edge also has src and dst). */
type VertexCell = { identity: unknown; label: string; properties?: Record<string, unknown> }

function isVertexCell(v: unknown): v is VertexCell {
  return typeof v === 'object' && v !== null && 'identity' in v && typeof (v as VertexCell).label === 'string' && !('src' in v)
}

/**
 * A result cell as text: numbers and strings as they are; null as null. A vertex or edge
 * (TuGraph's encoding) is its identity (the store's vid, as Cypher's `id(n)` takes it: a query
 * parameter), or with `naming` a vertex is its primary-key value (`Label:key` when qualified), the
 * id an algorithm knows it by. Throws TaskFailure for a vertex whose label has no primary key in
 * `naming` (its graph changed since) or that lacks the key's value.
 */
export function cellText(v: unknown, naming?: VertexNaming): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (naming && isVertexCell(v)) {
    const field = naming.primary.get(v.label)
    const key = field === undefined ? undefined : v.properties?.[field]
    if (key === undefined || key === null) throw new TaskFailure(`a ${v.label} vertex (vid ${String(v.identity)}) has no primary key value${field ? ` (${field})` : ''} to name it by`, false)
    return naming.qualified ? `${v.label}:${String(key)}` : String(key)
  }
  if (typeof v === 'object' && 'identity' in v) return String((v as { identity: unknown }).identity)
  return JSON.stringify(v)
}

/**
 * Tracks whether some primary-key value (as text) names vertices of two labels among the cells fed
 * to `add`: then bare keys name no single vertex and every vertex is `Label:key`.
 */
export class KeyRepeats {
  private labelOf = new Map<string, string>()
  repeated = false
  constructor(private primary: ReadonlyMap<string, string>) {}

  /** Notes a cell; false when it is no vertex (a column of ids: nothing to track). */
  add(v: unknown): boolean {
    if (!isVertexCell(v)) return false
    const field = this.primary.get(v.label)
    const key = field === undefined ? undefined : v.properties?.[field]
    if (key === undefined || key === null) return true
    const seen = this.labelOf.get(String(key))
    if (seen === undefined) this.labelOf.set(String(key), v.label)
    else if (seen !== v.label) this.repeated = true
    return true
  }
}

/**
 * The primary property of each vertex label of the graph the upstream query component `component`
 * ran on; undefined when it is not a query component (an algorithm's cells are ids already). Throws
 * TaskFailure when that graph is gone.
 */
export async function upstreamPrimaryKeys(store: Store, graphs: Pick<GraphHost, 'request'>, jobId: number, component: string): Promise<ReadonlyMap<string, string> | undefined> {
  const spec = store.jobs.task(jobId, component)?.spec as { component?: { kind?: string; graph?: string } } | undefined
  const graph = spec?.component?.kind === 'query' ? spec.component.graph : undefined
  if (graph === undefined) return undefined
  let labels
  try {
    labels = (await graphs.request('graphs.get', { graph }, { user: store.jobs.get(jobId)?.submitter ?? '' })).labels
  } catch (e) {
    throw new TaskFailure(`the vertices ${component} returned cannot be named by their primary key: ${(e as Error).message}`, false)
  }
  return new Map(labels.flatMap((l) => (l.kind === 'vertex' ? [[l.name, (l.def as VertexLabelDef).primary] as [string, string]] : [])))
}
