import { createAccessKeyRepository } from './access-key.repository'
import { BUSY_RETRY_MS, openDatabase, retryWhileBusy, type Db, type OpenOptions } from './connection'
import { createGrayRuleRepository } from './gray-rule.repository'
import { createGroupRepository } from './group.repository'
import { createHeartbeatRepository } from './heartbeat.repository'
import { createJobCenterRepository } from './job-center.repository'
import { createGraphWorkflowRepository } from './graph-workflow.repository'
import { createJobRepository } from './job.repository'
import { createJobChanges } from './job-changes'
import { createKeptBytes } from './kept-bytes'
import { createFinishedViews } from './finished-views'
import { createFinishedBytes, FINISHED_BYTES_LIMIT } from './finished-values'
import { createLogRepository } from './log.repository'
import { createPendingRedoRepository } from './pending-redo.repository'
import { createResultRepository } from './result.repository'
import { rowSweeper } from './row-sweeper'
import { createSavedScriptRepository } from './saved-script.repository'
import { createSettingsRepository } from './settings.repository'
import { createUserRepository } from './user.repository'
import { valueReader } from './value-reader'
import { createWorkflowRepository } from './workflow.repository'
import { createWorkflowBytes } from './workflow-bytes'

export type Store = ReturnType<typeof createStore>

/** The repositories over one connection, plus the transaction that groups their writes. */
export function createStore(db: Db, now: () => number = Date.now) {
  // One wrapper for every call: better-sqlite3 builds its begin/commit/savepoint set per wrapper,
  // and polls call this thousands of times a second (#14.2).
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn())
  const changes = createJobChanges()
  const jobs = createJobRepository(db, now, changes)
  const keptBytes = createKeptBytes(db)
  // rows a deleted job or dropped result set left behind before a restart are swept from the start
  const sweeper = rowSweeper(db)
  sweeper.wake()
  return {
    db,
    jobs,
    groups: createGroupRepository(db, changes),
    logs: createLogRepository(db, changes),
    /** Views of finished jobs kept in memory, dropped by any write of their job (status polls, #14.2). */
    finishedViews: createFinishedViews(changes),
    /** Finished jobs' large stored values kept in memory, bounded by bytes, so a streamed answer loads one once (#9 §2). */
    finishedBytes: createFinishedBytes(jobs, changes, FINISHED_BYTES_LIMIT, db.memory ? undefined : valueReader(db.name)),
    results: createResultRepository(db, { keptBytes }),
    /** What each user's jobs keep in all (result rows, code, logs, state): what the per-user quota reads (kept-bytes.ts). */
    keptBytes,
    users: createUserRepository(db, now),
    settings: createSettingsRepository(db),
    workflows: createWorkflowRepository(db, now),
    /** What each user's stored workflow versions take, Rill Flow and graph (MAX_WORKFLOW_BYTES_PER_USER). */
    workflowBytes: createWorkflowBytes(db),
    /** Rill Flow gray rules (modify_gray.json); workflows/rillflow/gray-rules.ts bounds them. */
    grayRules: createGrayRuleRepository(db, now),
    /** Rill Flow redos taken while their execution is cancelling, kept until they have run (workflows/rillflow/service.ts redo). */
    pendingRedos: createPendingRedoRepository(db, now),
    accessKeys: createAccessKeyRepository(db, now),
    savedScripts: createSavedScriptRepository(db, now),
    jobCenter: createJobCenterRepository(db),
    graphWorkflows: createGraphWorkflowRepository(db, now),
    /** When the engine was last known running with live jobs: crash recovery's end time (engine/heartbeat.ts). */
    heartbeat: createHeartbeatRepository(db),
    /**
     * Runs `fn` in a transaction (a savepoint when nested); its result, or its error after rollback.
     * Throws SQLITE_BUSY (connection.ts isBusy) when another connection holds the write lock past
     * the connection's short wait (BUSY_TIMEOUT_MS).
     */
    transaction<T>(fn: () => T): T {
      return inTransaction(fn) as T
    },
    /**
     * Runs `write` in a transaction and, while that fails with SQLITE_BUSY (another program or
     * connection holds the lock), again with the event loop free between tries (retryWhileBusy),
     * for up to `forMs`; `onBusy` hears the first refusal. For writes off any request (an import's
     * report once the graph holds its data), where a lock is no reason to lose what they save.
     * @returns what `write` returns
     * @throws its error at once if it is not SQLITE_BUSY, or its last one after `forMs`
     */
    whileBusy<T>(write: () => T, onBusy: (error: unknown) => void = () => {}, forMs = BUSY_RETRY_MS): Promise<T> {
      return retryWhileBusy(() => inTransaction(write) as T, { db, forMs, onBusy })
    },
    /** Removes what deleted jobs and dropped result sets left, in short steps (row-sweeper.ts). */
    sweeper,
    close(): void {
      sweeper.stop()
      db.close()
    },
  }
}

export function openStore(file: string, now?: () => number, options?: OpenOptions): Store {
  return createStore(openDatabase(file, options), now)
}
