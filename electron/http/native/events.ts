import type { FastifyInstance } from 'fastify'
import { EVENTS_PATH } from '../../../shared/api'
import { APP_EVENT_NAMES, type AppEvent } from '../../../shared/events'
import type { Engine } from '../../engine/engine'
import { eventFilter } from '../../services/access'
import type { AuthService } from '../../services/auth.service'
import { authenticate, bearerToken } from './auth'

const KEEPALIVE_MS = 15_000

/** Server-sent events of job, task and log changes: `event: job.changed\ndata: {...}`. */
export function registerEventsRoute(app: FastifyInstance, auth: AuthService, engine: Engine): void {
  app.get(EVENTS_PATH, { schema: { summary: 'Server-sent events of job and task changes', tags: ['jobs'] }, onRequest: authenticate(auth) }, (req, reply) => {
    const visible = eventFilter(req.user!, (id) => engine.job(id)) // owner-or-admin: others' jobs and log lines never go out
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
      engine.on(name, (data) => {
        if (visible({ type: name, data } as AppEvent)) res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
      }),
    )
    // a stream ends with its session (signed out, password changed, user disabled)
    const keepalive = setInterval(() => (auth.sessionActor(bearerToken(req)) ? res.write(': keepalive\n\n') : res.end()), KEEPALIVE_MS)
    const close = () => {
      clearInterval(keepalive)
      offs.forEach((off) => off())
    }
    req.raw.on('close', close)
  })
}
