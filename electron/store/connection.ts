import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIGRATIONS } from './migrations'

export type Db = Database.Database

/** The store's log file is cut back to this size (bytes) each time the log starts over. */
export const KEEP_LOG_BYTES = 4 * 1024 * 1024

/** How long a statement waits for another connection's write lock before it fails with SQLITE_BUSY (ms). */
export const BUSY_TIMEOUT_MS = 5000

export interface OpenOptions {
  /** Replaces BUSY_TIMEOUT_MS (tests that lock the database from a second connection). */
  busyTimeoutMs?: number
}

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes): another connection holds the lock; it is worth trying again. */
export const isBusy = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_BUSY')

/**
 * How long a background write (the engine's commit, an import's report) is tried again while the
 * database stays locked (ms): 12 times BUSY_TIMEOUT_MS, far longer than JobDesk's own connections hold
 * the lock (a SQL task's result batch; checkpoints never take it), so a lock held longer is another
 * program's (a sqlite3 shell left in a transaction, a VACUUM) that may not let go soon.
 */
export const BUSY_RETRY_MS = 60_000

/** The delay before retry number `tries` (1, 2, …) of a write that found the database locked (ms): 100, doubling, at most 2 s. */
export const busyRetryDelay = (tries: number): number => Math.min(100 * 2 ** (tries - 1), 2000)

/** How long a retry of such a write waits for the lock (ms), in place of BUSY_TIMEOUT_MS: the event loop is not held, and the delays between tries do the waiting. */
export const BUSY_RETRY_WAIT_MS = 50

/**
 * Opens (creating if needed) the JobDesk database and brings its schema up to date.
 * WAL lets readers (the UI, the API) run while the engine writes; synchronous=NORMAL in WAL
 * keeps every commit across a process crash (kill -9) and only risks the last moments on power loss.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`)
  // Checkpoints may fall behind a burst of writes (the app runs them in a worker, checkpointer.ts) and
  // the log file grows: when the log starts over, the commit that starts it cuts the file back to this
  // size (about what SQLite's own checkpoints keep) rather than keeping its largest.
  db.pragma(`journal_size_limit = ${KEEP_LOG_BYTES}`)
  migrate(db)
  return db
}

// An upgrade of a database this large says so at startup: a migration that copies a table would
// otherwise be a silent wait (017 copies the result rows: 91 s for 1.1 GB of them on 2 busy cores).
const ANNOUNCED_UPGRADE_BYTES = 64 * 1024 * 1024

/**
 * Brings the schema up to MIGRATIONS.length (user_version), every missing migration in one transaction.
 * Upgrading an existing database of 64 MB or more writes a line to `say` before and one after.
 * @throws Error when the database's schema is newer than this JobDesk knows (and changes nothing)
 */
export function migrate(db: Db, say: (line: string) => void = console.log): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this JobDesk (${MIGRATIONS.length})`)
  }
  if (current === MIGRATIONS.length) return
  const apply = db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v])
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  })
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)
  const announce = current > 0 && bytes >= ANNOUNCED_UPGRADE_BYTES
  if (announce) say(`jobdesk: upgrading the database (${Math.round(bytes / 1e6)} MB) from schema ${current} to ${MIGRATIONS.length}; a large one takes minutes`)
  const t0 = performance.now()
  apply()
  if (announce) say(`jobdesk: database upgraded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))
export const fromJson = <T = unknown>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T))
