// TuGraph's REST API (reference/tugraph.md §1) on JobDesk's port: every method at
// `/LGraphHttpService/Query/<method>` and at `/<method>`, method names in any case, a trailing
// slash tolerated, POST. Every answer is HTTP 200 in TuGraph's envelope (envelope.ts). Callers
// authenticate in an onRequest hook, before their body is read; the body is JSON whatever its
// content type, but upload_files's, which is raw bytes.

import { BODY_LIMITS, limitRequestBody } from '../../body-limits'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_ADMIN, type AuthService } from '../../../services/auth.service'
import { assertPasswordChosen, type Actor } from '../../../services/access'
import { MAX_CHUNK_BYTES } from '../../../graph/upload-files'
import { bodyOwner } from '../../body-rate'
import type { GraphService } from '../../../graph/graph.service'
import type { Store } from '../../../store'
import { isAppError } from '../../../../shared/errors'
import { untilHangUp } from '../../hang-up'
import { jsonStream, JSON_TYPE } from '../../json-stream'
import { RawJson } from '../../../store/raw-json'
import { cypherMethod } from './cypher'
import { okEnvelope, sendTuGraphError, TUGRAPH_PREFIX, TuGraphError, type TuGraphMethod } from './envelope'
import { checkFile, clearCache, uploadChunk } from './files'
import { importData, importProgress, importSchema } from './imports'
import { jsonBody, parseAhead, requiredString, type Body } from './request'
import { createTuGraphSessions, tokenOf, type TuGraphSessions } from './sessions'
import { requestClient } from '../../../services/client-address'
import { refusedOnThrow } from '../../credential-refused'

export interface TuGraphDeps {
  auth: AuthService
  graph: GraphService
  store: Store
  /** The data folder: uploads live in `<dataDir>/upload_files/<user>/`. */
  dataDir: string
}

interface Call {
  req: FastifyRequest
  reply: FastifyReply
  /** The caller; undefined only for login. */
  actor: Actor
  /** The token the call came with. */
  token: string
  /** The body as a JSON object (parsed on first use). */
  body(): Body
}

interface Method {
  /** Needs no token (login). */
  anonymous?: boolean
  /** Open to a user who must still change a password an admin set (logout: access.ts assertPasswordChosen). */
  beforePasswordChange?: boolean
  /** Reads the body as raw bytes rather than JSON. */
  raw?: boolean
  /** The most bytes its body may have (body-limits.ts); BODY_LIMITS.small when unset. */
  bodyLimit?: number
  run(c: Call): Promise<unknown>
}

function methods(deps: TuGraphDeps, sessions: TuGraphSessions): Record<TuGraphMethod, Method> {
  const { auth, graph, dataDir } = deps
  const upload: Method = { raw: true, bodyLimit: BODY_LIMITS.chunk, run: async (c) => uploadChunk(dataDir, c.actor, c.req.headers, c.req.body) }
  const cypher: Method = { bodyLimit: BODY_LIMITS.content, run: async (c) => cypherMethod(graph, c.actor, c.body(), c.reply) }
  return {
    login: {
      anonymous: true,
      async run(c) {
        const body = c.body()
        const field = body.userName === undefined && body.user !== undefined ? 'user' : 'userName'
        const userName = requiredString(body, field)
        const password = requiredString(body, 'password')
        let user
        try {
          user = await auth.checkPassword(userName, password, requestClient(c.req))
        } catch (e) {
          throw loginError(e)
        }
        const token = sessions.issue(user)
        return { authorization: token, jwt: token, default_password: password === DEFAULT_ADMIN.password, is_admin: user.isAdmin }
      },
    },
    refresh: {
      async run(c) {
        const token = sessions.refresh(c.token, c.actor)
        return { authorization: token, jwt: token }
      },
    },
    logout: {
      beforePasswordChange: true,
      async run(c) {
        sessions.logout(c.token)
      },
    },
    cypher,
    gql: cypher,
    upload_files: upload,
    upload_file: upload,
    check_file: { bodyLimit: BODY_LIMITS.content, run: async (c) => untilHangUp(c.reply, (signal) => checkFile(dataDir, c.actor, c.body(), signal)) },
    clear_cache: { run: async (c) => clearCache(dataDir, c.actor, c.body()) },
    import_schema: { bodyLimit: BODY_LIMITS.content, run: async (c) => importSchema(graph, c.actor, c.body()) },
    import_data: { bodyLimit: BODY_LIMITS.content, run: async (c) => importData(graph, c.actor, c.body()) },
    import_progress: { run: async (c) => importProgress(graph, c.actor, c.body()) },
  }
}

