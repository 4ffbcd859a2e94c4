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
