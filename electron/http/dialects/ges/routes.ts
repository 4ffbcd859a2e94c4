// Huawei Cloud GES on JobDesk's port (reference/jobapis.md §C): the IAM-style token call, the
// management plane's job center (v2 snake_case, v1.0 camelCase) and import-graph, and the data
// plane's algorithm jobs (status with paged rows, list, DELETE cancel with GES.8303). Its own
// scope: GES's error bodies, a body parser that keeps the raw bytes (signatures cover them), and
// authentication by X-Auth-Token or an SDK-HMAC-SHA256 signature (auth.ts).
import { BODY_LIMITS } from '../../body-limits'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Engine } from '../../../engine/engine'
import type { AlgorithmService } from '../../../graph/algorithms/algorithm.service'
import { GES_IMPORT_FIELDS, startGesImport, type GesImportField, type GesImportRequest } from '../../../graph/ges/ges-import.service'
import type { GraphRights } from '../../../graph/graph-rights'
import type { GraphHost } from '../../../graph/worker/graph-host'
import type { AccessKeys } from '../../../services/access-keys'
import type { AuthService } from '../../../services/auth.service'
import type { Store } from '../../../store'
import { algorithmRequest, inGesTerms } from './algorithms'
import { checkSignature, identify, issueIamToken } from './auth'
import { badRequest, sendGesError } from './errors'
import { isAppError } from '../../../../shared/errors'
import { parseClientJson } from '../../json-body'
import { notJsonMessage } from '../../client-json'
import { INLINE_JSON_CHARS, parseClientJsonOffThread } from '../../../services/json-parser'
import { untilHangUp } from '../../hang-up'
import { bodyOwner } from '../../body-rate'
import { jsonStream, JSON_TYPE } from '../../json-stream'
import { createGesJobs, type GesAnswer } from './jobs'

export interface GesDeps {
  auth: AuthService
  accessKeys: AccessKeys
  store: Store
  engine: Engine
  algorithms: AlgorithmService
  graphs: GraphHost
  /** Who may change which graph (graph-rights.ts). */
  rights: GraphRights
  dataDir: string
  now?: () => number
}

/** Biggest request body: GES requests are small JSON documents. */
const BODY_LIMIT = 1024 * 1024

type Params = Record<string, string>
type Query = Record<string, string | undefined>

