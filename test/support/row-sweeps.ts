// Rows a deleted job or dropped result set leaves are removed afterwards (store/row-sweeper.ts): tests
// that look at what is left take the sweep's steps themselves.
import Database from 'better-sqlite3'
import type { Db } from '../../electron/store/connection'
import { rowSweeper, SWEEP_PENDING_SQL } from '../../electron/store/row-sweeper'

/** Takes sweep steps on `db` until nothing is left to remove; returns the rows each step removed. */
export function sweepAll(db: Db): number[] {
  const sweeper = rowSweeper(db)
  const steps: number[] = []
  for (let n = sweeper.step(); n > 0; n = sweeper.step()) steps.push(n)
  return steps
}

/**
 * Waits until nothing is left to sweep in the database file `file` (an app in another process: a
 * served app's `<dir>/jobdesk.db`), or `withinMs` has passed; resolves with whether the sweep was done.
 * Reads on a read-only connection of its own every 250 ms (WAL: it holds up no writer of the app's).
 * @throws Error when the file does not exist
 */
export async function untilSwept(file: string, withinMs: number): Promise<boolean> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const pending = db.prepare<[], number>(SWEEP_PENDING_SQL).pluck()
    for (const end = Date.now() + withinMs; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) if (!pending.get()) return true
    return false
  } finally {
    db.close()
  }
}
