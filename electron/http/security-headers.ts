import fastifyHelmet from '@fastify/helmet'
import Fastify from 'fastify'

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
 * security.ts's onRequest hook sets them on every answer, refusals included.
 */
export async function securityHeaders(): Promise<Readonly<Record<string, string>>> {
  const headers = await helmetHeaderSet()
  if (!headers['content-security-policy'] || !headers['x-frame-options']) throw new Error('helmet set no CSP or X-Frame-Options: check its options')
  return Object.freeze(headers)
}
