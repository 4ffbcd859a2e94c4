// NebulaGraph Explorer's workflow API on JobDesk's port (reference/jobapis.md §B.2–B.3): connect,
// start a job of a workflow with `input`, list jobs (all, or one workflow's) with the JSON
// `filter` and Page/PageSize, a job's detail with its tasks, cancel, and a task's result sample.
// Jobs are graph workflow jobs (electron/graph/workflows); owner or admin throughout. Its own
// scope: Explorer's envelope (errors.ts), the explorer_token cookie (auth.ts), the form content
// type its cancel examples send.
import { randomBytes } from 'node:crypto'
import { BODY_LIMITS } from '../../body-limits'
import { badIdMessage, idValue } from '../../ids'
import { plainInteger } from '../../query'
import { registerLazyCookies } from '../../cookies'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Engine } from '../../../engine/engine'
import type { GraphWorkflowService } from '../../../services/graph-workflows.service'
import type { AuthService } from '../../../services/auth.service'
import type { Store } from '../../../store'
import { connect, identify } from './auth'
import { ExplorerError, badParam, sendExplorerError, success } from './errors'
import { jobStatusesOf, jobItem, sampleCell, taskHexId, taskItem } from './mappers'

export interface ExplorerDeps {
  auth: AuthService
  graphWorkflows: GraphWorkflowService
  store: Store
  engine: Engine
}

const V1 = '/api-open/v1'
const BODY_LIMIT = 1024 * 1024
const MAX_PAGE_SIZE = 1000
const MAX_SAMPLE = 10_000

type Query = Record<string, string | undefined>

/** A numeric id from the path (workflow_id, job_id). Throws ErrParam naming it. */
function idOf(raw: string | undefined, name: string): number {
  const n = idValue(raw)
  if (n === undefined) throw badParam(badIdMessage(raw, name))
  return n
}

/** A positive integer query parameter with a default and a cap. */
function positive(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = plainInteger(raw, { min: 1, max })
  if (n === undefined) throw badParam(`${name} must be a whole number from 1 to ${max}, not ${JSON.stringify(raw.slice(0, 40))}`)
  return n
}

interface ListFilter {
  name?: string
  statuses?: string[]
  from?: number
  to?: number
  order: 'asc' | 'desc'
}

/** Explorer's `filter`: URL-encoded JSON {name, status, fromCreateTime, toCreateTime, orderByCreateTime}. Throws ErrParam naming the key. */
export function parseFilter(raw: string | undefined): ListFilter {
  if (raw === undefined || raw.trim() === '') return { order: 'desc' }
  let f: unknown
  try {
    f = JSON.parse(raw)
  } catch {
    throw badParam('filter must be URL-encoded JSON, e.g. {"status":2,"orderByCreateTime":"asc"}')
  }
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw badParam('filter must be a JSON object')
  const o = f as Record<string, unknown>
  const out: ListFilter = { order: 'desc' }
  if (o.name !== undefined && o.name !== '') {
    if (typeof o.name !== 'string' || o.name.length > 300) throw badParam('filter.name must be text')
    out.name = o.name
  }
  if (o.status !== undefined && o.status !== null && o.status !== '') {
    const code = Number(o.status)
    if (!Number.isInteger(code) || code < 0 || code > 5) throw badParam('filter.status must be a status code from 0 to 5')
    out.statuses = jobStatusesOf(code)
  }
  for (const [key, field] of [['fromCreateTime', 'from'], ['toCreateTime', 'to']] as const) {
    const v = o[key]
    if (v === undefined || v === null || v === '') continue
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n < 0) throw badParam(`filter.${key} must be epoch milliseconds`)
    out[field] = n
  }
  if (o.orderByCreateTime !== undefined && o.orderByCreateTime !== '') {
    if (o.orderByCreateTime !== 'asc' && o.orderByCreateTime !== 'desc') throw badParam('filter.orderByCreateTime must be "asc" or "desc"')
    out.order = o.orderByCreateTime
  }
  return out
}

/**
 * TuGraph Explorer's graph workflow API under EXPLORER_PREFIX (/api-open/): workflows, their
 * versions, runs (jobs) and sample results, each answered in Explorer's envelope
 * (`{code: 0, message: 'Success', data}`; errors via sendExplorerError). Owner-or-admin through
 * the graph workflow service; throws nothing itself (route errors become the envelope).
 */
