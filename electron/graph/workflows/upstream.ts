// Reading an upstream component's output anchors: the rows of its task's result set, paged from
// the store (never loaded whole), and cells as the text an algorithm or a parameter takes.
import type { Store } from '../../store'
import { TaskFailure } from '../../engine/executor'

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

/** Up to `limit` non-empty values of one column of an upstream component. */
export function anchorValues(store: Store, jobId: number, wire: { component: string; column: number }, limit: number): string[] {
  const out: string[] = []
  for (const row of anchorRows(store, jobId, wire.component)) {
    const text = cellText(row[wire.column])
    if (text !== null && text !== '') out.push(text)
    if (out.length >= limit) break
  }
  return out
}

/**
 * A result cell as text: numbers and strings as they are; a vertex or edge (TuGraph's encoding,
 * `{identity, label, properties}`) as its identity, so `RETURN n` can feed an algorithm; null as null.
 */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'object' && 'identity' in v) return String((v as { identity: unknown }).identity)
  return JSON.stringify(v)
}
