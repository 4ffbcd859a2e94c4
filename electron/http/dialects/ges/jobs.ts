// The GES job views: the management plane's job center (list with filters and paging, one job's
// status; v2 snake_case, v1.0 camelCase) and the data plane's job status (with an algorithm's rows
// paged by offset/limit), job list and cancel (GES.8303). Every JobDesk job shows, whatever made
// it; a user sees their own, an admin everyone's.
import type { Engine } from '../../../engine/engine'
import type { Store } from '../../../store'
import type { JobRecord } from '../../../store/job.repository'
import { MAX_PAGE_BYTES } from '../../../store/result-cells'
import type { ResultSetMeta } from '../../../store/result.repository'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { JsonPieces, LateValue } from '../../json-stream'
import { listOwner, mayReach, type Actor } from '../../../services/access'
import { isTerminalJob } from '../../../../shared/status'
import { badRequest, failedJobCode, GES_CODES, GesError } from './errors'
import { GES_STATUS, gesTime, jobTypeAndName, statusFilter, toCamel, toGesJob } from './mappers'

export interface GesJobDeps {
  store: Store
  engine: Engine
}

type Query = Record<string, string | undefined>

/** A non-negative integer parameter (GES sends them as strings), within bounds; 400 naming it otherwise. */
export function intParam(q: Query, name: string, fallback: number, max: number): number {
  const raw = q[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d{1,9}$/.test(raw) || Number(raw) > max) throw badRequest(`${name} must be an integer from 0 to ${max}, not ${JSON.stringify(raw.slice(0, 40))}`)
  return Number(raw)
}

/** `yyyy-MM-dd` → epoch ms of that day's start (UTC); 400 naming the parameter otherwise. */
function dateParam(q: Query, name: string): number | undefined {
  const raw = q[name]
  if (raw === undefined || raw === '') return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== +m[3]) throw badRequest(`${name} must be a date in the form yyyy-MM-dd, not ${JSON.stringify(raw.slice(0, 40))}`)
  return ms
}

const DAY_MS = 24 * 3600 * 1000

