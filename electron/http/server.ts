import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { API_DOCS_PATH } from '../../shared/api'
import type { Engine } from '../engine/engine'
import type { AuthService } from '../services/auth.service'
import type { Handlers } from '../services/operations'
import { noteActivity } from '../stall-watch'
import { registerLoginRoutes } from './native/auth'
import { onRequestPerRoute } from './route-hooks'
import { retryLockedWrites } from './busy-retry'
import { registerEventsRoute } from './native/events'
import type { EventStreamLimits } from './native/event-stream'
import { registerOperationRoutes } from './native/routes'
import { streamedOperations } from './native/streamed'
import { hostChecker, registerSecurity, type SecurityOptions } from './security'
import { securedResponses, securityHeaders } from './security-headers'
import { registerValidators } from './validation'
import { registerErrorEnvelopes, sendFrameworkError } from './envelopes'
import { answerClientError, refuseExpectation } from './client-errors'
import { registerBodyRate } from './body-rate'
import { gateConnections, httpServerOptions, type ConnectionLimits } from './connection-limits'
import { boundPipelining } from './pipelining'
import { recogniseOwnCalls } from '../executors/own-calls'
import { registerJsonParser } from './json-body'
import { registerBodyLimits } from './body-limits'
import { registerQueryChecks } from './query'
import { registerRillFlowRoutes } from './dialects/rillflow/routes'
import { registerLinkisRoutes } from './dialects/linkis/routes'
import { registerTuGraphRoutes } from './dialects/tugraph/routes'
import { registerGesRoutes } from './dialects/ges/routes'
import { registerExplorerRoutes } from './dialects/explorer/routes'
import type { AlgorithmService } from '../graph/algorithms/algorithm.service'
import type { GraphHost } from '../graph/worker/graph-host'
import type { AccessKeys } from '../services/access-keys'
import type { GraphService } from '../graph/graph.service'
import type { GraphWorkflowService } from '../services/graph-workflows.service'
import type { JobsService } from '../services/jobs.service'
import type { CallbackSigner } from '../workflows/rillflow/callbacks'
import type { WorkflowService } from '../workflows/rillflow/service'
import type { Store } from '../store'
import type { Server } from 'node:http'
import { holdUntilReady } from './starting'

export interface ServerOptions {
  auth: AuthService
  handlers: Handlers
  engine: Engine
  workflows: WorkflowService
  jobs: JobsService
  signer: CallbackSigner
  store: Store
  /** Graphs, schemas and imports (the TuGraph dialect). */
  graph: GraphService
  /** The data folder (uploaded files live under it). */
  dataDir: string
  /** Algorithm jobs, GES's access keys and the graph workers (the GES dialect). */
  algorithms: AlgorithmService
  accessKeys: AccessKeys
  /** Graph workflows (the Explorer dialect). */
  graphWorkflows: GraphWorkflowService
  graphHost: GraphHost
  version: string
  security?: SecurityOptions
  /** The built renderer (out/renderer), served at / when running headless. */
  staticDir?: string
  logger?: boolean
  bodyLimit?: number
  /** Rill Flow clients send no credential; this makes its routes want a bearer token even from loopback. */
  rillflowRequiresToken?: boolean
  /** How often an open event stream checks its session (native/events.ts; 15 s unless a test sets it). */
  eventSessionCheckMs?: number
  /** How many event streams each user and all users may hold open (native/event-stream.ts EVENT_STREAM_LIMITS unless set). */
  eventStreams?: EventStreamLimits
  /** How many connections are held and how long a request may take to arrive (connection-limits.ts's defaults unless set). */
  connections?: ConnectionLimits
  /**
   * Starts the server listening (app.ts: `server.listen` with its host, port and backlog), called once
   * its connection guards are on and before its plugins and routes are made (seconds at a restart on
   * a loaded machine, #9): meanwhile each request is answered 503 `starting` (starting.ts), and the
   * routes take over once buildServer resolves. Its rejection (the port in use) rejects buildServer.
   * Without it the caller listens once buildServer resolves.
   */
  listen?: (server: Server) => Promise<void>
}

