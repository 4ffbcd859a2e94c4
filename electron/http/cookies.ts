// Cookies where a dialect reads them (Linkis, Rill Flow, Explorer, the native sign-in's device
// cookie): @fastify/cookie is registered without its parsing hook, so a call that carries no cookie
// the dialect wants (a bearer token, Token-Code headers) never pays for parsing one; the first read
// parses the Cookie header once and keeps every value of every name on the request (#14.2).
// A credential cookie is set with setCredentialCookie (its attributes, one place) and cleared with
// reply.clearCookie, or with clearCookieEverywhere at every place a tossed one can be.
//
// Cookie tossing (#9, atk9): cookies ignore ports, so a page on another port of this computer can
// set `<name>=<another user's ticket>; path=<a longer path>`, which the browser sends ahead of the
// user's own (RFC 6265 §5.4). A credential read with requestCookie is therefore refused when the
// request carries two or more values of its name (AppError unauthenticated `duplicate_cookie`),
// never taken as either user, and the answer clears that name at every path the tossed cookie can
// have (clearingCookies), so the browser's next sign-in works. A tossed cookie of another name
// than the user's own credential (Linkis's Token-Code/Token-User beside the session cookie, atk10,
// or in any browser's request, atk11) is refused by its reader, which clears it the same way
// (clearOnAnswer).

import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors'

/** The error code of a refusal for a repeated credential cookie. */
export const DUPLICATE_COOKIE = 'duplicate_cookie'

/** At most this many path segments of a request get a clearing cookie (a route's paths have fewer): bounds the answer. */
const MAX_CLEARED_SEGMENTS = 16

/** Every value of every cookie name of a request, in the order sent. */
type CookieJar = Map<string, string[]>
const jars = new WeakMap<FastifyRequest, CookieJar>()
/** The names a request was refused for (requestCookie), to clear on its answer. */
const tossed = new WeakMap<FastifyRequest, Set<string>>()

/**
 * Registers @fastify/cookie in `scope` (reply.setCookie, reply.clearCookie, the Set-Cookie writer)
 * without parsing any request's cookies up front (read them with requestCookie), and an onSend hook
 * that clears the names a request was refused for (see requestCookie).
 */
export async function registerLazyCookies(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyCookie, { hook: false })
  scope.addHook('onSend', (req, reply, payload, done) => {
    const names = tossed.get(req)
    if (names) for (const name of names) clearCookieEverywhere(reply, name)
    done(null, payload)
  })
}

/**
 * The value of credential cookie `name` on this request, or undefined. The Cookie header is parsed
 * on the first read (RFC 6265 pairs, trimmed, quotes removed, %-decoded as @fastify/cookie does).
 * Throws AppError unauthenticated `duplicate_cookie` when the request carries `name` two or more
 * times (a tossed cookie: see the top of this file), and marks the name to be cleared on the answer.
 * Needs registerLazyCookies in the request's scope.
 */
export function requestCookie(req: FastifyRequest, name: string): string | undefined {
  const values = requestCookies(req, name)
  if (values.length > 1) {
    clearOnAnswer(req, name)
    throw new AppError('unauthenticated', DUPLICATE_COOKIE, `the request carries ${values.length} ${name} cookies: sign in again`)
  }
  return values[0]
}

/**
 * Marks cookie `name` to be cleared on this request's answer, at every path and domain a tossed
 * cookie can have (clearingCookies), whatever the answer is: for a credential cookie the request was
 * refused for. Needs registerLazyCookies in the request's scope.
 */
export function clearOnAnswer(req: FastifyRequest, name: string): void {
  let names = tossed.get(req)
  if (!names) tossed.set(req, (names = new Set()))
  names.add(name)
}

/**
 * Every value of cookie `name` on this request, in the order sent (empty when none). For readers
 * that may act on each (a sign-out ends every ticket it is sent; a device cookie counts if any
 * value verifies); a credential that names a user is read with requestCookie.
 */
