import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HTTP_ROUTES, type OperationName, type Params } from '../../../shared/api'
import { AppError } from '../../../shared/errors'
import { BODY_LIMITS } from '../body-limits'
import type { AuthService } from '../../services/auth.service'
import type { Actor } from '../../services/access'
import { dispatch, type Handlers } from '../../services/operations'
import { deviceCookieIn } from '../../services/device-cookies'
import { authenticate, BEFORE_PASSWORD_CHANGE, setDeviceCookie } from './auth'
import { registerLazyCookies } from '../cookies'
import { frozenJson } from '../../store/finished-views'
import { carriesRaw } from '../../store/raw-json'
import { NATIVE_OPERATIONS, ROUTE_SCHEMAS } from './schemas'
import { jsonStream, JSON_TYPE } from '../json-stream'
import type { StreamedOperations } from './streamed'
import { untilHangUp } from '../hang-up'
import { requestClient } from '../../services/client-address'
import { TOTAL_HEADER, totalOf } from '../../../shared/listed-total'

/**
 * The operations whose body carries content (a script, a descriptor, a context, a schema, an import's
 * files, a workflow document): BODY_LIMITS.content. The rest take a few fields: BODY_LIMITS.small.
 */
const CONTENT_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'jobs.submit',
  'workflows.validate',
  'workflows.save',
  'workflows.submit',
  'graphs.cypher',
  'graphs.importSchema',
  'imports.preview',
  'imports.check',
  'imports.start',
  'algorithms.start',
  'graphWorkflows.create',
  'graphWorkflows.validate',
  'graphWorkflows.save',
  'graphWorkflows.run',
  'savedScripts.save',
  'preferences.set',
])

/**
 * The operations whose answer may carry a device cookie (services/device-cookies.ts withDeviceCookie):
 * a password change answers the browser that made it its cookie signed anew, so it keeps its device
 * trust (native/auth.ts); an admin's reset of another user's password is users.update, which sets
 * none. Only their routes get the cookie writer (and its onSend hook).
 */
const SETS_COOKIES: ReadonlySet<OperationName> = new Set<OperationName>(['session.changePassword'])


/**
 * One route per operation of the shared contract; params come from the path, then the query or body.
 * Raw-body routes (file chunks) live in a scope of their own that reads application/octet-stream
 * and nothing else, so no other route ever takes a binary body. The operations in `streamed` answer
 * with the same JSON written as it is read (native/streamed.ts) instead of their handler's result.
 */
export function registerOperationRoutes(app: FastifyInstance, auth: AuthService, handlers: Handlers, streamed: StreamedOperations = {}): void {
  const route = (scope: FastifyInstance, name: OperationName) => {
    const r = HTTP_ROUTES[name]
    // Only a handler that declares the hang-up signal (its 4th parameter) is run under one: watching
    // the connection costs ~15 µs, a tenth of a status poll, which never stops early anyway.
    const hearsHangUp = (handlers[name]?.length ?? 0) >= 4
    scope.route({
      method: r.method,
      url: r.path,
      schema: ROUTE_SCHEMAS[name],
      bodyLimit: r.body === 'raw' ? BODY_LIMITS.chunk : CONTENT_OPERATIONS.has(name) ? BODY_LIMITS.content : BODY_LIMITS.small,
      onRequest: authenticate(auth, BEFORE_PASSWORD_CHANGE.has(name)), // before body parsing and schema validation
      handler: async (req, reply) => {
        const params = paramsOf(name, req)
        const stream = streamed[name] as ((p: typeof params, actor: Actor, signal: AbortSignal) => unknown) | undefined // the map's type ties each to its name
        if (stream) return reply.code(r.status ?? 200).type(JSON_TYPE).send(jsonStream(await untilHangUp(reply, async (signal) => stream(params, req.user!, signal))))
        const keep = name === 'graphs.cypher' ? cancelOnHangUp(handlers, params as Params<'graphs.cypher'>, req, reply) : undefined
        try {
          const result = hearsHangUp
            ? await untilHangUp(reply, (signal) => dispatch(handlers, name, params, req.user!, requestClient(req), signal))
            : await dispatch(handlers, name, params, req.user!, requestClient(req))
          const device = deviceCookieIn(result) // a password change's, for the browser that made it
          if (device) setDeviceCookie(req, reply, device)
          const total = totalOf(result) // a page of a list: the rows of all pages together
          if (total !== undefined) reply.header(TOTAL_HEADER, String(total))
          // stored JSON of megabytes (a job's large input or result) is written slice by slice (raw-json.ts)
          if (carriesRaw(result)) return reply.code(r.status ?? 200).type(JSON_TYPE).send(jsonStream(result))
          const json = frozenJson(result) // a kept view (a finished job's detail): its text is kept too
          return json === undefined ? reply.code(r.status ?? 200).send(result) : reply.code(r.status ?? 200).type(JSON_TYPE).send(json)
        } finally {
          keep?.()
        }
      },
    })
  }
  const raw = NATIVE_OPERATIONS.filter((name) => HTTP_ROUTES[name].body === 'raw')
  for (const name of NATIVE_OPERATIONS) if (!raw.includes(name) && !SETS_COOKIES.has(name)) route(app, name)
  void app.register(async (scope) => {
    await registerLazyCookies(scope) // the cookie writer, for a device cookie an answer carries
    for (const name of SETS_COOKIES) route(scope, name)
  })
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BODY_LIMITS.chunk }, (_req, body, done) => done(null, body))
    scope.addContentTypeParser('*', (req, _payload, done) =>
      done(new AppError('unsupported_media_type', 'bad_content_type', `send the bytes as application/octet-stream, not ${req.headers['content-type'] ?? 'no content type'}`, { field: 'content-type' })),
    )
    for (const name of raw) route(scope, name)
  })
}

/**
 * A Cypher run stops when its HTTP client hangs up, as TuGraph's /cypher does: a reloaded page or
 * a closed tab frees its query worker. A run without a queryId gets one. Returns the unhook.
 */
function cancelOnHangUp(handlers: Handlers, params: Params<'graphs.cypher'>, req: FastifyRequest, reply: FastifyReply): () => void {
  if (params.queryId === undefined) params.queryId = randomUUID()
  const queryId = params.queryId
  const hungUp = () => {
    if (!reply.raw.writableFinished) dispatch(handlers, 'graphs.cypherCancel', { queryId }, req.user!).catch(() => undefined) // it may have ended meanwhile
  }
  reply.raw.once('close', hungUp)
  return () => reply.raw.off('close', hungUp)
}

function paramsOf<K extends OperationName>(name: K, req: FastifyRequest): Params<K> {
  const route = HTTP_ROUTES[name]
  if (route.body === 'raw') return { ...(req.query as object), data: (req.body as Buffer | undefined) ?? Buffer.alloc(0), ...(req.params as object) } as Params<K>
  const fromBody = route.method === 'POST' ? req.body : req.query
  return { ...((fromBody as object | undefined) ?? {}), ...(req.params as object) } as Params<K>
}
