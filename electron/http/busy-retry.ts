// Requests (HTTP, and the window's IPC calls) whose write finds jobdesk.db locked by another program (a sqlite3 shell left in
// BEGIN IMMEDIATE, a long VACUUM) (#9 §2). The main thread's connection waits only BUSY_TIMEOUT_MS
// (50 ms) for the lock, so the event loop stays free and a status probe (a read: WAL readers are
// not blocked) still answers; the request's handler is run again with the event loop free between
// tries, for a few seconds, then the request is answered 503 "the database is locked by another
// program; try again" with Retry-After, in its dialect's envelope (native/errors.ts toAppError).

import type { FastifyInstance, RouteHandlerMethod } from 'fastify'
import { AppError } from '../../shared/errors'
import { isBusy, retryAfterBusy, type Db } from '../store/connection'
import { ownWritersOf } from '../store/own-writers'

/** How long a request whose write finds the database locked is tried again before its 503 (ms). */
export const HTTP_BUSY_RETRY_MS = 3000

/** What the 503 of a locked database asks the client to wait before trying again (s): Retry-After. */
export const LOCKED_RETRY_AFTER_S = 5

/**
 * The answer to a request whose write found the database locked past HTTP_BUSY_RETRY_MS: 503
 * database_locked, Retry-After. `byOwnWriters`: JobDesk's own SQL jobs may hold the lock (one was not
 * yet paused, store/own-writers.ts), so the message does not blame another program.
 */
export const databaseLocked = (byOwnWriters = false): AppError =>
  new AppError(
    'unavailable',
    'database_locked',
    byOwnWriters
      ? "the database is busy: JobDesk's own SQL jobs are writing their result rows; try again"
      : 'the database is locked by another program; try again (a sqlite3 shell left in a transaction, a VACUUM or a backup may hold jobdesk.db)',
    { retryAfterSeconds: LOCKED_RETRY_AFTER_S },
  )

const WRAPPED = Symbol('busy-retry')

// Per connection: its `SELECT total_changes()` (rows changed by every write committed on it so far).
const totalChangesOf = new WeakMap<Db, () => number>()
const totalChanges = (db: Db): (() => number) => {
  let read = totalChangesOf.get(db)
  if (!read) {
    const statement = db.prepare('SELECT total_changes()').pluck()
    read = () => statement.get() as number
    totalChangesOf.set(db, read)
  }
  return read
}

/**
 * Runs one request's operation (`run`, an HTTP handler or an IPC call) and, when it throws or
 * rejects with SQLITE_BUSY, runs it again after busyRetryDelay, for up to HTTP_BUSY_RETRY_MS (the
 * event loop free between tries); then its last refusal is thrown (answered 503 database_locked).
 * Each write is one transaction, so a refused one changed nothing; `run` is run again only if no
 * try of it committed a write on `db` (SQLite's total_changes() when it was refused against when it
 * began: one that committed a write and was refused the next fails at once rather than apply the
 * first twice) and `mayRetry` (e.g. "nothing sent yet") agrees. Commits of others between two tries
 * (the engine's, on the same connection) do not count: a submit refused while the engine saved its
 * jobs in the gap was answered 503 after 214 ms. A try that awaits between its writes may count
 * another's commit as its own, and is then not run again. A `run` that returns without a promise
 * costs two reads of total_changes and no promise.
 * @returns what `run` returns, or a promise of what a retry of it resolves with
 * @throws what `run` throws when that is not SQLITE_BUSY; a promise rejecting with its last refusal, or
 *   with databaseLocked(true) when JobDesk's own SQL jobs may hold the lock then
 */
export function retryUnlessCommitted<T>(db: Db, run: () => T | Promise<T>, mayRetry: () => boolean = () => true): T | Promise<T> {
  const changes = totalChanges(db)
  let committed = false
  let ownMayHold = false // at the last refusal: one of JobDesk's SQL jobs was not paused
  const attempt = (): T | Promise<T> => {
    const before = changes()
    // at the refusal: a rejection reaches here in the same turn of the event loop, before another's commit can
    const refused = (e: unknown): never => {
      if (changes() !== before) committed = true
      ownMayHold = ownWritersOf(db).writing() > 0
      throw e
    }
    try {
      const result = run()
      return result instanceof Promise ? result.catch(refused) : result
    } catch (e) {
      return refused(e)
    }
  }
  const retry = (error: unknown): Promise<T> =>
    retryAfterBusy(error, attempt, {
      db,
      forMs: HTTP_BUSY_RETRY_MS,
      mayRetry: () => mayRetry() && !committed,
    }).catch((e: unknown) => {
      throw isBusy(e) && ownMayHold ? databaseLocked(true) : e
    })
  try {
    const result = attempt()
    return result instanceof Promise ? result.catch(retry) : result
  } catch (e) {
    if (!isBusy(e)) throw e
    return retry(e)
  }
}

/**
 * Wraps the handler of every route registered on `app` from now on (dialects included) in
 * retryUnlessCommitted on `db`: a handler refused by another program's lock runs again, unless it
 * committed something or a reply was already sent, then its refusal goes to the error handler (503
 * database_locked).
 */
export function retryLockedWrites(app: FastifyInstance, db: Db): void {
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod & { [WRAPPED]?: true }
    if (handler[WRAPPED]) return // fastify's HEAD twin of a GET reuses its options
    const wrapped: RouteHandlerMethod & { [WRAPPED]?: true } = function (req, reply) {
      return retryUnlessCommitted(db, () => handler.call(this, req, reply) as unknown, () => !reply.sent)
    }
    wrapped[WRAPPED] = true
    route.handler = wrapped
  })
}
