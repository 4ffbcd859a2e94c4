// The Rill Flow REST surface (rillflow.md §4) on JobDesk's port: descriptors, executions, callbacks.
// Parameters come in the query string (or a form body); JSON bodies carry contexts and results.

import { BODY_LIMITS } from '../../body-limits'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { assertMayReach, listOwner, type Owned } from '../../../services/access'
import { isTerminalJob } from '../../../../shared/status'
import type { JobRecord } from '../../../store/job.repository'
import type { JobView } from '../../../store/finished-views'
import { RawJson } from '../../../store/raw-json'
import { jsonStream, JSON_TYPE } from '../../json-stream'
import { answerView, sendView, STREAMED_CONTEXT_BYTES } from './answers'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { AuthService } from '../../../services/auth.service'
import type { CallbackSigner } from '../../../workflows/rillflow/callbacks'
import type { TaskScope, WorkflowService } from '../../../workflows/rillflow/service'
import { executionNotFound } from '../../../workflows/rillflow/runtime/names'
import { sendRillError } from './errors'
import { executionView, groupView, streamsGroups, UNKNOWN_EXECUTION_VIEW, visibleContext } from './mappers'
import { registerRillQueries } from './queries'
import { DESCRIPTOR_PREFIX, registerDescriptorRoutes } from './descriptors'
import { bodyText, formFields, groupIndex, hiddenFrom, param, params, parseJsonParam, readJsonBody } from './request'
import { bodyOwner } from '../../body-rate'
import { untilHangUp } from '../../hang-up'
import type { Store } from '../../../store'
import { parseDescriptorForStorage } from '../../../services/descriptor-parser'
import { registerConsoleUserRoutes } from './bg/user'
import { registerConsoleDescriptorRoutes } from './bg/descriptors'
import { registerConsoleExecutionRoutes } from './bg/executions'
import { registerTemplateRoutes } from './template/templates'
import { authorizeRill, rillCaller, type RillRouteConfig } from './session'
import { registerLazyCookies } from '../../cookies'
import { onRequestPerRoute } from '../../route-hooks'
import { CHANGES_STATE } from '../../security'

/** The routes that take a descriptor, a context or a task's output (body-limits.ts); the rest take BODY_LIMITS.small. */
const CONTENT = { bodyLimit: BODY_LIMITS.content }

export interface RillRouteDeps {
  workflows: WorkflowService
  store: Store
  auth: AuthService
  signer: CallbackSigner
  /** Require a bearer token even from loopback (a setting; always so with more than one user). */
  requireToken: boolean
}

