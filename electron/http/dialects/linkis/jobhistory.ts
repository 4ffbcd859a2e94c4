// jobhistory: {taskID}/get, list, listundone (QueryRestfulApi; jobapis.md §A.8).

import type { FastifyInstance } from 'fastify'
import { mayReach } from '../../../services/access'
import type { HistoryQuery } from '../../../store/job.repository'
import { JAVA_INT, JAVA_LONG, queryInteger } from '../../query'
import { LinkisError, ok } from './envelope'
import { jobStatusesOf, queryTaskVO, UNFINISHED_STATES } from './mappers'
import type { LinkisContext } from './routes'

const H = '/api/rest_j/v1/jobhistory'
const NOT_FOUND = 'The corresponding job was not found, or there may be no permission to view the job(没有找到对应的job，也可能是没有查看该job的权限)'

export function registerJobHistoryRoutes(scope: FastifyInstance, c: LinkisContext): void {
  scope.get(`${H}/:taskID/get`, async (req, reply) => {
    const actor = c.actor(req)
    const id = Number((req.params as { taskID: string }).taskID)
    const job = Number.isInteger(id) ? c.engine.job(id) : undefined
    if (!job || !mayReach(actor.user, job)) throw new LinkisError(NOT_FOUND)
    const brief = (req.query as { brief?: string }).brief === 'true'
    return ok(reply, `/api/jobhistory/${id}/get`, 'OK', { task: queryTaskVO(job, c.store.jobs.tasks(job.id), brief) })
  })

  for (const [path, undone] of [['list', false], ['listundone', true]] as const) {
    scope.get(`${H}/${path}`, async (req, reply) => {
      const actor = c.actor(req)
      const q = req.query as Record<string, string | undefined>
      const pageNow = Math.max(1, queryInteger(q.pageNow, 'pageNow', JAVA_INT, 1))
      const pageSize = Math.min(Math.max(1, queryInteger(q.pageSize, 'pageSize', JAVA_INT, 20)), 500)
      const states = undone ? UNFINISHED_STATES : q.status ? q.status.split(',').map((s) => s.trim()) : undefined
      const admin = actor.user.isAdmin && q.isAdminView === 'true'
      // ?proxyUser= names whose jobs to list: any user for an admin, else only a name the caller acts as
      const proxyUser = q.proxyUser?.trim() || undefined
      if (proxyUser && !actor.user.isAdmin && !mayReach(actor.user, { submitter: proxyUser, labels: {} })) {
        throw new LinkisError(`${actor.executeUser} has no permission to view the jobs of ${proxyUser}(没有权限查看该用户的任务)`)
      }
      const query: HistoryQuery = {
        ids: q.taskID ? [queryInteger(q.taskID, 'taskID', JAVA_LONG, 0)] : undefined,
        statuses: states ? jobStatusesOf(states) : undefined,
        from: queryInteger(q.startDate, 'startDate', JAVA_LONG),
        to: queryInteger(q.endDate, 'endDate', JAVA_LONG),
        user: admin ? proxyUser : (proxyUser ?? actor.executeUser),
        engine: q.executeApplicationName ?? q.engineType,
        creator: q.creator,
        runType: q.runType,
        minId: queryInteger(q.startTaskID, 'startTaskID', JAVA_LONG),
        offset: (pageNow - 1) * pageSize,
        limit: pageSize,
      }
      const { items, total } = c.store.jobs.history(query)
      const tasks = items.map((job) => queryTaskVO(job, c.store.jobs.tasks(job.id), true))
      // upstream's totalPage holds the total row count (PageInfo.getTotal), not a page count
      return ok(reply, `/api/jobhistory/${path}`, 'OK', { tasks, totalPage: total })
    })
  }
}