/** Login failures in TuGraph's words: a wrong or blank password, and its back-off. */
function loginError(e: unknown): unknown {
  if (!isAppError(e)) return e
  if (e.kind === 'rate_limited') {
    const seconds = e.retryAfterSeconds ?? 60
    return new TuGraphError(`Too many login failures, please try again in ${seconds} seconds`, '400', seconds)
  }
  if (e.kind === 'unauthenticated' || e.kind === 'invalid') return new TuGraphError('Bad user/password.')
  return new TuGraphError(e.message) // a disabled account; the default password from another computer
}

/** The paths TuGraph's clients use; each also with a trailing slash. */
const URLS = [`${TUGRAPH_PREFIX}/:method`, '/:method']

const methodName = (req: FastifyRequest): string => String((req.params as { method?: string }).method ?? '').toLowerCase()

/**
 * Registers TuGraph's methods (in a scope of their own: its error handler, its body parser, its
 * authentication hook). Unknown method names answer "Unsupported method" before anything is read.
 */
export function registerTuGraphRoutes(app: FastifyInstance, deps: TuGraphDeps): void {
  app.register(async (scope) => {
    scope.setErrorHandler(sendTuGraphError)
    // TuGraph reads bodies whatever their content type (curl -d sends a form type): take them as bytes
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES }, (_req, body, done) => done(null, body))
    const sessions = createTuGraphSessions(deps.auth, deps.store.settings)
    // a Map: a method named `constructor` or `__proto__` must find nothing
    const table = new Map<string, Method>(Object.entries(methods(deps, sessions)))
    const actors = new WeakMap<FastifyRequest, { actor: Actor; token: string }>()

    scope.addHook('onRequest', async (req) => {
      const method = table.get(methodName(req))
      if (!method) throw new TuGraphError('Unsupported method')
      limitRequestBody(req, method.bodyLimit ?? BODY_LIMITS.small) // one route serves every method: each has its own limit
      if (method.anonymous) return
      const token = tokenOf(req.headers.authorization)
      const actor = refusedOnThrow(req, () => sessions.actor(token)) // answered HTTP 200, yet a refusal (credential-refused.ts)
      if (!method.beforePasswordChange) assertPasswordChosen(actor)
      req.user = actor
      actors.set(req, { actor, token: token! })
    })

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const method = table.get(methodName(req))!
      const who = actors.get(req)
      let body: Body | undefined
      const ahead = method.raw ? undefined : await parseAhead(req.body, bodyOwner(req)) // a long body off the main thread (#9 §2)
      const data = await method.run({
        req,
        reply,
        actor: who?.actor as Actor,
        token: who?.token ?? '',
        body: () => (body ??= method.raw ? {} : jsonBody(req.body, ahead)),
      })
      // JSON built elsewhere (a Cypher result's, in its worker) is written as it is, a slice a turn
      if (data instanceof RawJson) return reply.type(JSON_TYPE).send(jsonStream(okEnvelope(data)))
      return okEnvelope(data)
    }
    for (const url of URLS) {
      for (const path of [url, `${url}/`]) scope.post(path, { bodyLimit: MAX_CHUNK_BYTES, schema: { hide: true } }, handler)
    }
  })
}
