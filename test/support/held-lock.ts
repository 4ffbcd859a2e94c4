// Another program's connection to a started test app's jobdesk.db, which takes the database's write lock
// as a sqlite3 shell left in BEGIN IMMEDIATE would: the set-up of the tests of a Rill Flow call meeting a
// locked database (wakeup-locked, finish-locked), with what a restart after a kill would find of an
// execution, read on that connection.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, afterEach } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { VALUE_TEXT_SQL } from '../../electron/store/jobs/job-records'

export interface HeldLock {
  /** Takes jobdesk.db's write lock (BEGIN IMMEDIATE); throws when this connection holds it already. */
  take(): void
  /** Lets the lock go (COMMIT). */
  letGo(): void
  /** Lets the lock go `ms` milliseconds from now (while a request is being tried again). */
  letGoAfter(ms: number): void
  /** The context stored for Rill Flow execution `executionId`, parsed; undefined when none is stored. */
  storedContext(executionId: string): Record<string, unknown> | undefined
  /** The stored status and runtime (parsed; null when none) of task `name` of execution `executionId`. */
  storedTask(executionId: string, name: string): { status: string; runtime: Record<string, unknown> | null }
}

/**
 * A HeldLock on the jobdesk.db in the folder `dirOf()` names (a test app's `t.dir`), opened on first use,
 * so call it at a test file's top level before the app starts. After each test a lock still held is let
 * go (ROLLBACK); after all of them the connection is closed.
 */
export function heldLock(dirOf: () => string): HeldLock {
  let opened: Database.Database | undefined
  const db = () => (opened ??= new Database(join(dirOf(), 'jobdesk.db')))
  afterEach(() => {
    if (opened?.inTransaction) opened.exec('ROLLBACK')
  })
  afterAll(() => opened?.close())
  const jobOf = (executionId: string) => db().prepare('SELECT id FROM jobs WHERE uuid = ?').pluck().get(uuidOfExecutionId(executionId)) as number
  return {
    take: () => db().exec('BEGIN IMMEDIATE'),
    letGo: () => db().exec('COMMIT'),
    letGoAfter: (ms) => void setTimeout(() => db().exec('COMMIT'), ms),
    storedContext(executionId) {
      const text = db().prepare(`SELECT ${VALUE_TEXT_SQL} FROM job_values v WHERE job_id = ? AND name = 'context'`).pluck().get(jobOf(executionId)) as string | undefined
      return text ? JSON.parse(text) : undefined
    },
    storedTask(executionId, name) {
      const row = db().prepare('SELECT status, runtime FROM tasks WHERE job_id = ? AND name = ?').get(jobOf(executionId), name) as { status: string; runtime: string | null }
      return { status: row.status, runtime: row.runtime ? JSON.parse(row.runtime) : null }
    },
  }
}