export function registerRillFlowRoutes(app: FastifyInstance, deps: RillRouteDeps): void {
  app.register(async (scope) => {
    scope.setErrorHandler((err, req, reply) => sendRillError(err, req, reply))
    await registerLazyCookies(scope) // the console's session cookie, read by authorizeRill when no header came
    rawBodies(scope)
    // synchronous hooks (a throw is the refusal): no promise per request (#14.2). authorizeRill goes
    // on each route (but the login) as it is registered, bound to the route's access, so a request
    // pays no routeOptions lookup for it.
    onRequestPerRoute(scope, (route) => {
      const config = route.config as RillRouteConfig | undefined
      const access = config?.access
      if (access === 'login') return undefined
      const beforePasswordChange = config?.beforePasswordChange === true
      return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
        authorizeRill(req, deps, access, beforePasswordChange)
        done()
      }
    })
    scope.addHook('preHandler', (req, _reply, done) => {
      guardExecution(req, deps)
      done()
    })

    scope.post(`${DESCRIPTOR_PREFIX}/add_descriptor.json`, CONTENT, async (req, reply) => {
      const q = params(req)
      const text = typeof req.body === 'string' ? req.body : ''
      const caller = rillCaller(req)
      const parsed = text.trim() ? await untilHangUp(reply, (signal) => parseDescriptorForStorage(text, { owner: caller.username, signal })) : undefined // a long one off the main thread (#9 §2), on the caller's fair share
      const { descriptorId } = deps.workflows.addDescriptor({ workspace: q.business_id, dagName: q.feature_name, alias: q.alias, text, caller, parsed })
      return { ret: true, descriptor_id: descriptorId }
    })
    for (const prefix of ['/flow', '/2/flow']) {
      scope.post(`${prefix}/submit.json`, CONTENT, async (req) => {
        const q = params(req)
        // a long body is parsed in a worker thread, and comes back twice: the job's input and, apart, its context (#9 §2)
        const { value: context, copy: contextCopy, shape: contextShape } = await readJsonBody(req, { copy: true })
        // the body's text is stored as the input as sent, not serialized again (#9 §2)
        const contextText = context !== undefined && typeof req.body === 'string' ? req.body : undefined
        if (contextText !== undefined && contextText.length > STREAMED_CONTEXT_BYTES) await nextTurn() // reading back and storing 4 MB: two turns, not one
        const { executionId } = deps.workflows.submit({ descriptorId: q.descriptor_id, context, contextCopy, contextText, contextShape, caller: rillCaller(req), callback: q.callback })
        return { execution_id: executionId }
      })
    }
    scope.post('/flow/finish.json', CONTENT, async (req) => {
      const q = params(req)
      // a long body's long members serialized by the worker that parsed it, for the saves inside the write lock (#9 §2)
      deps.workflows.finish(q.execution_id, q.task_name, (await readJsonBody(req, { memberTexts: true })).value ?? {}, signedAt(req, deps))
      return { result: 'ok' }
    })
    scope.route({
      method: ['GET', 'POST'],
      url: '/flow/trigger.json',
      ...CONTENT,
      ...CHANGES_STATE, // a GET finishes a task: an <img> of another page on this site would, with the console's cookie
      handler: async (req) => {
        const q = params(req)
        const sent = (await readJsonBody(req, { memberTexts: true })).value
        const context = typeof q.context === 'string' ? await parseJsonParam(q.context, 'context', bodyOwner(req)) : undefined
        // one of them as it is: a copy of a map of 240,000 keys holds the main thread too
        const body = sent && context ? { ...sent, ...context } : (sent ?? context ?? {})
        deps.workflows.trigger(q.execution_id, q.task_name, q.status, body, signedAt(req, deps))
        return { result: 'ok' }
      },
    })
    scope.post('/flow/wakeup.json', CONTENT, async (req) => {
      const q = params(req)
      deps.workflows.wakeup(q.execution_id, q.task_name, (await readJsonBody(req, { memberTexts: true })).value ?? {})
      return { result: 'ok' }
    })
    // synchronous: the answer is sent here, no promise per poll (#14.2)
    scope.get('/flow/get.json', (req, reply) => {
      const q = params(req)
      const brief = q.brief === 'true'
      // a finished execution's answer is kept, serialized, until its job is written again (#14.2)
      const view = finishedView(deps.store, `rill.get${brief ? '.brief' : ''}:${q.execution_id}`, q.execution_id, () => {
        // only top-level tasks are shown (and make `process`); the context is answered as stored (#9 §2)
        const ex = findExecution(deps.workflows, q.execution_id, 'top', 'text', req.user?.username)
        // a wide foreach's group statuses are written a page a turn (mappers.ts streamsGroups): streamed too
        const streamed = !brief && ex && (ex.tasks.some((t) => t.input instanceof RawJson || t.output instanceof RawJson) || streamsGroups(ex.tasks))
        return ex && answerView(ownersOf(ex.job), { ret: executionView(ex, brief, true) }, ex.storedContext, streamed)
      })
      if (!view || hiddenFrom(req, view.job)) reply.send({ ret: UNKNOWN_EXECUTION_VIEW })
      else sendView(reply, view)
    })
    scope.get('/flow/get_context.json', async (req, reply) => {
      const q = params(req)
      if (!q.execution_id) return { code: -1, msg: 'executionId is empty!' }
      const ex = deps.workflows.execution(q.execution_id, 'none', 'text', req.user?.username)
      if (ex.storedContext === undefined) return { ret: visibleContext(ex.job.context) }
      return sendView(reply, answerView(ownersOf(ex.job), { ret: ex.storedContext ?? {} }, ex.storedContext))
    })
    scope.get('/flow/get_sub_context.json', async (req) => {
      const q = params(req)
      if (!q.execution_id || !q.parent || q.group_index === undefined) return { code: -1, msg: 'executionId or parent is empty or missing group_index!' }
      const ex = deps.workflows.execution(q.execution_id, 'none')
      if (hiddenFrom(req, ex.job)) throw executionNotFound(q.execution_id)
      return { ret: ex.groups.subContext(String(q.parent), groupIndex(q.group_index)) ?? {} }
    })
    scope.get('/flow/get_by_parent.json', async (req, reply) => {
      const q = params(req)
      const found = findExecution(deps.workflows, q.execution_id, 'none')
      const ex = found && !hiddenFrom(req, found.job) ? found : undefined
      const parent = String(q.parent ?? '')
      const group = ex ? groupIndex(q.group_index) : 0
      // the group's large task inputs and outputs as stored JSON, streamed (#9 §2); a running execution's read whole now
      const members = ex ? deps.store.jobs.someTasks(ex.job.id, { prefix: `${parent}_${group}-` }, isTerminalJob(ex.job.status) ? 'stored-settled' : 'stored') : []
      const tasks = ex ? groupView({ ...ex, tasks: members }, parent, group) : {}
      const answer = { ret: { tasks: Object.keys(tasks).length ? tasks : '{}' } }
      const raw = members.some((t) => t.input instanceof RawJson || t.output instanceof RawJson)
      return raw ? reply.type(JSON_TYPE).send(jsonStream(answer)) : answer
    })
    scope.get('/flow/service_check.json', async () => ({ ret: 'ok' }))
    registerRillQueries(scope, deps.workflows, ownerOf)
    registerDescriptorRoutes(scope, deps.workflows)
    // rill-flow-ui and its flow-graph micro app (BgController, TaskTemplateController)
    registerConsoleUserRoutes(scope, deps.auth)
    registerConsoleDescriptorRoutes(scope, deps.workflows)
    registerConsoleExecutionRoutes(scope, deps.store, deps.workflows)
    registerTemplateRoutes(scope)
  })
}

