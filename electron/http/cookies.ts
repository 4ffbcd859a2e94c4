// Cookies where a dialect reads them (Linkis, Rill Flow): @fastify/cookie is registered without its
// parsing hook, so a call that carries no cookie the dialect wants (a bearer token, Token-Code
// headers) never pays for parsing one; the first read parses the Cookie header once, with
// @fastify/cookie's own parser, and keeps the result on the request (#14.2). Setting and clearing
// cookies (reply.setCookie / clearCookie) work as before.

import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Registers @fastify/cookie in `scope` (reply.setCookie, reply.clearCookie, the Set-Cookie writer)
 * without parsing any request's cookies up front: read them with requestCookie.
 */
export async function registerLazyCookies(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyCookie, { hook: false })
}

/**
 * The value of cookie `name` on this request, or undefined. The Cookie header is parsed on the
 * first read (the same parser @fastify/cookie's hook uses: RFC 6265 pairs, %-decoded, the first of
 * a repeated name wins) and kept as `req.cookies`. Needs registerLazyCookies in the request's scope.
 */
export function requestCookie(req: FastifyRequest, name: string): string | undefined {
  // `cookies` is decorated as null by @fastify/cookie and only filled here or by reply.setCookie
  let jar = req.cookies as FastifyRequest['cookies'] | null
  if (!jar) {
    const header = req.headers.cookie
    jar = req.cookies = header ? req.server.parseCookie(header) : {}
  }
  return jar[name]
}
