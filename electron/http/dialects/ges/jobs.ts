// The GES job views: the management plane's job center (list with filters and paging, one job's
// status; v2 snake_case, v1.0 camelCase) and the data plane's job status (with an algorithm's rows
// paged by offset/limit), job list and cancel (GES.8303). Every JobDesk job shows, whatever made
// it; a user sees their own, an admin everyone's. The views that read jobs' stored inputs and
// reports are built by job-views.ts: here when they are small, in a worker thread when they are not.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Engine } from '../../../engine/engine'
import type { Store } from '../../../store'
import type { JobCenterQuery } from '../../../store/job-center.repository'
import type { JobRecord } from '../../../store/job.repository'
import { MAX_PAGE_BYTES } from '../../../store/result-cells'
import type { ResultSetMeta } from '../../../store/result.repository'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { JsonPieces, LateValue } from '../../json-stream'
import { plainInteger } from '../../query'
import { listOwner, mayReach, type Actor } from '../../../services/access'
import { viewWorkers } from '../../view-workers'
import { isTerminalJob } from '../../../../shared/status'
import { badRequest, failedJobCode, GES_CODES, GesError } from './errors'
import { buildGesView, cancellable, type GesViewInput } from './job-views'
import { GES_STATUS, statusFilter } from './mappers'

export interface GesJobDeps {
  store: Store
  engine: Engine
}

type Query = Record<string, string | undefined>

/** A non-negative integer parameter (GES sends them as strings), within bounds; 400 naming it otherwise. */
export function intParam(q: Query, name: string, fallback: number, max: number): number {
  const raw = q[name]
  if (raw === undefined || raw === '') return fallback
  const n = plainInteger(raw, { min: 0, max })
  if (n === undefined) throw badRequest(`${name} must be an integer from 0 to ${max}, not ${JSON.stringify(raw.slice(0, 40))}`)
  return n
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

/** A view's answer: an object, or JSON text a worker built (sent as it is). */
export type GesAnswer = Record<string, unknown> | string

/** Where ges-view-worker.ts is, for startWorker run from source. */
const HERE = dirname(fileURLToPath(import.meta.url))

export function createGesJobs(deps: GesJobDeps) {
  const { store, engine } = deps
  const workers = viewWorkers(store.db)
  /** A view built in a worker thread (ges-view-worker.ts) for `actor`; undefined when its job is gone. `signal`: the client hung up (the worker ends). */
  const inWorker = (input: GesViewInput, actor: Actor, signal?: AbortSignal): Promise<string | undefined> =>
    workers.build('ges-view-worker', HERE, input, { owner: actor.username, signal })
  /** Whether the jobs' stored values are small enough to build their view here (an in-memory store has no file for a worker). */
  const light = (ids: readonly number[]): boolean => workers.inline(store.jobCenter.viewBytes(ids))
  /** A list: searched here (ids only), built here when light, else searched and built in a worker. */
  const listView = async (input: Extract<GesViewInput, { view: 'list' | 'dataList' }>, actor: Actor, signal?: AbortSignal): Promise<GesAnswer> => {
    // the partly-failed filter reads every import's report in SQLite: the search itself is heavy then
    if (input.query.partlyFailed === undefined || store.db.memory) {
      const found = store.jobCenter.search(input.query)
      if (light(found.ids)) return buildGesView(store, input, found)!
    }
    return (await inWorker(input, actor, signal))!
  }
  /**
   * A job by its GES id (the job's uuid) the actor may see; 404 otherwise. Its input, context and
   * result are not read (null in the record): a status poll does not parse megabytes of request.
   */
  const find = (jobId: string, actor: Actor): JobRecord => {
    const id = typeof jobId === 'string' ? store.jobs.idOfUuid(jobId) : undefined
    const job = id === undefined ? undefined : store.jobs.getWithoutState(id)
    if (!job || !mayReach(actor, job)) throw new GesError(404, GES_CODES.jobNotFound, `The job does not exist: ${String(jobId).slice(0, 80)}`)
    return job
  }

  return {
    find,

    /**
     * GET /v2|v1.0/{project_id}/graphs/jobs: `v1` names the dates startTime/endTime and answers in camelCase.
     * `signal` aborts when the client hangs up: a list being built in a worker then ends (view-workers.ts).
     */
    async list(q: Query, actor: Actor, v1: boolean, signal?: AbortSignal): Promise<GesAnswer> {
      const offset = intParam(q, 'offset', 0, 1_000_000_000)
      const limit = intParam(q, 'limit', 10, 1000)
      const status = q.status
      const filter = status ? statusFilter(status, v1) : undefined
      if (status && !filter) throw badRequest(`status must be one of running, waiting, success, failed${v1 ? ', partiallyFailed' : ''}, not ${JSON.stringify(status.slice(0, 40))}`)
      const from = dateParam(q, v1 ? 'startTime' : 'start_time')
      const to = dateParam(q, v1 ? 'endTime' : 'end_time')
      const query: JobCenterQuery = {
        statuses: filter?.statuses,
        partlyFailed: filter?.partlyFailed,
        graph: q.graph_name || undefined,
        beganFrom: from,
        endedBefore: to === undefined ? undefined : to + DAY_MS,
        owner: listOwner(actor),
        offset,
        limit,
      }
      return listView({ view: 'list', query, v1 }, actor, signal)
    },

    /** GET …/graphs/{graph_id}/jobs/{job_id}/status: the Job object at top level (built in a worker when the job is large; `signal` as for list). */
    async status(jobId: string, actor: Actor, v1: boolean, signal?: AbortSignal): Promise<GesAnswer> {
      const job = find(jobId, actor)
      const input: GesViewInput = { view: 'status', jobId: job.id, v1 }
      const view = light([job.id]) ? buildGesView(store, input) : await inWorker(input, actor, signal)
      if (view === undefined) throw new GesError(404, GES_CODES.jobNotFound, `The job does not exist: ${jobId.slice(0, 80)}`)
      return view
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
      const body: Record<string, unknown> = { errorMessage: job.error, errorCode: failedJobCode(job.status, job.status === 'failed' ? { failure: store.jobCenter.failureOf(job.id) } : null), status: GES_STATUS[job.status] }
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

    /** GET /ges/v1.0/…/jobs/status: the graph's jobs in the 2.2.13+ shape (`signal` as for list). */
    dataList(graph: string, q: Query, actor: Actor, signal?: AbortSignal): Promise<GesAnswer> {
      const offset = intParam(q, 'offset', 0, 1_000_000_000)
      const limit = intParam(q, 'limit', 100, 1000)
      return listView({ view: 'dataList', query: { graph, owner: listOwner(actor), offset, limit } }, actor, signal)
    },

    /** DELETE /ges/v1.0/…/jobs/{job_id}: cancels an algorithm or import job that has not finished; GES.8303 otherwise. */
    cancel(graph: string, jobId: string, actor: Actor): Record<string, never> {
      const id = store.jobs.idOfUuid(jobId)
      const job = id === undefined ? undefined : store.jobs.getWithoutState(id)
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
