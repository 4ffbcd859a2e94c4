import type { Store } from '../../electron/store'
import type { TaskRecord } from '../../electron/store/job.repository'

/**
 * Records, for each transaction the store commits, what `pick` makes of each task it saved (tasks
 * `pick` answers undefined for are left out); nested transactions are savepoints of the same commit.
 * `after(saved)` runs once each such transaction has committed, with what it saved (never empty).
 * Returns the list it fills: one array per commit that saved a picked task, in commit order.
 */
export function watchCommits<T>(store: Store, pick: (task: TaskRecord) => T | undefined, after?: (saved: T[]) => void): T[][] {
  const commits: T[][] = []
  const { transaction } = store
  const saveTask = store.jobs.saveTask.bind(store.jobs)
  let current: T[] | null = null
  store.jobs.saveTask = (t: TaskRecord) => {
    saveTask(t)
    const picked = current ? pick(t) : undefined
    if (picked !== undefined) current!.push(picked)
  }
  store.transaction = ((fn: () => unknown) => {
    if (current) return transaction(fn)
    current = []
    try {
      return transaction(fn)
    } finally {
      const saved = current
      current = null
      if (saved.length) {
        commits.push(saved)
        after?.(saved)
      }
    }
  }) as Store['transaction']
  return commits
}