export function requestCookies(req: FastifyRequest, name: string): readonly string[] {
  let jar = jars.get(req)
  if (!jar) jars.set(req, (jar = parseCookieHeader(req.headers.cookie)))
  return jar.get(name) ?? []
}

/** A Cookie header's pairs by name, every value kept (the `cookie` package's rules otherwise). */
function parseCookieHeader(header: string | undefined): CookieJar {
  const jar: CookieJar = new Map()
  if (!header) return jar
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const name = pair.slice(0, eq).trim()
    if (!name) continue
    let value = pair.slice(eq + 1).trim()
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value)
      } catch {
        // kept as sent, as the cookie package does
      }
    }
    const values = jar.get(name)
    if (values) values.push(value)
    else jar.set(name, [value])
  }
  return jar
}

/**
 * Set-Cookie values that delete cookie `name` at every path a cookie sent with a request for `url`
 * can have (RFC 6265 §5.1.4 path-match: `/`, and each leading run of segments with and without a
 * trailing slash, up to MAX_CLEARED_SEGMENTS segments). Each is host-only (a cookie a page on
 * another port set without Domain), and again with Domain= the host name itself and each of its
 * parents (`host` without its port; none for an IP address): Chromium keeps `Domain=host` apart from
 * the host-only cookie though RFC 6265 §5.3 makes them one (rev9), and a page at
 * jobdesk.corp.example:9999 may set Domain=corp.example. Max-Age=0 and an expired date.
 */
export function clearingCookies(name: string, url: string, host = ''): string[] {
  const segments = url.split('?')[0].split('/').slice(1, MAX_CLEARED_SEGMENTS + 1)
  const paths = new Set<string>(['/'])
  let path = ''
  for (const segment of segments) {
    if (!segment || /[;,\s\x00-\x1f\x7f]/.test(segment)) break // nothing a Path attribute can carry: no route has it either
    path += `/${segment}`
    paths.add(path)
    paths.add(`${path}/`)
  }
  const domains = ['', ...cookieDomains(host).map((d) => `; Domain=${d}`)]
  return domains.flatMap((domain) => [...paths].map((p) => `${name}=; Path=${p}${domain}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`))
}

/** At most this many domains of a host name (itself and its parents) get a clearing cookie each. */
const MAX_COOKIE_DOMAINS = 5

/**
 * `a.b.example` → [`a.b.example`, `b.example`, `example`]: the host itself (Chromium keeps a cookie set
 * with `Domain=` the host apart from a host-only one: rev9) and every parent (a public suffix's clearing
 * is ignored, as its setting was); none for an IP or an odd name.
 */
function cookieDomains(host: string): string[] {
  const name = host.toLowerCase()
  if (!/^[a-z0-9.-]+$/.test(name) || /^[\d.]+$/.test(name)) return []
  const labels = name.split('.')
  const domains: string[] = []
  for (let i = 0; i < labels.length && domains.length < MAX_COOKIE_DOMAINS; i++) domains.push(labels.slice(i).join('.'))
  return domains
}

/**
 * Sets credential cookie `name` to `value` for `maxAgeSeconds` at `path` as every credential cookie is
 * set: HttpOnly (no page script reads it) and SameSite=Strict (no other site's page sends it). Needs
 * registerLazyCookies in the reply's scope.
 */
export function setCredentialCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds: number, path = '/'): void {
  reply.setCookie(name, value, { path, httpOnly: true, sameSite: 'strict', maxAge: maxAgeSeconds })
}

/** Adds clearingCookies for `name` and the reply's request to `reply`'s Set-Cookie headers (appended: @fastify/cookie's own stay). */
export function clearCookieEverywhere(reply: FastifyReply, name: string): void {
  for (const c of clearingCookies(name, reply.request.url, reply.request.hostname)) reply.header('set-cookie', c)
}
