import type { FastifyInstance } from 'fastify'
import { EVENTS_PATH } from '../../../shared/api'
import { accountDisabledReason } from '../../../shared/errors'
import { APP_EVENT_NAMES, SESSION_ENDED_EVENT, type AppEvent, type AppEvents, type SessionEnded } from '../../../shared/events'
import { isTerminalJob } from '../../../shared/status'
import type { Engine } from '../../engine/engine'
import { eventFilter } from '../../services/access'
import type { AuthService } from '../../services/auth.service'
import type { UserRepository } from '../../store/user.repository'
import { authenticate, bearerToken } from './auth'
import { EventStreams, type EventStreamOptions } from './event-stream'
import { LogFanout } from './log-fanout'

/** How often an open stream checks that its session still stands and its user's role is unchanged (besides when users change). */
const SESSION_CHECK_MS = 15_000

/** What an events route is built with: its streams' options, and `sessionCheckMs` (SESSION_CHECK_MS unless a test needs its check sooner). */
export interface EventsRouteOptions extends EventStreamOptions {
  sessionCheckMs?: number
}

/**
 * Server-sent events of job, task and log changes: `event: job.changed\ndata: {...}`. A stream carries
 * what its user may reach (eventFilter) and follows them: `users.onChange` (or, at the latest, the
 * periodic check) ends it when their session ends or their role changes.
 */
export function registerEventsRoute(app: FastifyInstance, auth: AuthService, engine: Engine, users: Pick<UserRepository, 'onChange' | 'get'>, options: EventsRouteOptions = {}): void {
  const streams = new EventStreams(options)
  // Log lines reach streams gathered and bounded (log-fanout.ts); job and task changes go at once.
  const logListeners = new Set<(event: AppEvents['log.appended']) => void>()
  const fanout = new LogFanout((event) => logListeners.forEach((l) => l(event)))
  const offEngineLogs = engine.on('log.appended', (event) => logListeners.size > 0 && fanout.push(event))
  // A job's end goes out after its last lines (the engine emits a commit's lines before its job
  // changes, and this listener comes before every stream's): a viewer has them when it sees the end.
  const offEngineEnds = engine.on('job.changed', ({ job }) => isTerminalJob(job.status) && fanout.flushJob(job.id))
  // Shutdown ends open streams first: server.close() would otherwise wait on them forever.
  app.addHook('preClose', (done) => {
    streams.closeAll()
    offEngineLogs()
    offEngineEnds()
    fanout.close()
    done()
  })
  app.get(EVENTS_PATH, { schema: { summary: 'Server-sent events of job and task changes', tags: ['jobs'] }, onRequest: authenticate(auth) }, (req, reply) => {
    const reader = req.user!
    streams.admit(reader.id, reader.isAdmin) // a refusal is answered in the native envelope, before the stream starts
    const visible = eventFilter(reader, (id) => engine.job(id)) // owner-or-admin: others' jobs and log lines never go out
    reply.hijack()
    const stream = streams.start(reply.raw, reader.id)
    const offs = APP_EVENT_NAMES.filter((name) => name !== 'log.appended').map((name) =>
      engine.on(name, (data) => {
        if (visible({ type: name, data } as AppEvent)) stream.send(name, data)
      }),
    )
    const onLog = (data: AppEvents['log.appended']) => visible({ type: 'log.appended', data }) && stream.send('log.appended', data)
    logListeners.add(onLog)
    offs.push(() => logListeners.delete(onLog))
    // A stream ends with its session (signed out, password changed, user disabled) and when its
    // user's role changes, which decided what it carries (#9 §3): the client reconnects as who they
    // are now (the web UI does, and reloads what it shows). Asked when the user changes, and every
    // SESSION_CHECK_MS in case a change comes another way.
    const recheck = () => {
      const now = auth.sessionActor(bearerToken(req))
      // a disabled account is said, so that the open page can say why it signs out (newuser4 #15)
      if (!now && users.get(reader.id)?.disabled) stream.send(SESSION_ENDED_EVENT, { reason: accountDisabledReason(reader.username) } satisfies SessionEnded)
      if (!now || now.isAdmin !== reader.isAdmin) stream.close()
    }
    offs.push(users.onChange((id) => id === reader.id && recheck()))
    const sessionCheck = setInterval(recheck, options.sessionCheckMs ?? SESSION_CHECK_MS)
    sessionCheck.unref()
    stream.onClose(() => {
      clearInterval(sessionCheck)
      offs.forEach((off) => off())
    })
  })
}
