// entrance: submit/execute, status, log, progress, kill, killJobs, pause (jobapis.md §A.3–A.7).

import { BODY_LIMITS } from '../../body-limits'
import { idValue } from '../../ids'
import { CHANGES_STATE } from '../../security'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { JobRecord } from '../../../store/job.repository'
import { LateValue } from '../../json-stream'
import { isTerminalJob } from '../../../../shared/status'
import { actAsRefusal, reachable as reachableJob, type Owned } from '../../../services/access'
import type { LinkisActor } from './auth'
import { LinkisError, ok, okStreamed, type LinkisMessage } from './envelope'
import { execIdOf, linkisState, taskIdOf } from './mappers'
import { logBlock, logBlocks, logWindow } from './log-stream'
import type { LinkisContext } from './routes'
import { LinkisParams } from './params'
import { parseSubmission } from './submit'

const E = '/api/rest_j/v1/entrance'
/** Jobs one killJobs call may name. */
const MAX_KILL = 1000
const NOT_FOUND = 'Get job by ID error and cannot obtain the corresponding job(通过ID获取job失败)'

export function registerEntranceRoutes(scope: FastifyInstance, c: LinkisContext): void {
  /** The job of an execID or taskID, when the caller may reach it (owner or admin). */
  const jobOf = (id: string, actor: LinkisActor): JobRecord => reachable(c.engine.job(taskIdOf(id)), actor)
  const reachable = <J extends Owned & { id: number }>(job: J | undefined, actor: LinkisActor): J => {
    return reachableJob(actor.user, job, () => new LinkisError(NOT_FOUND))
  }
  /**
   * The status answer of the job `id` names (its JSON text) with the job's owners; a finished job's is
   * kept in memory, per path asked, until the job is written again (store/finished-views.ts: a poll
   * of a finished job reads and serializes nothing, #14.2). The owner check runs on every call.
   */
  const statusAnswer = (id: string, path: string) =>
    c.store.finishedViews.get(`linkis.status:${path}`, () => {
      const job = c.engine.job(taskIdOf(id))
      if (!job) return undefined
      const status = linkisState(job, c.store.jobs.waitsForRetry)
      const data = /^\d+$/.test(id) ? { status, execID: '', taskID: job.id } : { status, execID: id }
      const body = JSON.stringify({ method: path.replace('/rest_j/v1', ''), status: 0, message: 'Get status successful(获取状态成功)', data } satisfies LinkisMessage)
      return { job: { id: job.id, status: job.status, submitter: job.submitter, labels: { ...job.labels } }, body, size: body.length }
    })
  const method = (req: FastifyRequest) => req.url.split('?')[0].replace('/rest_j/v1', '')

  for (const name of ['submit', 'execute']) {
    scope.post(`${E}/${name}`, { bodyLimit: BODY_LIMITS.content }, async (req, reply) => {
      const actor = c.actor(req)
      const s = parseSubmission(req.body, c.port())
      // executeUser in the body: honoured as upstream for admins only (an admin token naming an admin,
      // or an admin's session; access.ts actAsRefusal with no grants), else quietly the caller's own
      const asked = s.executeUser && actAsRefusal(actor.user, c.store.users.caller(s.executeUser), []) === null ? s.executeUser : undefined
      const executeUser = asked || actor.executeUser
      const ref = c.jobs.submitScript(s.job, actor.user, {
        labels: { ...s.labels, executeUser, submitUser: actor.user.username },
        input: s.extra,
        acceptedNote: (job) => `Your job is accepted, jobID is ${execIdOf(job)} and taskID is ${job.id}. Please wait it to be scheduled`,
      })
      const job = c.engine.job(ref.id)!
      const execID = execIdOf(job)
      return ok(reply, `/api/entrance/${name}`, 'OK', { execID, taskID: job.id })
    })
  }

  // synchronous: the answer is sent here, no promise per poll (#14.2)
  scope.get(`${E}/:id/status`, (req, reply) => {
    const { id } = req.params as { id: string }
    new LinkisParams(req.query).id('taskID')
    const actor = c.actor(req)
    const answer = statusAnswer(id, req.url.split('?')[0])
    reachable(answer?.job, actor)
    reply.type('application/json; charset=utf-8').send(answer!.body)
  })

  scope.get(`${E}/:id/log`, async (req, reply) => {
    const { id } = req.params as { id: string }
    const p = new LinkisParams(req.query)
    const any = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }
    // as LogReader: a negative fromLine is 0, a negative size 10000, 0 the default 100
    const fromLine = Math.max(0, p.int('fromLine', any, 0))
    const rawSize = p.int('size', any, 100)
    const size = rawSize < 0 ? 10_000 : Math.min(rawSize || 100, 10_000)
    const distinct = p.bool('distinctLevel', true)
    const job = jobOf(id, c.actor(req))
    // seq counts lines from 0, as fromLine does (with gaps where a long log was cut); the answer streams, a page of lines at a time
    const asked = logWindow(c.store.logs, job.id, fromLine, size)
    const log = distinct ? logBlocks(asked) : logBlock(asked, 3)
    return okStreamed(reply, method(req), 'Return log information(返回日志信息)', { log, execID: execIdOf(job), fromLine: new LateValue(asked.next) })
  })

  for (const name of ['progress', 'progressWithResource']) {
    scope.get(`${E}/:id/${name}`, async (req, reply) => {
      const job = jobOf((req.params as { id: string }).id, c.actor(req))
      const tasks = c.store.jobs.tasksWithoutSpec(job.id, 'none') // states only: no task's input or output is read
      const count = (pred: (s: string) => boolean) => tasks.filter((t) => pred(t.status)).length
      const info = {
        id: execIdOf(job),
        succeedTasks: count((s) => s === 'succeeded' || s === 'skipped'),
        failedTasks: count((s) => s === 'failed' || s === 'timed_out' || s === 'cancelled'),
        runningTasks: count((s) => s === 'running' || s === 'cancelling'),
        totalTasks: tasks.length,
      }
      const data: Record<string, unknown> = { progress: job.progress, execID: execIdOf(job), progressInfo: [info] }
      if (name === 'progressWithResource') data.yarnMetrics = null
      return ok(reply, method(req), 'Get progress successful(获取进度成功)', data)
    })
  }

  const kill = (req: FastifyRequest, id: string): { execID: string } => {
    const actor = c.actor(req)
    const job = reachableJob(actor.user, c.engine.job(taskIdOf(id)), () => new LinkisError(NOT_FOUND))
    if (isTerminalJob(job.status) || !c.engine.isActive(job.id)) throw new LinkisError('The job already completed. Do not support kill.(任务已经结束，不支持kill)')
    c.engine.cancel(job.id)
    return { execID: execIdOf(job) }
  }
  scope.route({
    method: ['GET', 'POST'],
    url: `${E}/:id/kill`,
    ...CHANGES_STATE, // a GET: an <img> of another page on this site would kill with the cookie
    handler: async (req, reply) => {
      new LinkisParams(req.query).id('taskID')
      return ok(reply, method(req), 'Successfully killed the job(成功kill了job)', kill(req, (req.params as { id: string }).id))
    },
  })

  // two lists of up to 1000 exec ids each (~70 characters apiece): more than the small limit
  scope.post(`${E}/:id/killJobs`, { bodyLimit: BODY_LIMITS.content }, async (req, reply) => {
    c.actor(req)
    const body = new LinkisParams(req.body)
    const ids = body.array('idList', (v) => {
      if (typeof v !== 'string' || !v || v.length > 300) throw new Error('must be an execID (a non-empty string)')
      return v
    }, MAX_KILL)
    const taskIds = body.array('taskIDList', (v) => {
      const n = idValue(v)
      if (n === undefined) throw new Error('must be a taskID (a positive integer in plain decimal digits)')
      return String(n)
    }, MAX_KILL)
    if (ids.length !== taskIds.length) throw new LinkisError('The length of the ID list does not match the length of the TASKID list(id列表的长度与taskId列表的长度不一致)')
    const messages = ids.map((id, i) => {
      const m = `/api/entrance/${id}/kill`
      try {
        return { method: m, status: 0, message: 'Successfully killed the job(成功kill了job)', data: kill(req, taskIds[i] || id) }
      } catch (e) {
        return { method: m, status: 1, message: (e as Error).message, data: {} }
      }
    })
    return ok(reply, method(req), 'success', { messages })
  })

  scope.get(`${E}/:id/pause`, async (req, reply) => {
    jobOf((req.params as { id: string }).id, c.actor(req))
    return ok(reply, method(req), 'success to pause job(暂停job成功)', {}) // a no-op upstream too
  })
}