export function registerExplorerRoutes(app: FastifyInstance, deps: ExplorerDeps): void {
  const { store, graphWorkflows } = deps

  const list = (req: FastifyRequest, workflowId?: number) => {
    const q = req.query as Query
    const filter = parseFilter(q.filter)
    const page = positive(q.page, 'page', 1, 1_000_000)
    const pageSize = positive(q.pageSize, 'pageSize', 10, MAX_PAGE_SIZE)
    const actor = req.user!
    const { ids, total } = store.graphWorkflows.jobs({
      ...filter,
      workflowId,
      owner: actor.isAdmin ? undefined : actor.username,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    })
    // a job deleted between the two reads is left out
    const items = ids.flatMap((id) => {
      const job = deps.engine.job(id)
      return job ? [jobItem(job)] : []
    })
    return success({ items, total, Page: page, PageSize: pageSize })
  }

  app.register(async (scope) => {
    await registerLazyCookies(scope) // parsed only when a call sends a Cookie header (cookies.ts)
    scope.setErrorHandler(sendExplorerError)
    // the cancel examples send a form content type and no body: nothing in it is read
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, _body, done) => done(null, {}))
    scope.addHook('onSend', async (_req, reply) => {
      // W3C trace context, as Explorer answers (cosmetic)
      reply.header('traceparent', `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`)
    })
    const opts = { bodyLimit: BODY_LIMIT, schema: { hide: true } }
    const small = { bodyLimit: BODY_LIMITS.small, schema: { hide: true } } // connect, cancel: a few fields

    scope.post(`${V1}/connect`, small, (req, reply) => connect(deps.auth, req, reply))

    scope.register(async (authed) => {
      authed.addHook('onRequest', identify(deps.auth))

      authed.post(`${V1}/workflows/:workflow_id/jobs`, opts, async (req) => {
        const id = idOf((req.params as Query).workflow_id, 'workflow_id')
        const body = (req.body ?? {}) as Record<string, unknown>
        if (typeof body !== 'object' || Array.isArray(body)) throw badParam('the body must be {"input": {"<component id>": {"<param>": value}}}')
        const job = await graphWorkflows.run(id, req.user!, { input: body.input, labels: { dialect: 'explorer' } })
        return success({ id: job.id })
      })

      authed.get(`${V1}/jobs`, opts, async (req) => list(req))

      authed.get(`${V1}/workflows/:workflow_id/jobs`, opts, async (req) => {
        const id = idOf((req.params as Query).workflow_id, 'workflow_id')
        graphWorkflows.owned(id, req.user!)
        return list(req, id)
      })

      authed.get(`${V1}/jobs/:job_id`, opts, async (req) => {
        const job = graphWorkflows.ownJob(idOf((req.params as Query).job_id, 'job_id'), req.user!)
        const live = deps.engine.job(job.id) ?? job
        return success({ ...jobItem(live), tasks: store.jobs.tasks(job.id).map((t) => taskItem(live, t)) })
      })

      authed.put(`${V1}/jobs/:job_id/cancel`, small, async (req) => {
        const job = graphWorkflows.ownJob(idOf((req.params as Query).job_id, 'job_id'), req.user!)
        if (!deps.engine.isActive(job.id)) throw new ExplorerError('ErrBadRequest', `job ${job.id} has already ended; there is nothing to cancel`)
        deps.engine.cancel(job.id)
        return success({ success: true })
      })

      authed.get(`${V1}/jobs/:job_id/tasks/:task_id/sample_result`, opts, async (req) => {
        const p = req.params as Query
        const job = graphWorkflows.ownJob(idOf(p.job_id, 'job_id'), req.user!)
        const limit = positive((req.query as Query).limit, 'limit', 10, MAX_SAMPLE)
        const wanted = String(p.task_id ?? '')
        // the 32-hex id Explorer shows, or the component id (query_1) a script knows
        const task = store.jobs.tasks(job.id).find((t) => taskHexId(job, t.name) === wanted.toLowerCase() || t.name === wanted)
        if (!task) throw new ExplorerError('ErrNotFound', `job ${job.id} has no task ${JSON.stringify(wanted.slice(0, 64))}`)
        const set = store.results.list(job.id).find((r) => r.taskId === task.id)
        // one page of rows: a sample of wide rows stops at the page byte cap (MAX_PAGE_BYTES) before `limit` (#9 §2)
        const rows = set ? store.results.rows(set, 0, limit) : []
        const items = rows.map((r) => r.map((v, c) => sampleCell(set!.columns[c]?.type ?? '', v)))
        return success({ items })
      })
    })
  })
}
