import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIGRATIONS, runMigration } from './migrations'
import { ownWritersOf } from './own-writers'

export type Db = Database.Database

/** The store's log file is cut back to this size (bytes) each time the log starts over. */
export const KEEP_LOG_BYTES = 4 * 1024 * 1024

/**
 * How long a statement of the main thread's connection waits for another connection's write lock
 * before it fails with SQLITE_BUSY (ms). Short on purpose: the wait holds the event loop, and a
 * status probe must answer within 200 ms (#9 §2) while another program (a sqlite3 shell left in a
 * transaction, a VACUUM) holds the lock. Writes that meet the lock are tried again with the event loop
 * free between tries: HTTP writes by http/busy-retry.ts, the engine's commit by its retry, background
 * writes by Store.whileBusy.
 */
export const BUSY_TIMEOUT_MS = 50

/** How long opening the database (its migrations) waits for another connection's lock (ms): nothing is served yet. */
export const OPEN_BUSY_TIMEOUT_MS = 5000

export interface OpenOptions {
  /** Replaces BUSY_TIMEOUT_MS once the database is open (tests that lock the database from a second connection). */
  busyTimeoutMs?: number
}

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes): another connection holds the lock; it is worth trying again. */
export const isBusy = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_BUSY')

/**
 * How long a background write (the engine's commit, an import's report) is tried again while the
 * database stays locked (ms): far longer than JobDesk's own connections hold the lock (a SQL task's
 * result batch; checkpoints never take it), so a lock held longer is another program's (a sqlite3
 * shell left in a transaction, a VACUUM) that may not let go soon.
 */
export const BUSY_RETRY_MS = 60_000

/** The delay before retry number `tries` (1, 2, …) of a write that found the database locked (ms): 100, doubling, at most 2 s. */
export const busyRetryDelay = (tries: number): number => Math.min(100 * 2 ** (tries - 1), 2000)

// Per connection: its usual busy_timeout, and how many writes refused by a lock wait to be tried again.
const usualWait = new WeakMap<Db, number>()
const lockWaiters = new WeakMap<Db, number>()

/**
 * A write on `db` was refused by another connection's lock and waits to be tried again: until the
 * matching lockWaitEnds, statements on `db` do not wait for the lock at all (busy_timeout 0) but are
 * refused at once and retried the same way. Each write waiting BUSY_TIMEOUT_MS for a lock known to be
 * held adds up on the main thread: three requests and a commit retried in one turn held it 200 ms.
 * JobDesk's own writers in other processes (SQL jobs' result rows: own-writers.ts) pause meanwhile,
 * so that the lock is free when the write is tried again.
 */
export function lockWaitBegins(db: Db): void {
  const n = lockWaiters.get(db) ?? 0
  if (n === 0) {
    if (!usualWait.has(db)) usualWait.set(db, db.pragma('busy_timeout', { simple: true }) as number)
    db.pragma('busy_timeout = 0')
    ownWritersOf(db).want()
  }
  lockWaiters.set(db, n + 1)
}

/** Ends one lockWaitBegins of `db`; after the last, statements wait for a lock as usual again. */
export function lockWaitEnds(db: Db): void {
  const n = (lockWaiters.get(db) ?? 0) - 1
  lockWaiters.set(db, Math.max(0, n))
  if (n !== 0) return
  ownWritersOf(db).release()
  if (db.open) db.pragma(`busy_timeout = ${usualWait.get(db) ?? BUSY_TIMEOUT_MS}`)
}

/**
 * How often a "last used" stamp (a session token's, an access key's last_used_at) is written at most
 * (ms): it only feeds "last seen" in the lists, and a write per request would cost every poll a
 * commit (and fail reads while another program holds the write lock).
 */
export const LAST_USED_EVERY_MS = 60_000

/**
 * Writes a "last used" stamp with `write` when the one held (`lastAt`, epoch ms, null if none) is
 * LAST_USED_EVERY_MS old or more; skips it silently when another connection holds the write lock
 * (the request, maybe a read, goes on; a later one writes it).
 * @returns the stamp now held: `at` if written, else `lastAt`
 * @throws what `write` throws other than SQLITE_BUSY
 */
export function stampLastUsed(lastAt: number | null, at: number, write: () => void): number | null {
  if (lastAt !== null && at - lastAt < LAST_USED_EVERY_MS) return lastAt
  try {
    write()
    return at
  } catch (e) {
    if (!isBusy(e)) throw e
    return lastAt
  }
}

/** How a write refused by a lock is tried again (retryWhileBusy, retryAfterBusy). */
export interface BusyRetry {
  /** The connection the write is on: while it waits, others on it are refused at once (lockWaitBegins). */
  db?: Db
  /** How long to go on trying (ms), from the first refusal. */
  forMs: number
  /** Hears the first refusal. */
  onBusy?: (error: unknown) => void
  /** Asked before each retry: false (the attempt may have changed something before it was refused) ends the retries with the refusal. */
  mayRetry?: () => boolean
}

/**
 * Calls `attempt` and, while it fails with SQLITE_BUSY, again as retryAfterBusy does.
 * @returns what `attempt` resolves with
 * @throws its error at once if it is not SQLITE_BUSY, or its last refusal after `forMs`
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, o: BusyRetry): Promise<T> {
  try {
    return await attempt()
  } catch (e) {
    return retryAfterBusy(e, attempt, o)
  }
}

/**
 * After `attempt` failed with `error`: if that is SQLITE_BUSY, calls it again after busyRetryDelay
 * (100 ms, doubling, at most 2 s), with the event loop free meanwhile, while it is refused, for up
 * to `o.forMs`.
 * @returns what a retry of `attempt` resolves with
 * @throws `error` at once if it is not SQLITE_BUSY (or `mayRetry` says no), else the last refusal after `forMs`
 */
export async function retryAfterBusy<T>(error: unknown, attempt: () => T | Promise<T>, o: BusyRetry): Promise<T> {
  if (!isBusy(error) || o.mayRetry?.() === false) throw error
  const start = Date.now()
  let last = error
  if (o.db) lockWaitBegins(o.db)
  try {
    for (let tries = 1; ; tries++) {
      if (tries > 1 && (!isBusy(last) || Date.now() - start >= o.forMs || o.mayRetry?.() === false)) throw last
      if (tries === 1) o.onBusy?.(last)
      await new Promise((r) => setTimeout(r, Math.min(busyRetryDelay(tries), Math.max(1, start + o.forMs - Date.now()))))
      try {
        return await attempt()
      } catch (e) {
        last = e
      }
    }
  } finally {
    if (o.db) lockWaitEnds(o.db)
  }
}

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
  db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`)
  // Checkpoints may fall behind a burst of writes (the app runs them in a worker, checkpointer.ts) and
  // the log file grows: when the log starts over, the commit that starts it cuts the file back to this
  // size (about what SQLite's own checkpoints keep) rather than keeping its largest.
  db.pragma(`journal_size_limit = ${KEEP_LOG_BYTES}`)
  migrate(db)
  usualWait.set(db, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)
  db.pragma(`busy_timeout = ${usualWait.get(db)}`)
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
    for (let v = current; v < MIGRATIONS.length; v++) runMigration(db, MIGRATIONS[v], say)
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
