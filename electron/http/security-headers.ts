import fastifyHelmet from '@fastify/helmet'
import Fastify from 'fastify'
import { ServerResponse, type IncomingMessage } from 'node:http'

/**
 * The Content-Security-Policy of every answer: the web UI (out/renderer) and /swagger-ui load only
 * their own scripts, talk only to this server and cannot be framed. Inline `<style>` stays allowed:
 * CodeMirror and Swagger UI add style elements at run time (the renderer's own meta CSP allows it too).
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const

const HELMET_OPTIONS = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: { ...CONTENT_SECURITY_POLICY } },
  frameguard: { action: 'deny' as const },
  strictTransportSecurity: false,
  crossOriginResourcePolicy: { policy: 'same-origin' as const },
}

/**
 * The headers @fastify/helmet sets with JobDesk's options, found once by asking it on a throwaway
 * instance. They do not vary per request (no CSP nonces), so every answer gets this fixed set
 * instead of running helmet's middleware each time (a tenth of a status poll's CPU, #14.2).
 */
export async function helmetHeaderSet(): Promise<Record<string, string>> {
  const answer = async (withHelmet: boolean): Promise<Record<string, unknown>> => {
    const probe = Fastify({ logger: false })
    if (withHelmet) await probe.register(fastifyHelmet, HELMET_OPTIONS)
    probe.get('/', async () => 'ok')
    const res = await probe.inject('/')
    await probe.close()
    return res.headers
  }
  const [plain, helmeted] = await Promise.all([answer(false), answer(true)])
  const set: Record<string, string> = {}
  for (const [name, value] of Object.entries(helmeted)) if (!(name in plain) && typeof value === 'string') set[name] = value
  return set
}

/**
 * Security headers on every answer, helmet's (helmetHeaderSet): CSP (above), X-Frame-Options DENY,
 * X-Content-Type-Options nosniff, Referrer-Policy no-referrer, Cross-Origin-Opener/Resource-Policy
 * same-origin. JobDesk serves plain HTTP on loopback or a LAN, so no HSTS and no
 * upgrade-insecure-requests (either would break the UI over http://<lan-address>).
 * securedResponses puts them on every answer to a request; client-errors.ts on its raw answers.
 */
export async function securityHeaders(): Promise<Readonly<Record<string, string>>> {
  const headers = await helmetHeaderSet()
  if (!headers['content-security-policy'] || !headers['x-frame-options']) throw new Error('helmet set no CSP or X-Frame-Options: check its options')
  return Object.freeze(headers)
}

/**
 * The http server's response class (node's `ServerResponse` option, server.ts): every answer node's
 * server writes for a request starts with `headers` (securityHeaders), whoever writes it. An onRequest
 * hook set them on fastify's replies only, so answers that pass no hook went without (gate11):
 * fastify's errors found before routing (frameworkErrors: a malformed %-escape, an over-long path
 * parameter), a hijacked reply (the event stream writes its own head) and node's own answers
 * (400 to an HTTP/1.1 request without Host, 417 to an Expect it does not know). A header a reply
 * sets itself replaces the one here (node merges writeHead's headers over these). fastify.inject
 * makes its own responses: an answer seen through it has none of these.
 */
export function securedResponses(headers: Readonly<Record<string, string>>): typeof ServerResponse {
  const entries = Object.entries(headers)
  return class SecuredResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    // node passes (req, options) and its typings name only req: every argument is passed on
    constructor(...args: [req: Request]) {
      super(...args)
      for (const [name, value] of entries) this.setHeader(name, value)
    }
  }
}
