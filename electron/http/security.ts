import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors'

export interface SecurityOptions {
  /** Extra Host names (besides loopback) the server answers to; '*' for any (opened to the network). */
  allowedHosts?: string[]
  /** Origins (scheme://host:port) allowed to call the API from a browser page (CORS allow-list). */
  allowedOrigins?: string[]
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/** Strips the port from a Host header value, keeping IPv6 brackets. */
export function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1)
  const colon = host.lastIndexOf(':')
  return colon === -1 ? host : host.slice(0, colon)
}

/**
 * Refuses requests a hostile web page could make to the local server: a Host that is not ours
 * (DNS rebinding) and an Origin that is neither ours nor allowed (cross-site requests).
 */
export function registerSecurity(app: FastifyInstance, options: SecurityOptions): void {
  const hosts = new Set([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())])
  const origins = new Set(options.allowedOrigins ?? [])

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!hosts.has('*') && !hosts.has(hostName(host))) {
      throw new AppError('forbidden', 'bad_host', `host "${host}" is not allowed; use 127.0.0.1 or localhost`)
    }
    const origin = req.headers.origin
    if (origin === undefined || origin === `http://${host}`) return
    if (!origins.has(origin)) throw new AppError('forbidden', 'bad_origin', `requests from origin ${origin} are not allowed`)
    reply.header('access-control-allow-origin', origin)
    reply.header('vary', 'Origin')
    if (req.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
      reply.header('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type, authorization')
      reply.header('access-control-allow-credentials', 'true')
      return reply.code(204).send()
    }
  })
}
