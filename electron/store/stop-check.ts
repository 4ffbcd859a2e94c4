// A check that a worker thread's long SQLite read was asked to stop, run from inside the statement:
// a sort or a search over every row is one better-sqlite3 call of seconds, and a thread must never be
// terminated inside such a call (worker-thread.ts stopThread), so it hears the stop there instead.
import type { Db } from './connection'

/**
 * The SQL term (` AND jobdesk_stop_check()`) that calls `stopCheck` (a worker's throwIfStopped) for each
 * row a statement's WHERE reaches, registered on `db` as a function; '' (nothing registered) without
 * `stopCheck`, as on the main thread. Put it before a row's costly terms. What `stopCheck` throws ends
 * the statement with that error (better-sqlite3 rethrows a function's own exception).
 */
export function stopCheckTerm(db: Db, stopCheck: (() => void) | undefined): string {
  if (!stopCheck) return ''
  db.function('jobdesk_stop_check', { deterministic: false }, () => (stopCheck(), 1))
  return ' AND jobdesk_stop_check()'
}
