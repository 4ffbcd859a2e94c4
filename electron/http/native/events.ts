import type { FastifyInstance } from 'fastify'
import { EVENTS_PATH } from '../../../shared/api'
import { APP_EVENT_NAMES } from '../../../shared/events'
import type { Engine } from '../../engine/engine'
import type { AuthService } from '../../services/auth.service'
import { authenticate } from './auth'

const KEEPALIVE_MS = 15_000

/** Server-sent events of job, task and log changes: `event: job.changed\ndata: {...}`. */
export function registerEventsRoute(app: FastifyInstance, auth: AuthService, engine: Engine): void {
  app.get(EVENTS_PATH, { schema: { summary: 'Server-sent events of job and task changes', tags: ['jobs'] }, onRequest: authenticate(auth) }, (req, reply) => {
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.write(': connected\n\n')
    const offs = APP_EVENT_NAMES.map((name) =>
      engine.on(name, (data) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)),
    )
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS)
    const close = () => {
      clearInterval(keepalive)
      offs.forEach((off) => off())
    }
    req.raw.on('close', close)
  })
}
