// Work done for one request stops when its client hangs up: a closed tab or a client's timeout must
// not leave the server hashing, querying or reading for nobody.
import type { FastifyReply } from 'fastify'
import { AppError } from '../../shared/errors'

/**
 * Runs `work` with a signal that aborts when the connection closes before the answer was sent.
 * The signal's reason is an AppError `client_gone` (unavailable), so whatever `work` throws on
 * abort reaches the error handler as an operational error, not as a bug.
 */
export async function untilHangUp<T>(reply: FastifyReply, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController()
  const hungUp = () => {
    if (!reply.raw.writableFinished) stop.abort(new AppError('unavailable', 'client_gone', 'the client closed the connection before the answer'))
  }
  reply.raw.once('close', hungUp)
  try {
    return await work(stop.signal)
  } finally {
    reply.raw.off('close', hungUp)
  }
}
