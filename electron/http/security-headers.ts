import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

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

/**
 * Security headers on every answer, with @fastify/helmet: CSP (above), X-Frame-Options DENY,
 * X-Content-Type-Options nosniff, Referrer-Policy no-referrer, Cross-Origin-Opener/Resource-Policy
 * same-origin. JobDesk serves plain HTTP on loopback or a LAN, so no HSTS and no
 * upgrade-insecure-requests (either would break the UI over http://<lan-address>).
 * Register it before the Host and Origin checks so refusals carry the headers too.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { ...CONTENT_SECURITY_POLICY } },
    frameguard: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
}