/**
 * Owner-or-admin (services/access.ts) on every route that names an execution, for a caller who came
 * with a bearer token. A credential-less call from loopback is the desktop user, as in DESIGN.md's
 * trust model, and a signed callback carries its own proof for its one task; users are kept apart on
 * these routes by the require-token setting. An unknown id is left to the handler's own answer, and
 * another user's gets the same (#9 §3): Rill Flow's engine error here, or, on the routes that answer
 * an unknown id without an error, the handler's own, which checks the owner itself (hiddenFrom).
 */
function guardExecution(req: FastifyRequest, deps: Pick<RillRouteDeps, 'workflows' | 'store'>): void {
  if (!req.user) return
  const query = req.url.indexOf('?')
  if (ANSWER_UNKNOWN.has(query < 0 ? req.url : req.url.slice(0, query))) return
  const id = param(req, 'execution_id')
  if (!id) return
  // the job is enough: who may reach it (a finished one's owners are kept, finished-views.ts)
  const view = finishedView(deps.store, `rill.owners:${id}`, id, () => {
    const ex = findExecution(deps.workflows, id, 'none', 'none') // its state is not needed: not read
    return ex && { job: ownersOf(ex.job) }
  })
  if (view) assertMayReach(req.user, view.job, () => executionNotFound(id))
}

/** Routes whose answer to an unknown execution is no error (an empty view, code -1, a check of other parameters first). */
const ANSWER_UNKNOWN = new Set(['/flow/get.json', '/flow/get_by_parent.json', '/flow/get_sub_context.json', '/flow/complete_dag.json'])

/** What owner-or-admin needs of a job, copied (the engine may still hold and change the record). */
const ownersOf = (job: JobRecord): Owned & JobView['job'] => ({ id: job.id, status: job.status, submitter: job.submitter, labels: { ...job.labels } })

/** store.finishedViews' view of an execution named by `executionId`; built every time when the id is no string. */
function finishedView<V extends JobView>(store: Store, key: string, executionId: unknown, build: () => V | undefined): V | undefined {
  return typeof executionId === 'string' ? store.finishedViews.get(key, build) : build()
}

/** The owner whose executions a listing shows: the caller's own for a non-admin with a token. */
const ownerOf = (req: FastifyRequest): string | undefined => (req.user ? listOwner(req.user) : undefined)

/** An execution, or undefined when the id names none (get.json answers those with an empty view). */
function findExecution(workflows: WorkflowService, id: unknown, scope: TaskScope, context: 'parsed' | 'text' | 'none' = 'parsed', reader?: string) {
  try {
    return workflows.execution(id, scope, context, reader)
  } catch (e) {
    if ((e as { code?: string }).code === 'execution_not_found') return undefined
    throw e
  }
}

/** Bodies stay text here: a descriptor is YAML, and its md5 is taken over the exact bytes. */
function rawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    try {
      ;(req as FastifyRequest & { form?: Record<string, string> }).form = formFields(String(body))
    } catch (e) {
      return done(e as Error, undefined)
    }
    done(null, undefined)
  })
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => done(null, bodyText(req, body as Buffer)))
}

/** When the callback URL a request came by was issued (its signed `ts`), if it is one JobDesk signed. */
function signedAt(req: FastifyRequest, deps: RillRouteDeps): number | undefined {
  const q = params(req)
  if (typeof q.execution_id !== 'string' || typeof q.task_name !== 'string') return undefined
  return deps.signer.verify(q.execution_id, q.task_name, q.ts, q.sign) ? Number(q.ts) : undefined
}
