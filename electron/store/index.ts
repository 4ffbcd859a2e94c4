import { createAccessKeyRepository } from './access-key.repository'
import { openDatabase, type Db } from './connection'
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
    /** Runs `fn` in a transaction (a savepoint when nested); its result, or its error after rollback. */
    transaction<T>(fn: () => T): T {
      return inTransaction(fn) as T
    },
    close(): void {
      db.close()
    },
  }
}

export function openStore(file: string, now?: () => number): Store {
  return createStore(openDatabase(file), now)
}
