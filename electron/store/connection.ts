import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIGRATIONS } from './migrations'

export type Db = Database.Database

/** The store's log file is cut back to this size (bytes) each time the log starts over. */
export const KEEP_LOG_BYTES = 4 * 1024 * 1024

/**
 * Opens (creating if needed) the JobDesk database and brings its schema up to date.
 * WAL lets readers (the UI, the API) run while the engine writes; synchronous=NORMAL in WAL
 * keeps every commit across a process crash (kill -9) and only risks the last moments on power loss.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Checkpoints may fall behind a burst of writes (the app runs them in a worker, checkpointer.ts) and
  // the log file grows: when the log starts over, the commit that starts it cuts the file back to this
  // size (about what SQLite's own checkpoints keep) rather than keeping its largest.
  db.pragma(`journal_size_limit = ${KEEP_LOG_BYTES}`)
  migrate(db)
  return db
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this JobDesk (${MIGRATIONS.length})`)
  }
  const apply = db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v])
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  })
  if (current < MIGRATIONS.length) apply()
}

export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))
export const fromJson = <T = unknown>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T))