/** The request body as an object ({} when none); a long one is parsed in a worker thread (services/json-parser.ts, #9 §2). Throws badRequest naming what is wrong. */
async function jsonBody(req: FastifyRequest): Promise<Record<string, unknown>> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''
  if (raw.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = raw.length > INLINE_JSON_CHARS ? (await parseClientJsonOffThread(raw, 'body', { owner: bodyOwner(req) })).value : parseClientJson(raw, 'body')
  } catch (e) {
    // every dialect's words for a body that is not JSON (client-json.ts), in GES's envelope
    throw badRequest(isAppError(e) ? e.message : e instanceof SyntaxError ? notJsonMessage('body', e) : 'body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('the request body must be a JSON object')
  return parsed as Record<string, unknown>
}

/**
 * Sends a job view built by `build`, which is given a signal that aborts when the client hangs up (a
 * view built in a worker then ends it: untilHangUp). JSON text a worker built is sent as it is.
 */
async function sendView(reply: FastifyReply, build: (signal: AbortSignal) => Promise<GesAnswer>): Promise<FastifyReply> {
  const view = await untilHangUp(reply, build)
  return typeof view === 'string' ? reply.type(JSON_TYPE).send(view) : reply.send(view)
}

/** A GES graph id: the graph's name (JobDesk graphs have no separate UUID). */
const graphOf = (p: Params): string => p.graph_id ?? p.graph_name

export function registerGesRoutes(app: FastifyInstance, deps: GesDeps): void {
  const jobs = createGesJobs({ store: deps.store, engine: deps.engine })
  const importGraph = async (req: FastifyRequest, reply: FastifyReply, v1: boolean) => {
    const b = await jsonBody(req)
    const names = GES_IMPORT_FIELDS[v1 ? 'v1' : 'v2'] // one table: the body read by it, errors named by it
    const pick = (field: GesImportField) => b[names[field]] as string | undefined
    const request: GesImportRequest = {
      graph: graphOf(req.params as Params),
      schemaPath: pick('schemaPath'),
      vertexsetPath: pick('vertexsetPath'),
      edgesetPath: pick('edgesetPath'),
      vertexsetFormat: pick('vertexsetFormat'),
      edgesetFormat: pick('edgesetFormat'),
      delimiter: b.delimiter as string | undefined,
      names,
    }
    const job = await startGesImport({ dataDir: deps.dataDir, engine: deps.engine, host: deps.graphs, rights: deps.rights }, request, req.user!)
    return reply.send(v1 ? { errorMessage: null, errorCode: null, jobId: job.uuid } : { job_id: job.uuid })
  }

  app.register(async (scope) => {
    scope.setErrorHandler(sendGesError)
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body))

    scope.post('/v3/auth/tokens', { bodyLimit: BODY_LIMITS.small, schema: { hide: true } }, (req, reply) => issueIamToken(deps, req, reply))

    scope.register(async (signed) => {
      signed.addHook('onRequest', identify(deps))
      signed.addHook('preValidation', checkSignature(deps))
      const opts = { bodyLimit: BODY_LIMIT, schema: { hide: true } }
      // management plane: the job center
      signed.get('/v2/:project_id/graphs/jobs', opts, async (req, reply) => sendView(reply, (signal) => jobs.list(req.query as Query, req.user!, false, signal)))
      signed.get('/v1.0/:project_id/graphs/jobs', opts, async (req, reply) => sendView(reply, (signal) => jobs.list(req.query as Query, req.user!, true, signal)))
      signed.get('/v2/:project_id/graphs/:graph_id/jobs/:job_id/status', opts, async (req, reply) => sendView(reply, (signal) => jobs.status((req.params as Params).job_id, req.user!, false, signal)))
      signed.get('/v1.0/:project_id/graphs/:graph_id/jobs/:job_id/status', opts, async (req, reply) => sendView(reply, (signal) => jobs.status((req.params as Params).job_id, req.user!, true, signal)))
      // management plane: import-graph
      signed.post('/v2/:project_id/graphs/:graph_id/import-graph', opts, (req, reply) => importGraph(req, reply, false))
      signed.post('/v1.0/:project_id/graphs/:graph_id/action', opts, async (req, reply) => {
        const action = (req.query as Query).action_id
        if (action !== 'import-graph') throw badRequest(`action_id ${JSON.stringify(String(action ?? '').slice(0, 40))} is not supported; JobDesk runs import-graph`)
        return importGraph(req, reply, true)
      })
      // data plane: algorithms and their jobs
      signed.post('/ges/v1.0/:project_id/graphs/:graph_name/action', opts, async (req) => {
        const action = (req.query as Query).action_id
        if (action !== 'execute-algorithm') throw badRequest(`action_id ${JSON.stringify(String(action ?? '').slice(0, 40))} is not supported; JobDesk runs execute-algorithm`)
        const body = await jsonBody(req)
        const job = await deps.algorithms.start(algorithmRequest((req.params as Params).graph_name, body), req.user!, { labels: { dialect: 'ges' } }).catch((e: unknown) => {
          throw inGesTerms(e, body)
        })
        return { errorMessage: null, errorCode: null, jobId: job.uuid, jobType: 1 }
      })
      signed.get('/ges/v1.0/:project_id/graphs/:graph_name/jobs/status', opts, async (req, reply) => sendView(reply, (signal) => jobs.dataList((req.params as Params).graph_name, req.query as Query, req.user!, signal)))
      signed.get('/ges/v1.0/:project_id/graphs/:graph_name/jobs/:job_id/status', opts, async (req, reply) => {
        const p = req.params as Params
        // an algorithm's rows are written as they are read, a step a turn (jobs.ts rowPage)
        return reply.type(JSON_TYPE).send(jsonStream(jobs.dataStatus(p.graph_name, p.job_id, req.query as Query, req.user!)))
      })
      signed.delete('/ges/v1.0/:project_id/graphs/:graph_name/jobs/:job_id', opts, async (req) => {
        const p = req.params as Params
        return jobs.cancel(p.graph_name, p.job_id, req.user!)
      })
    })
  })
}
