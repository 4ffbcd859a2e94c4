import { createAccessKeyRepository } from './access-key.repository'
import { BUSY_RETRY_MS, BUSY_RETRY_WAIT_MS, busyRetryDelay, isBusy, openDatabase, type Db, type OpenOptions } from './connection'
import { createGroupRepository } from './group.repository'
import { createJobCenterRepository } from './job-center.repository'
import { createGraphWorkflowRepository } from './graph-workflow.repository'
import { createJobRepository } from './job.repository'
import { createJobChanges } from './job-changes'
import { createFinishedViews } from './finished-views'
import { createLogRepository } from './log.repository'
import { createResultRepository } from './result.repository'
import { createSavedScriptRepository } from './saved-script.repository'
import { createSettingsRepository } from './settings.repository'
import { createUserRepository } from './user.repository'
import { createWorkflowRepository } from './workflow.repository'

export type Store = ReturnType<typeof createStore>

/** The repositories over one connection, plus the transaction that groups their writes. */
export function createStore(db: Db, now: () => number = Date.now) {
  // One wrapper for every call: better-sqlite3 builds its begin/commit/savepoint set per wrapper,
  // and polls call this thousands of times a second (#14.2).
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn())
  const changes = createJobChanges()
  return {
    db,
    jobs: createJobRepository(db, now, changes),
    groups: createGroupRepository(db, changes),
    logs: createLogRepository(db, changes),
    /** Views of finished jobs kept in memory, dropped by any write of their job (status polls, #14.2). */
    finishedViews: createFinishedViews(changes),
    results: createResultRepository(db),
    users: createUserRepository(db, now),
    settings: createSettingsRepository(db),
    workflows: createWorkflowRepository(db, now),
    accessKeys: createAccessKeyRepository(db, now),
    savedScripts: createSavedScriptRepository(db, now),
    jobCenter: createJobCenterRepository(db),
    graphWorkflows: createGraphWorkflowRepository(db, now),
    /**
     * Runs `fn` in a transaction (a savepoint when nested); its result, or its error after rollback.
     * `busyWaitMs`: how long to wait for another connection's write lock this time, in place of the
     * connection's busy timeout (the engine's retries of a commit wait briefly, and the event loop runs
     * between them). Throws SQLITE_BUSY (connection.ts isBusy) when the lock is not had in time.
     */
    transaction<T>(fn: () => T, busyWaitMs?: number): T {
      if (busyWaitMs === undefined) return inTransaction(fn) as T
      const usual = db.pragma('busy_timeout', { simple: true }) as number
      db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyWaitMs))}`)
      try {
        return inTransaction(fn) as T
      } finally {
        db.pragma(`busy_timeout = ${usual}`)
      }
    },
    /**
     * Runs `write` in a transaction and, while that fails with SQLITE_BUSY (another program or
     * connection holds the lock), again after busyRetryDelay, each retry waiting BUSY_RETRY_WAIT_MS for
     * the lock, for up to `forMs`; `onBusy` hears the first refusal. For writes off any request (an
     * import's report once the graph holds its data), where a lock is no reason to lose what they save.
     * @returns what `write` returns
     * @throws its error at once if it is not SQLITE_BUSY, or its last one after `forMs`
     */
    async whileBusy<T>(write: () => T, onBusy: (error: unknown) => void = () => {}, forMs = BUSY_RETRY_MS): Promise<T> {
      const start = Date.now()
      for (let tries = 0; ; tries++) {
        try {
          return this.transaction(write, tries ? BUSY_RETRY_WAIT_MS : undefined)
        } catch (e) {
          if (!isBusy(e) || Date.now() - start >= forMs) throw e
          if (tries === 0) onBusy(e)
          await new Promise((r) => setTimeout(r, busyRetryDelay(tries + 1)))
        }
      }
    },
    close(): void {
      db.close()
    },
  }
}

export function openStore(file: string, now?: () => number, options?: OpenOptions): Store {
  return createStore(openDatabase(file, options), now)
}
