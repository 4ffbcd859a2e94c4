// A running job of many tasks made in the store directly, for reads of wide jobs: a fan-out of
// 120,000 items through the engine takes minutes, and the reads under test need only the rows.
import { randomUUID } from 'node:crypto'
import type { Store } from '../../electron/store'

/**
 * A running DAG job of `submitter` with `wide` tasks in `store`, never given to the engine: the first
 * named `fe`, the others `fe_<i>-w` (a foreach's sub-task names), every other one (the 2nd, 4th, …)
 * succeeded and the rest pending. Its id.
 */
export function wideStoredJob(store: Store, submitter: string, wide: number): number {
  const id = store.jobs.create(
    { uuid: randomUUID(), kind: 'dag', name: 'wide', submitter },
    Array.from({ length: wide }, (_, i) => ({ name: i === 0 ? 'fe' : `fe_${i}-w`, executor: 'noop' })),
  )
  store.jobs.saveJob({ ...store.jobs.getWithoutState(id)!, status: 'running', startedAt: Date.now() }, false, false)
  const first = store.db.prepare<[number], number>('SELECT min(id) FROM tasks WHERE job_id = ?').pluck().get(id)!
  store.db.prepare('UPDATE tasks SET status = ?, finished_at = ? WHERE job_id = ? AND (id - ?) % 2 = 1').run('succeeded', Date.now(), id, first)
  return id
}

/** The names and inputs of wideFinishedJob's sub-tasks (`i` from 1): by default `fe_<i>-w` and `{ item: i }`. */
export interface WideShape {
  name?: (i: number) => string
  input?: (i: number) => unknown
}

/**
 * A finished DAG job of `submitter` with `wide` tasks in `store`, as a foreach of `wide - 1` items ends:
 * the first named `fe`, the others `fe_<i>-w` with input `{ item: i }` (or as `shape` makes them), each succeeded but those at the
 * positions (0-based, in the order made) in `failed`, failed with the error "item <i> failed" (the job
 * failed too when any did). Its id.
 */
export function wideFinishedJob(store: Store, submitter: string, wide: number, failed: number[] = [], shape: WideShape = {}): number {
  const { name = (i: number) => `fe_${i}-w`, input = (i: number) => ({ item: i }) } = shape
  const id = store.jobs.create(
    { uuid: randomUUID(), kind: 'dag', name: 'wide', submitter },
    Array.from({ length: wide }, (_, i) => ({ name: i === 0 ? 'fe' : name(i), executor: 'noop', input: i === 0 ? null : input(i) })),
  )
  const now = Date.now()
  store.jobs.saveJob({ ...store.jobs.getWithoutState(id)!, status: failed.length ? 'failed' : 'succeeded', progress: 1, startedAt: now - 60_000, finishedAt: now }, false, false)
  const first = store.db.prepare<[number], number>('SELECT min(id) FROM tasks WHERE job_id = ?').pluck().get(id)!
  store.db.prepare('UPDATE tasks SET status = ?, attempt = 1, started_at = ?, finished_at = ? WHERE job_id = ?').run('succeeded', now - 60_000, now, id)
  const fail = store.db.prepare('UPDATE tasks SET status = ?, error = ? WHERE id = ?')
  for (const at of failed) fail.run('failed', `item ${at} failed`, first + at)
  return id
}
