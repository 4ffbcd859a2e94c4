// What the management console's history pages ask jobhistory besides the list (QueryRestfulApi):
// governanceStationAdmin (which views the user may open), job-extra-info (the Code tab) and
// diagnosis-query (the Diagnostic tab).

import type { FastifyInstance } from 'fastify'
import { isTerminalJob } from '../../../../shared/status'
import { mayReach } from '../../../services/access'
import type { JobRecord } from '../../../store/job.repository'
import { LinkisError, ok } from './envelope'
import { linkisDate, linkisDuration, logLineText } from './mappers'
import { LinkisParams } from './params'
import type { LinkisContext } from './routes'

const H = '/api/rest_j/v1/jobhistory'
const NOT_FOUND = 'The corresponding job was not found, or there may be no permission to view the job(没有找到对应的job，也可能是没有查看该job的权限)'
/** The console's fallback error text for a failing call (%s is the URL), upstream's linkis.jobhistory.error.msg.tip in JobDesk's words. */
export const ERROR_MSG_TIP = 'The request %s to JobDesk failed; the JobDesk log (Jobs page) may say why'
/** How many of a failed job's last ERROR lines the diagnosis shows. */
const DIAGNOSIS_LINES = 20

export function registerJobHistoryDetailRoutes(scope: FastifyInstance, c: LinkisContext): void {
  /** The job `name` names when the caller may see it, else Linkis's "not found or no permission" (status 1). */
  const reachable = (req: Parameters<LinkisContext['actor']>[0], name: string, missing: string): JobRecord => {
    const actor = c.actor(req)
    const q = new LinkisParams(req.query)
    if (q.str(name) === undefined) throw new LinkisError(missing)
    const job = c.engine.job(q.id(name)!)
    if (!job || !mayReach(actor.user, job)) throw new LinkisError(NOT_FOUND)
    return job
  }

  // admins are JobDesk's admins; departments are not a JobDesk notion; every user may open result sets
  scope.get(`${H}/governanceStationAdmin`, async (req, reply) => {
    const { user } = c.actor(req)
    return ok(reply, '/api/jobhistory/governanceStationAdmin', 'OK', {
      admin: user.isAdmin,
      historyAdmin: user.isAdmin,
      deptAdmin: false,
      canResultSet: true,
      errorMsgTip: ERROR_MSG_TIP,
    })
  })

  /** `metricsMap`: the job's times as Linkis's metrics ("yyyy-MM-dd HH:mm:ss"), `runtime`, and the whole `executionCode`. */
  scope.get(`${H}/job-extra-info`, async (req, reply) => {
    const job = reachable(req, 'jobId', 'Invalid jobId cannot be empty')
    const metricsMap: Record<string, string> = { submitTime: linkisDate(job.createdAt) }
    if (job.startedAt) metricsMap.runningTime = linkisDate(job.startedAt)
    if (job.finishedAt) metricsMap.completeTime = linkisDate(job.finishedAt)
    metricsMap.runtime = job.finishedAt
      ? linkisDuration(job.finishedAt - job.createdAt)
      : 'The task did not end normally and the usage time could not be counted.(任务并未正常结束，无法统计使用时间)'
    const input = (job.input ?? {}) as { code?: unknown }
    metricsMap.executionCode = typeof input.code === 'string' ? input.code : job.name
    return ok(reply, '/api/jobhistory/job-extra-info', 'OK', { metricsMap })
  })

  /**
   * `diagnosisMsg`: why a job failed (its error and its last ERROR log lines), '' for one that did not
   * fail or has not ended. `diagnosisSource` other than linkis (e.g. doctoris, an external service) has none.
   */
  scope.get(`${H}/diagnosis-query`, async (req, reply) => {
    const q = new LinkisParams(req.query)
    const source = q.str('diagnosisSource', 100)?.trim() || 'linkis'
    const job = reachable(req, 'taskID', 'Invalid jobId cannot be empty')
    let diagnosisMsg = ''
    if (source === 'linkis' && isTerminalJob(job.status) && job.status !== 'succeeded') {
      const errors = lastErrorLines(c, job.id)
      diagnosisMsg = [job.error ?? `the job ended ${job.status}`, ...errors].join('\n')
    }
    return ok(reply, '/api/jobhistory/diagnosis-query', 'OK', { diagnosisMsg })
  })
}

/** The last ERROR lines of a job's log, oldest first, read backwards a page at a time (a log may be megabytes). */
function lastErrorLines(c: LinkisContext, jobId: number): string[] {
  const found: string[] = []
  const PAGE = 1000
  let end = c.store.logs.nextSeq(jobId)
  for (let pages = 0; end > 0 && found.length < DIAGNOSIS_LINES && pages < 50; pages++) {
    const start = Math.max(0, end - PAGE)
    const lines = c.store.logs.read(jobId, start, end - start).lines.filter((l) => l.seq < end)
    for (let i = lines.length - 1; i >= 0 && found.length < DIAGNOSIS_LINES; i--) if (lines[i].level === 'ERROR') found.push(logLineText(lines[i]))
    end = start
  }
  return found.reverse()
}
