// The console's executions (BgController): the paged, filtered execution list and one execution for
// the flow-graph display. A user sees only executions they may reach (owner-or-admin).

import type { FastifyInstance } from 'fastify'
import { invalid } from '../../../../../shared/errors'
import { assertMayReach, listOwner, mayReach } from '../../../../services/access'
import type { Store } from '../../../../store'
import { WORKFLOW_DIALECT, type WorkflowService } from '../../../../workflows/rillflow/service'
import { JAVA_LONG, queryInteger } from '../../../query'
import { DAG_STATUS, DAG_STATUS_VALUE, executionView, statusesOfValue, streamsGroups } from '../mappers'
import { answerView, sendView } from '../answers'
import { RawJson } from '../../../../store/raw-json'
import { executionIdOfJob, executionNotFound } from '../../../../workflows/rillflow/runtime/names'
import { params } from '../request'
import { CONSOLE_ROUTE } from '../session'
import { consolePage, given, requiredParam } from './paging'
import { signedIn } from './user'

/** One row of the execution list (DAGRuntimeFacade.getExecutionIds): `status` is the lower-case DAGStatus value. */
export interface ExecutionRow {
  id: number
  execution_id: string
  submit_time: number
  business_id: string
  feature_id: string
  status: string
}

const statusValue = (jobStatus: keyof typeof DAG_STATUS): string => DAG_STATUS[jobStatus].toLowerCase()

export function registerConsoleExecutionRoutes(scope: FastifyInstance, store: Store, workflows: WorkflowService): void {
  /**
   * Filters: `business`, `feature`, `status` (a DAGStatus value; `key_succeed` matches nothing, JobDesk
   * has no key mode), `id`/`execution_id` (one execution), `startTime` < submit_time ≤ `endTime` (epoch ms).
   * Blank filters are no filters; a feature without its business filters nothing (as upstream). `code` (invoke-code statistics) is not kept by JobDesk and is ignored.
   */
  scope.get('/flow/bg/get_execution_ids.json', CONSOLE_ROUTE, async (req) => {
    const q = params(req)
    const user = signedIn(req)
    const page = consolePage(q, { pageSize: 20 })
    const status = given(q.status)
    const statuses = status === undefined ? undefined : statusesOfValue(status)
    if (status !== undefined && !statuses) {
      throw invalid('invalid_request', `status must be one of ${Object.keys(DAG_STATUS_VALUE).join(', ')}`, 'status')
    }
    const after = queryInteger(q.startTime, 'startTime', JAVA_LONG, 0)
    const until = queryInteger(q.endTime, 'endTime', JAVA_LONG)
    const executionId = given(q.id) ?? given(q.execution_id)
    if (executionId !== undefined) {
      const ex = findExecution(workflows, executionId)
      const row = ex && mayReach(user, ex.job) ? [toRow(ex.job, 1)] : []
      return { items: row, total: row.length }
    }
    const business = given(q.business)
    const feature = given(q.feature)
    const { items, total } = store.jobs.dialectJobs({
      kind: 'workflow',
      dialect: WORKFLOW_DIALECT,
      name: business && feature ? `${business}:${feature}` : undefined,
      namePrefix: business && !feature ? `${business}:` : undefined,
      statuses,
      after,
      until,
      owner: listOwner(user),
      offset: page.offset,
      limit: page.pageSize,
    })
    return { items: items.map((j, i) => toRow(j, page.offset + i + 1)), total }
  })

  scope.get('/flow/bg/get_execution.json', CONSOLE_ROUTE, async (req, reply) => {
    const id = requiredParam(params(req), 'id')
    const user = signedIn(req)
    // unknown → execution_not_found (500, 30605) as upstream's engine errors; the job is checked before its state is read
    assertMayReach(user, workflows.execution(id, 'none', 'none').job, () => executionNotFound(id))
    // as get.json reads it: the context and large task values as stored JSON, a wide foreach's group
    // statuses a page a turn (the whole view of a 100k-item foreach, 3 MB, held the main thread ~1 s, #9 §2)
    const ex = workflows.execution(id, 'top', 'text', user.username)
    const streamed = ex.tasks.some((t) => t.input instanceof RawJson || t.output instanceof RawJson) || streamsGroups(ex.tasks)
    // trace_url: upstream links its trace server when one is configured; the UI reads it as a string
    const answer = { data: { ...executionView(ex, false, true), trace_url: '' }, message: '', success: true }
    return sendView(reply, answerView({ id: ex.job.id, status: ex.job.status }, answer, ex.storedContext, streamed))
  })
}

function toRow(job: { id: number; uuid: string; name: string; status: keyof typeof DAG_STATUS; createdAt: number }, index: number): ExecutionRow {
  const [business, feature] = job.name.split(':')
  return { id: index, execution_id: executionIdOfJob(job), submit_time: job.createdAt, business_id: business, feature_id: feature ?? '', status: statusValue(job.status) }
}

function findExecution(workflows: WorkflowService, id: string) {
  try {
    return workflows.execution(id, 'none')
  } catch (e) {
    if ((e as { code?: string }).code === 'execution_not_found') return undefined
    throw e
  }
}
