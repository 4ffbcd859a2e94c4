// jobhistory: {taskID}/get, list, listundone, listundonetasks (QueryRestfulApi; jobapis.md §A.8).
// A blank filter is no filter (StringUtils.isBlank upstream), as the management console sends them.

import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { mayReach } from '../../../services/access'
import type { HistoryQuery } from '../../../store/job.repository'
import { RawJson } from '../../../store/raw-json'
import { untilHangUp } from '../../hang-up'
import { viewWorkers } from '../../view-workers'
import { LinkisError, ok, okRaw } from './envelope'
import { historyPage, type HistoryView } from './history-page'
import { jobStatusesOf, LINKIS_STATES, queryTaskVO, UNFINISHED_STATES } from './mappers'
import { EPOCH_MS, LinkisParams } from './params'
import type { LinkisContext } from './routes'

const H = '/api/rest_j/v1/jobhistory'
const MAX_PAGE_SIZE = 500
/** Where linkis-history-worker.ts is, for startWorker run from source. */
const HERE = dirname(fileURLToPath(import.meta.url))
const NOT_FOUND = 'The corresponding job was not found, or there may be no permission to view the job(没有找到对应的job，也可能是没有查看该job的权限)'

export function registerJobHistoryRoutes(scope: FastifyInstance, c: LinkisContext): void {
  const workers = viewWorkers(c.store.db)
  /** A view built in a worker thread (linkis-history-worker.ts) for `owner`, which ends if the client hangs up first. */
  const inWorker = (reply: FastifyReply, view: HistoryView, owner: string): Promise<string | undefined> =>
    untilHangUp(reply, (signal) => workers.build('linkis-history-worker', HERE, view, { owner, signal }))
  /** A history page (history-page.ts): built here when its stored values are small, else in a worker thread. */
  const sendPage = async (reply: FastifyReply, method: string, query: HistoryQuery): Promise<FastifyReply> => {
    if (workers.inline(c.store.jobs.historyBytes(query))) return ok(reply, method, 'OK', historyPage(c.store.jobs, query))
    const text = await inWorker(reply, { page: query }, c.actor(reply.request).user.username)
    return okRaw(reply, method, 'OK', new RawJson(text ?? '{"tasks":[],"totalPage":0}'))
  }
  scope.get(`${H}/:taskID/get`, async (req, reply) => {
    const actor = c.actor(req)
    const id = new LinkisParams(req.params).id('taskID') ?? 0
    const brief = new LinkisParams(req.query).bool('brief', false)
    const head = c.store.jobs.head(id) // who may see it, without reading its code or an old job's megabytes of labels
    if (!head || !mayReach(actor.user, head)) throw new LinkisError(NOT_FOUND)
    const method = `/api/jobhistory/${id}/get`
    if (!workers.inline(c.store.jobs.historyBytes({ ids: [id], offset: 0, limit: 1 }))) {
      const text = await inWorker(reply, { task: id, brief }, actor.user.username)
      if (text === undefined) throw new LinkisError(NOT_FOUND)
      return okRaw(reply, method, 'OK', new RawJson(text))
    }
    // a running job's live record, else as history shows it: labels as lists read them (a job stored before their bounds)
    const job = c.engine.isActive(id) ? c.engine.job(id) : c.store.jobs.historyJob(id)
    if (!job) throw new LinkisError(NOT_FOUND)
    return ok(reply, method, 'OK', { task: queryTaskVO(job, c.store.jobs.waitsForRetry, brief) })
  })

  for (const [path, undone] of [['list', false], ['listundone', true]] as const) {
    scope.get(`${H}/${path}`, async (req, reply) => {
      const actor = c.actor(req)
      const q = new LinkisParams(req.query)
      const pageNow = q.int('pageNow', { min: 1, max: 1_000_000 }, 1)
      const pageSize = q.int('pageSize', { min: 1, max: MAX_PAGE_SIZE }, 20)
      const asked = q.list('status', (s) => {
        if (!(LINKIS_STATES as readonly string[]).includes(s)) throw new Error(`holds ${JSON.stringify(s)}; use ${LINKIS_STATES.join(', ')}`)
      })
      const states = undone ? UNFINISHED_STATES : asked
      const admin = actor.user.isAdmin && q.bool('isAdminView', false)
      q.bool('isDeptView', false) // departments are not a JobDesk notion; the value is still checked
      q.str('instance', 200)
      q.str('engineInstance', 200)
      const taskID = q.id('taskID')
      // ?proxyUser= names whose jobs to list: any user for an admin, else only a name the caller acts as
      const proxyUser = filter(q, 'proxyUser')
      if (proxyUser && !actor.user.isAdmin && !mayReach(actor.user, { submitter: proxyUser, labels: {} })) {
        throw new LinkisError(`${actor.executeUser} has no permission to view the jobs of ${proxyUser}(没有权限查看该用户的任务)`)
      }
      const query: HistoryQuery = {
        ids: taskID === undefined ? undefined : [taskID],
        statuses: states ? jobStatusesOf(states) : undefined,
        from: q.int('startDate', EPOCH_MS),
        to: q.int('endDate', EPOCH_MS),
        user: admin ? proxyUser : (proxyUser ?? actor.executeUser),
        engine: filter(q, 'executeApplicationName') ?? filter(q, 'engineType'),
        creator: filter(q, 'creator'),
        runType: filter(q, 'runType'),
        minId: q.id('startTaskID', 0),
        offset: (pageNow - 1) * pageSize,
        limit: pageSize,
      }
      return sendPage(reply, `/api/jobhistory/${path}`, query)
    })
  }

  /**
   * The console's running-jobs badge (the footer asks for `status=Running,Inited,Scheduled`, 100 rows):
   * the caller's own unfinished jobs, submitted in [startDate, endDate] (default: the day before now),
   * in the given states (default Running, Inited, Scheduled), optionally of one creator and engine.
   */
  scope.get(`${H}/listundonetasks`, async (req, reply) => {
    const actor = c.actor(req)
    const q = new LinkisParams(req.query)
    const pageNow = q.int('pageNow', { min: 1, max: 1_000_000 }, 1)
    const pageSize = q.int('pageSize', { min: 1, max: MAX_PAGE_SIZE }, 20)
    const states = q.list('status', (s) => {
      if (!(UNFINISHED_STATES as readonly string[]).includes(s)) throw new Error(`holds ${JSON.stringify(s)}; use ${UNFINISHED_STATES.join(', ')}`)
    })
    const to = q.int('endDate', EPOCH_MS) ?? Date.now()
    const from = q.int('startDate', EPOCH_MS) || to - DAY_MS
    return sendPage(reply, '/api/jobhistory/listundonetasks', {
      statuses: jobStatusesOf(states?.length ? states : ['Running', 'Inited', 'Scheduled']),
      from,
      to: from === to ? to + DAY_MS : to, // as upstream: one instant means that day
      user: actor.executeUser,
      engine: filter(q, 'engineType'),
      creator: filter(q, 'creator'),
      minId: q.id('startTaskID', 0),
      offset: (pageNow - 1) * pageSize,
      limit: pageSize,
    })
  })
}

const DAY_MS = 24 * 3600 * 1000

/** A filter parameter: blank (empty or spaces) is none, as upstream's StringUtils.isBlank checks. */
const filter = (q: LinkisParams, name: string): string | undefined => q.str(name, 200)?.trim() || undefined
