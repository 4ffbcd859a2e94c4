import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { TOTAL_HEADER } from '../../shared/listed-total'
import { AppError } from '../../shared/errors'
import { hostEntry, LOOPBACK_HOST_NAMES, machineHostNames, parseHost } from './host'
import { onRequestPerRoute } from './route-hooks'

/**
 * The allow-lists are read when a request needs them (a Host that is not loopback nor the machine's,
 * an Origin that is not the server's own), not once at start: an origin or host an admin allows in
 * Settings applies to the running server at once.
 */
export interface SecurityOptions {
  /** Extra Host names (besides loopback) the server answers to, from Settings. */
  allowedHosts?: () => readonly string[]
  /** Origins (scheme://host:port) allowed to call the API from a browser page (CORS allow-list), from Settings. */
  allowedOrigins?: () => readonly string[]
  /** Opened to the network: also answer to this machine's host names and interface addresses. */
  remote?: boolean
}

/**
 * The route option that marks a route (a GET most of all) that changes state: a kill, a sign-out, a
 * switch of user, a task's trigger, or an export, which takes one of its user's places and a worker
 * slot. Spread it into the route's options: `scope.get(url, CHANGES_STATE, handler)`.
 * registerSecurity then refuses a browser's request to it from a page of another origin (below),
 * before any of the route's own work.
 */
export const CHANGES_STATE = Object.freeze({ config: Object.freeze({ changesState: true }) })

/**
 * Refuses a request to a CHANGES_STATE route that a browser sent with cookies from a page of
 * another origin: `Sec-Fetch-Site: cross-site` or `same-site` (the cookies are SameSite=Strict, but
 * a site is scheme and registrable domain without the port: any other port of 127.0.0.1 is the same
 * site) and no Origin. A GET of `<img src>` or a link sends no Origin, which is how such a request
 * passes the Origin check every request gets; one with an Origin has passed it (its own or an
 * allowed one). `same-origin` and `none` (typed in the address bar) pass, and so does a request
 * without Sec-Fetch-Site: clients that are no browser (the Linkis CLI and SDKs) send none. A request
 * without cookies is authenticated by its headers (a token), which no other page can make a browser
 * send. Throws AppError forbidden `cross_site_request`, which each dialect words.
 */
function refuseCrossSiteChange(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const site = req.headers['sec-fetch-site']
  if ((site === 'cross-site' || site === 'same-site') && req.headers.origin === undefined && req.headers.cookie !== undefined) {
    throw new AppError('forbidden', 'cross_site_request', `${req.method} ${req.url.split('?')[0]} changes state: refused from a page of another origin (Sec-Fetch-Site: ${site}); send it from JobDesk's own pages or with a token`, { field: 'Sec-Fetch-Site' })
  }
  done()
}

/**
 * Whether `req` was sent by a browser, which sends cookies a page did not choose (tossed in by a page
 * on another port, left over) on requests any site's page can make it send: it carries
 * `Sec-Fetch-Site` (every browser since 2023: Chromium 76, Firefox 90, Safari 16.4) or an `Origin`
 * (an older one's POST or cross-origin fetch). Not `Sec-Fetch-Mode` alone: Node's own fetch sends
 * `Sec-Fetch-Mode: cors` on every request, and scripts are no browser. An older browser's GET sends
 * neither, and is taken for a client that is not one.
 */
export function sentByBrowser(req: FastifyRequest): boolean {
  return req.headers['sec-fetch-site'] !== undefined || req.headers.origin !== undefined
}

/** How often, at most, a Host not yet known makes the machine's names be read again (addresses change with networks). */
const MACHINE_NAMES_REFRESH_MS = 10_000

/**
 * The Host check every request gets (registerSecurity's hook, and holdUntilReady's gate while the routes
 * are made, so a rebinding page learns nothing from a 503 either): a function of the Host header (undefined
 * when it has none) that throws AppError `invalid` `missing_host` (400, as RFC 9112 §3.2 has it: the
 * server lets such a request through, httpServerOptions, so that it is refused in its envelope) without
 * one, `forbidden` `bad_host` unless it is valid and names this server, and returns otherwise.
 */
export function hostChecker(options: SecurityOptions): (raw: string | undefined) => void {
  const configured = (name: string): boolean => (options.allowedHosts?.() ?? []).some((h) => hostEntry(h) === name)
  const fixed = new Set(LOOPBACK_HOST_NAMES)
  let machine = new Set(options.remote ? machineHostNames() : [])
  let machineReadAt = Date.now()
  // The last Host header that named a loopback name: a client sends the same one on every call, and
  // whether a header parses to one of those fixed names never changes (#14.2). Other names are
  // parsed and looked up every time (Settings may change what is allowed).
  let loopbackHost: string | undefined
  const known = (name: string): boolean => {
    if (fixed.has(name) || machine.has(name) || configured(name)) return true
    if (!options.remote || Date.now() - machineReadAt < MACHINE_NAMES_REFRESH_MS) return false
    machine = new Set(machineHostNames())
    machineReadAt = Date.now()
    return machine.has(name)
  }
  return (raw) => {
    if (raw === loopbackHost && raw !== undefined) return
    if (raw === undefined) throw new AppError('invalid', 'missing_host', 'the request has no Host header: name this server in one (127.0.0.1 or localhost here)', { field: 'Host' })
    const host = parseHost(raw)
    if (!host || !known(host.name)) {
      const allowed = options.remote ? 'this machine’s names and addresses, or a host allowed in Settings' : '127.0.0.1 or localhost'
      throw new AppError('forbidden', 'bad_host', `host ${JSON.stringify(raw ?? '')} is not allowed; use ${allowed}`, { field: 'Host' })
    }
    if (fixed.has(host.name)) loopbackHost = raw
  }
}

/**
 * Refuses requests a hostile web page could make to the local server: a Host that is not ours
 * (DNS rebinding) or none, an Origin that is neither ours nor allowed (cross-site requests), and a browser's
 * request from another origin without an Origin header to a route that changes state (CHANGES_STATE).
 * Errors are AppError `forbidden` with code `bad_host`, `bad_origin` or `cross_site_request`, or
 * `invalid` `missing_host`; each dialect words them.
 * (The security headers go on every answer from the server's response class: security-headers.ts securedResponses.)
 * One synchronous onRequest hook does all of it: a status poll pays one hook call, no promise (#14.2).
 * `hostCheck`: the Host check (hostChecker of `options`), passed to share it with the starting gate.
 */
export function registerSecurity(app: FastifyInstance, options: SecurityOptions, hostCheck = hostChecker(options)): void {
  // after the hook below (a scope's onRequest hooks run before a route's own)
  onRequestPerRoute(app, (route) => ((route.config as { changesState?: boolean } | undefined)?.changesState ? refuseCrossSiteChange : undefined))
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const raw = req.headers.host
    hostCheck(raw)
    const origin = req.headers.origin
    if (origin === undefined || origin === `http://${raw!.toLowerCase()}`) return done()
    if (!(options.allowedOrigins?.() ?? []).includes(origin)) throw new AppError('forbidden', 'bad_origin', `requests from origin ${origin} are not allowed`, { field: 'Origin' })
    reply.header('access-control-allow-origin', origin)
    reply.header('access-control-expose-headers', TOTAL_HEADER) // a list page's total (shared/listed-total.ts), for an allowed page's script
    reply.header('vary', 'Origin')
    if (req.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
      reply.header('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type, authorization')
      reply.header('access-control-allow-credentials', 'true')
      reply.code(204).send() // answered: done() is not called
      return
    }
    done()
  })
}