/** A built asset's path: one file name under /assets/, of the characters a build gives them, not starting with a dot. */
const ASSET_PATH = /^\/assets\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const headers = await securityHeaders()
  const app: FastifyInstance = Fastify({
    logger: o.logger ?? false,
    bodyLimit: o.bodyLimit ?? 16 * 1024 * 1024,
    // every answer to a request, whoever writes it, carries the security headers; the parser's refusals too
    http: { ...httpServerOptions(o.connections), ServerResponse: securedResponses(headers) },
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: (err, socket) => answerClientError(err, socket, app.log, headers),
  })
  const hostCheck = hostChecker(o.security ?? {}) // one for the starting gate and the routes: it remembers the loopback Host
  const starting = holdUntilReady(app, hostCheck) // before pipelining.ts takes the request listener: it holds fastify's handler until the routes are made
  boundPipelining(app.server, o.connections?.pipelinedAhead) // first: it holds back fastify's handler for requests pipelined past the bound
  app.server.on('checkExpectation', (req, res) => refuseExpectation(req, res, app.log)) // else node answers it bare
  gateConnections(app, o.connections) // before every route: its hooks see each request's answer
  recogniseOwnCalls(app.server) // JobDesk's own calls are never this computer (services/client-address.ts requestClient)
  registerBodyRate(app, o.connections) // first: it times bodies of requests any later hook refuses too
  // Each route says it is starting, for the main thread's stall reports (stall-watch.ts).
  onRequestPerRoute(app, (route) => {
    const label = `${[route.method].flat().join('|')} ${route.url}`
    return (_req, _reply, done) => {
      noteActivity(label)
      done()
    }
  })
  // every route's handler, dialects included: writes refused by another program's lock are tried again
  retryLockedWrites(app, o.store.db)
  // the connection-level guards above are on: the port may take connections while the rest is made
  if (o.listen) await o.listen(app.server)
  registerValidators(app)
  registerBodyLimits(app)
  registerJsonParser(app)
  registerErrorEnvelopes(app)
  registerSecurity(app, o.security ?? {}, hostCheck)
  registerQueryChecks(app)

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'JobDesk API', version: o.version, description: 'JobDesk’s native REST API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/swagger-ui' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  // Rill Flow users look for the Swagger UI at /swagger-ui.html.
  app.get(API_DOCS_PATH, { schema: { hide: true } }, async (_req, reply) => reply.redirect('/swagger-ui/'))

  registerLoginRoutes(app, o.auth)
  registerOperationRoutes(app, o.auth, o.handlers, streamedOperations(o.jobs))
  registerEventsRoute(app, o.auth, o.engine, o.store.users, { sessionCheckMs: o.eventSessionCheckMs, ...o.eventStreams })
  registerLinkisRoutes(app, { auth: o.auth, jobs: o.jobs, engine: o.engine, store: o.store })
  registerRillFlowRoutes(app, { workflows: o.workflows, store: o.store, auth: o.auth, signer: o.signer, requireToken: o.rillflowRequiresToken ?? false })
  registerTuGraphRoutes(app, { auth: o.auth, graph: o.graph, store: o.store, dataDir: o.dataDir })
  registerExplorerRoutes(app, { auth: o.auth, graphWorkflows: o.graphWorkflows, store: o.store, engine: o.engine })
  registerGesRoutes(app, { auth: o.auth, accessKeys: o.accessKeys, store: o.store, engine: o.engine, algorithms: o.algorithms, graphs: o.graphHost, rights: o.graph.rights, dataDir: o.dataDir })

  if (o.staticDir && existsSync(o.staticDir)) {
    // The page's files are routed as they are now, but its hashed scripts and styles are looked up at
    // each request: a rebuild while serve runs replaces them with new names, and routes made at start
    // would leave the new page blank until a restart.
    await app.register(fastifyStatic, { root: o.staticDir, prefix: '/', decorateReply: false, wildcard: false, globIgnore: ['assets/**'] })
    const assets = join(o.staticDir, 'assets')
    // Only a flat file name that does not start with a dot, as a build writes them, is looked up: else
    // a dotfile left there was served, and a raw `..` got send's 403 (as 400 bad_body); such paths
    // answer 404 (atk9b). In a scope of its own, so the check runs for these routes only.
    if (existsSync(assets)) {
      await app.register(async (scope) => {
        scope.addHook('onRequest', async (req, reply) => {
          if (!ASSET_PATH.test(req.url.split('?')[0]!)) return reply.callNotFound()
        })
        await scope.register(fastifyStatic, { root: assets, prefix: '/assets/', decorateReply: false, wildcard: true, dotfiles: 'ignore' })
      })
    }
  }
  await app.ready()
  starting.open()
  return app
}