export function createGesJobs(deps: GesJobDeps) {
  const { store, engine } = deps
  // the first task's output only: a list of jobs reads no spec (a script's holds its code, #9)
  const outputOf = (job: JobRecord): unknown => store.jobs.tasksWithoutSpec(job.id)[0]?.output ?? null
  /** A job by its GES id (the job's uuid) the actor may see; 404 otherwise. */
  const find = (jobId: string, actor: Actor): JobRecord => {
    const job = typeof jobId === 'string' ? store.jobs.getByUuid(jobId) : undefined
    if (!job || !mayReach(actor, job)) throw new GesError(404, GES_CODES.jobNotFound, `The job does not exist: ${String(jobId).slice(0, 80)}`)
    return job
  }

  return {
    find,

    /** GET /v2|v1.0/{project_id}/graphs/jobs: `v1` names the dates startTime/endTime and answers in camelCase. */
    list(q: Query, actor: Actor, v1: boolean): Record<string, unknown> {
      const offset = intParam(q, 'offset', 0, 1_000_000_000)
      const limit = intParam(q, 'limit', 10, 1000)
      const status = q.status
      const filter = status ? statusFilter(status, v1) : undefined
      if (status && !filter) throw badRequest(`status must be one of running, waiting, success, failed${v1 ? ', partiallyFailed' : ''}, not ${JSON.stringify(status.slice(0, 40))}`)
      const from = dateParam(q, v1 ? 'startTime' : 'start_time')
      const to = dateParam(q, v1 ? 'endTime' : 'end_time')
      const { ids, total } = store.jobCenter.search({
        statuses: filter?.statuses,
        partlyFailed: filter?.partlyFailed,
        graph: q.graph_name || undefined,
        beganFrom: from,
        endedBefore: to === undefined ? undefined : to + DAY_MS,
        owner: listOwner(actor),
        offset,
        limit,
      })
      const jobs = ids.map((id) => store.jobs.get(id)!).map((j) => toGesJob(j, outputOf(j), v1))
      return v1 ? { errorMessage: null, errorCode: null, jobCount: total, jobList: toCamel(jobs) } : { job_count: total, job_list: jobs }
    },

    /** GET …/graphs/{graph_id}/jobs/{job_id}/status: the Job object at top level. */
    status(jobId: string, actor: Actor, v1: boolean): Record<string, unknown> {
      const job = find(jobId, actor)
      const output = outputOf(job)
      const view = toGesJob(job, output, v1)
      // v1.0's errorCode/errorMessage: a failed job's code and reason (v2 has fail_reason only)
      const code = failedJobCode(job.status, output)
      return v1 ? { errorMessage: code ? view.fail_reason : null, errorCode: code, ...(toCamel(view) as object) } : { ...view }
    },

    /** The data plane's job of a graph (404 GES.8011 when it is another graph's). */
    ofGraph(graph: string, jobId: string, actor: Actor): JobRecord {
      const job = find(jobId, actor)
      if (job.labels.graph !== graph) throw new GesError(404, GES_CODES.jobNotFound, `The job ${jobId.slice(0, 80)} does not belong to graph ${graph.slice(0, 80)}`)
      return job
    },

    /** GET /ges/v1.0/…/jobs/{job_id}/status?offset&limit: status and, for an algorithm, a page of its rows. */
    dataStatus(graph: string, jobId: string, q: Query, actor: Actor): Record<string, unknown> {
      const job = this.ofGraph(graph, jobId, actor)
      const offset = intParam(q, 'offset', 0, 1_000_000_000)
      const limit = intParam(q, 'limit', 100_000, 100_000)
      const body: Record<string, unknown> = { errorMessage: job.error, errorCode: failedJobCode(job.status, outputOf(job)), status: GES_STATUS[job.status] }
      const set = store.results.get(job.id, 0)
      if (job.kind === 'algorithm' && set && job.status === 'succeeded') {
        const page = rowPage(store, set, offset, limit)
        const took = job.startedAt && job.finishedAt ? (job.finishedAt - job.startedAt) / 1000 : 0
        body.data = {
          vertices: [],
          edges: [],
          outputs: { columns: set.columns.map((c) => c.name), data: page.json, data_return_size: page.count, data_offset: offset, data_total_size: set.rowCount, runtime: took },
        }
      } else if (job.status === 'succeeded') {
        body.data = { vertices: [], edges: [], outputs: { data_return_size: 0, data_offset: offset, data_total_size: 0 } }
      }
      return body
    },

    /** GET /ges/v1.0/…/jobs/status: the graph's jobs in the 2.2.13+ shape. */
    dataList(graph: string, q: Query, actor: Actor): Record<string, unknown> {
      const offset = intParam(q, 'offset', 0, 1_000_000_000)
      const limit = intParam(q, 'limit', 100, 1000)
      const { ids, total } = store.jobCenter.search({ graph, owner: listOwner(actor), offset, limit })
      const local = (ms: number | null) => (ms == null ? null : gesTime(ms)!.replace('T', ' '))
      const jobs = ids.map((id) => store.jobs.get(id)!).map((j) => ({
        jobId: j.uuid,
        status: GES_STATUS[j.status],
        taskType: jobTypeAndName(j).type === 'GraphManagement' ? 'ImportGraph' : jobTypeAndName(j).type,
        rawRequest: JSON.stringify(j.input ?? {}),
        canStop: cancellable(j) && !isTerminalJob(j.status),
        progress: String(Math.round(j.progress * 100)),
        startTime: local(j.startedAt ?? j.createdAt),
        endTime: local(j.finishedAt),
        failReason: j.error,
      }))
      return { errorMessage: null, errorCode: null, jobCount: total, jobs }
    },

    /** DELETE /ges/v1.0/…/jobs/{job_id}: cancels an algorithm or import job that has not finished; GES.8303 otherwise. */
    cancel(graph: string, jobId: string, actor: Actor): Record<string, never> {
      const job = store.jobs.getByUuid(jobId)
      const mine = job && mayReach(actor, job) && job.labels.graph === graph
      if (!mine || isTerminalJob(job.status)) throw new GesError(400, GES_CODES.cannotCancel, `can not find job to cancel, id is ${jobId.slice(0, 80)}`)
      if (!cancellable(job)) throw new GesError(400, GES_CODES.cannotCancel, 'Unsupported Operation')
      engine.cancel(job.id)
      return {}
    },
  }
}

/** Rows read from the store per turn of the event loop for a data-plane page. */
const PAGE_STEP = 2000

/**
 * Rows [offset, offset + limit) of `set` as JSON written into a streamed answer (http/json-stream.ts)
 * a step of stored rows at a time, spliced in as stored, and how many it held (known once written).
 * At most MAX_PAGE_BYTES of stored rows, as results.rows. A page of 100,000 rows read, parsed and
 * serialized in one go held every request 253-301 ms (#9 §2).
 */
function rowPage(store: Store, set: ResultSetMeta, offset: number, limit: number): { json: JsonPieces; count: LateValue } {
  let count = 0
  const pieces = async function* () {
    yield '['
    for (let budget = MAX_PAGE_BYTES; count < limit && budget > 0; ) {
      if (count > 0) await nextTurn()
      const asked = Math.min(PAGE_STEP, limit - count)
      const texts = store.results.rowTexts(set, offset + count, asked, budget)
      // rowTexts gives one row past the budget, which only a page's first row may be (as results.rows)
      if (texts.length === 0 || (count > 0 && texts[0].length > budget)) break
      for (const t of texts) budget -= t.length
      yield `${count > 0 ? ',' : ''}${texts.join(',')}`
      count += texts.length
      if (texts.length < asked) break // the set or the budget ended it
    }
    yield ']'
  }
  return { json: new JsonPieces(pieces), count: new LateValue(() => count) }
}

/** Jobs GES lets a client stop: algorithms and imports. */
const cancellable = (job: JobRecord): boolean => job.kind === 'algorithm' || job.kind === 'import'
