// Rows a deleted job or dropped result set leaves are removed afterwards (store/row-sweeper.ts): tests
// that look at what is left take the sweep's steps themselves.
import type { Db } from '../../electron/store/connection'
import { rowSweeper } from '../../electron/store/row-sweeper'

/** Takes sweep steps on `db` until nothing is left to remove; returns the rows each step removed. */
export function sweepAll(db: Db): number[] {
  const sweeper = rowSweeper(db)
  const steps: number[] = []
  for (let n = sweeper.step(); n > 0; n = sweeper.step()) steps.push(n)
  return steps
}
