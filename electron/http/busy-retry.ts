// Requests whose write finds jobdesk.db locked by another program (a sqlite3 shell left in
// BEGIN IMMEDIATE, a long VACUUM) (#9 §2). The main thread's connection waits only BUSY_TIMEOUT_MS
// (50 ms) for the lock, so the event loop stays free and a status probe (a read: WAL readers are
// not blocked) still answers; the request's handler is run again with the event loop free between
// tries, for a few seconds, then the request is answered 503 "the database is locked by another
// program; try again" with Retry-After, in its dialect's envelope (native/errors.ts toAppError).

import type { FastifyInstance, RouteHandlerMethod } from 'fastify'
import { AppError } from '../../shared/errors'
import { isBusy, retryAfterBusy, type Db } from '../store/connection'

/** How long a request whose write finds the database locked is tried again before its 503 (ms). */
export const HTTP_BUSY_RETRY_MS = 3000

/** What the 503 of a locked database asks the client to wait before trying again (s): Retry-After. */
export const LOCKED_RETRY_AFTER_S = 5

/** The answer to a request whose write found the database locked past HTTP_BUSY_RETRY_MS: 503 database_locked, Retry-After. */
export const databaseLocked = (): AppError =>
  new AppError('unavailable', 'database_locked', 'the database is locked by another program; try again (a sqlite3 shell left in a transaction, a VACUUM or a backup may hold jobdesk.db)', {
    retryAfterSeconds: LOCKED_RETRY_AFTER_S,
  })

const WRAPPED = Symbol('busy-retry')

/**
 * Wraps the handler of every route registered on `app` from now on (dialects included): a handler
 * that throws SQLITE_BUSY runs again after busyRetryDelay, for up to HTTP_BUSY_RETRY_MS, then its
 * refusal goes to the error handler (503 database_locked). Each write is one transaction, so a
 * refused one changed nothing; a handler is run again only if nothing was committed on `db` since
 * it started (SQLite's total_changes(): a handler that committed one write and was refused the next
 * answers 503 at once rather than apply the first twice) and nothing was sent yet. A handler that
 * returns without a promise costs one read of total_changes and no promise.
 */
export function retryLockedWrites(app: FastifyInstance, db: Db): void {
  const totalChanges = db.prepare('SELECT total_changes()').pluck()
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod & { [WRAPPED]?: true }
    if (handler[WRAPPED]) return // fastify's HEAD twin of a GET reuses its options
    const wrapped: RouteHandlerMethod & { [WRAPPED]?: true } = function (req, reply) {
      const before = totalChanges.get() as number
      const retry = (error: unknown): unknown =>
        retryAfterBusy(error, () => handler.call(this, req, reply), {
          db,
          forMs: HTTP_BUSY_RETRY_MS,
          mayRetry: () => !reply.sent && totalChanges.get() === before,
        })
      try {
        const result = handler.call(this, req, reply) as unknown
        return result instanceof Promise ? result.catch(retry) : result
      } catch (e) {
        if (!isBusy(e)) throw e
        return retry(e)
      }
    }
    wrapped[WRAPPED] = true
    route.handler = wrapped
  })
}
