// An engine on a real SQLite file beside a second connection to the same file, which takes the
// database's write lock as another program would (a sqlite3 shell left in BEGIN IMMEDIATE, a long
// VACUUM): the set-up of every test of the engine meeting a locked database.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { Engine, type EngineOptions } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import { openStore, type Store } from '../../electron/store'

/** What `lockedEngine` made; all of it is closed and removed when the test ends. */
export interface LockedEngine {
  store: Store
  engine: Engine
  /** The other program's connection: `BEGIN IMMEDIATE` on it takes the write lock, `COMMIT` lets it go. */
  other: Database.Database
  /** Each `onError` of the engine, in order. */
  errors: { error: unknown; jobId: number | null }[]
  /** Each `onWarn` of the engine, in order. */
  warnings: { message: string; jobId: number | null }[]
}

/**
 * A store in a fresh temp folder whose connection waits `busyTimeoutMs` for a lock (the app's waits
 * 50 ms), an engine on it running `executors` beside the noop one, and a second connection on the
 * same file. `engine` options override the ones made here (`executors`, `onError`, `onWarn`).
 * When the test ends (vitest's onTestFinished): `beforeClose` (to let gated executors end), the
 * engine is stopped, an open transaction of the other connection rolled back, both closed and the
 * folder removed. Call it inside a test.
 */
export function lockedEngine(options: {
  busyTimeoutMs: number
  executors: Executor[]
  engine?: Partial<EngineOptions>
  beforeClose?: () => void
}): LockedEngine {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-test-'))
  const file = join(dir, 'jobdesk.db')
  const store = openStore(file, undefined, { busyTimeoutMs: options.busyTimeoutMs })
  const errors: LockedEngine['errors'] = []
  const warnings: LockedEngine['warnings'] = []
  const engine = new Engine({
    store,
    executors: new ExecutorRegistry([noopExecutor, ...options.executors]),
    onError: (error, jobId) => errors.push({ error, jobId }),
    onWarn: (message, jobId) => warnings.push({ message, jobId }),
    ...options.engine,
  })
  const other = new Database(file)
  onTestFinished(() => {
    options.beforeClose?.()
    void engine.stop()
    if (other.inTransaction) other.exec('ROLLBACK')
    other.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { store, engine, other, errors, warnings }
}
