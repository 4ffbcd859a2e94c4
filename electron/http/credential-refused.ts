// The auth layer's word to the connection gate (connection-limits.ts) that a request's credential
// was refused, or that a route needing one found none: whatever HTTP status its dialect answers
// with. The gate signed a connection out only on a 401, but TuGraph answers a refused token with
// HTTP 200 ({"errorCode":"401"}), so a user disabled or signed out kept their connections marked
// signed in, and with them places no newcomer could take (gate10).

import type { FastifyRequest } from 'fastify'

const refused = new WeakSet<FastifyRequest>()

/**
 * Marks `req` as refused for want of a good credential and returns `error`, for `throw
 * refuseCredential(req, e)` where each dialect's authentication refuses (an unknown, expired,
 * signed-out or disabled user's credential, none where one is needed, a signature that does not
 * verify). Its connection is signed out when the answer is sent.
 */
export function refuseCredential<E>(req: FastifyRequest, error: E): E {
  refused.add(req)
  return error
}

/** Whether refuseCredential marked `req`. */
export const credentialRefused = (req: FastifyRequest): boolean => refused.has(req)

/**
 * Runs `authenticate` (a dialect's look-up of the caller, which throws to refuse) and returns what it
 * returns; marks `req` refused (refuseCredential) when it throws, and throws on what it threw.
 */
export function refusedOnThrow<T>(req: FastifyRequest, authenticate: () => T): T {
  try {
    return authenticate()
  } catch (e) {
    throw refuseCredential(req, e)
  }
}
