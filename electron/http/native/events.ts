import type { FastifyInstance } from 'fastify'
import { EVENTS_PATH } from '../../../shared/api'
import { APP_EVENT_NAMES } from '../../../shared/events'
import type { Engine } from '../../engine/engine'
import type { AuthService } from '../../services/auth.service'
import { requireUser } from './auth'
import { EventStreams, type EventStreamOptions } from './event-stream'

/** Server-sent events of job, task and log changes: `event: job.changed\ndata: {...}`. */
export function registerEventsRoute(app: FastifyInstance, auth: AuthService, engine: Engine, options: EventStreamOptions = {}): void {
  const streams = new EventStreams(options)
  // Shutdown ends open streams first: server.close() would otherwise wait on them forever.
  app.addHook('preClose', (done) => {
    streams.closeAll()
    done()
  })
  app.get(EVENTS_PATH, { schema: { summary: 'Server-sent events of job and task changes', tags: ['jobs'] } }, (req, reply) => {
    requireUser(auth, req)
    reply.hijack()
    const stream = streams.start(reply.raw)
    const offs = APP_EVENT_NAMES.map((name) => engine.on(name, (data) => stream.send(name, data)))
    stream.onClose(() => offs.forEach((off) => off()))
  })
}
