// The GES job views that read jobs' stored inputs and reports (#9 §2): the job-center list (v2 and
// v1.0), the data plane's job list and one job's status. One builder for each, run on the main
// thread when the jobs' stored values are small (JobCenterRepository.viewBytes) and in a worker
// thread (ges-view-worker.ts) otherwise: a 4 MB input parsed and serialized again held the main thread
// for ~100 ms a job. A list holds a bounded amount per job (LIST_REQUEST_CHARS, LIST_DETAIL_CHARS),
// so that 1,000 jobs of 4 MB answer a few megabytes; one job's status holds all of it.
import type { JobCenterQuery, JobCenterRepository } from '../../../store/job-center.repository'
import type { JobRecord, JobRepository } from '../../../store/job.repository'
import type { GesFileDetail, GesJobDetail } from '../../../graph/ges/ges-report'
import { isTerminalJob } from '../../../../shared/status'
import { listedReason } from '../../../store/reasons'
import { failedJobCode } from './errors'
import { GES_STATUS, gesTime, jobTypeAndName, toCamel, toGesJob, type GesJob } from './mappers'

/** The repositories a view reads (the main thread's store, or a worker's read-only connection). */
export interface ViewRepos {
  jobs: JobRepository
  jobCenter: JobCenterRepository
}

/** What to build: a list (by its query) or one job's status (by its id, already checked reachable). */
export type GesViewInput =
  | { view: 'list'; query: JobCenterQuery; v1: boolean }
  | { view: 'dataList'; query: JobCenterQuery }
  | { view: 'status'; jobId: number; v1: boolean }

/**
 * The most of a job's request (its stored input, as JSON text) a list's `rawRequest` carries. A
 * longer one is cut and the cut stated in valid JSON (GES clients parse rawRequest as a JSON
 * string): `{"truncated":true,"chars":<its length>,"head":"<its first LIST_REQUEST_CHARS characters>"}`.
 */
export const LIST_REQUEST_CHARS = 4 * 1024
/**
 * The most of an import's per-file report (job_detail's files, as JSON text) a list carries: the
 * first files that fit, and `truncated: true` with `file_count` (v1.0: fileCount), all files of the
 * job, in job_detail. The job's status view has them all.
 */
export const LIST_DETAIL_CHARS = 4 * 1024

/** rawRequest of a list: the request's stored JSON text (null: none, `{}`), or the statement of its cut (LIST_REQUEST_CHARS). */
export function listRawRequest(text: string | null): string {
  if (text === null) return '{}'
  if (text.length <= LIST_REQUEST_CHARS) return text
  return JSON.stringify({ truncated: true, chars: text.length, head: text.slice(0, LIST_REQUEST_CHARS) })
}

/** A GES job_detail cut to its first files that fit in LIST_DETAIL_CHARS (unchanged when all fit). */
export function listDetail(detail: GesJobDetail): GesJobDetail & { truncated?: true; file_count?: number } {
  const lists = [detail.schema_path, detail.edgeset_path, detail.vertexset_path]
  const all = lists.reduce((n, files) => n + (files?.length ?? 0), 0)
  let room = LIST_DETAIL_CHARS
  let kept = 0
  const fit = (files: GesFileDetail[] | null): GesFileDetail[] | null => {
    if (!files) return null
    const out: GesFileDetail[] = []
    for (const f of files) {
      room -= JSON.stringify(f).length + 1
      if (room < 0) break
      out.push(f)
    }
    kept += out.length
    return out
  }
  const cut = { schema_path: fit(detail.schema_path), edgeset_path: fit(detail.edgeset_path), vertexset_path: fit(detail.vertexset_path) }
  return kept === all ? detail : { ...cut, truncated: true, file_count: all }
}

/** The first task's output (an import's report): no task spec is read (a script's holds its code). */
const outputOf = (jobs: JobRepository, job: JobRecord): unknown => jobs.tasksWithoutSpec(job.id)[0]?.output ?? null

/** A job of a list in the management plane's shape, its job_detail and fail_reason cut (listDetail, store/reasons.ts). */
function listJob(jobs: JobRepository, job: JobRecord, v1: boolean): GesJob {
  const view = toGesJob(job, outputOf(jobs, job), v1)
  const listed = { ...view, fail_reason: listedReason(view.fail_reason) }
  return view.job_detail ? { ...listed, job_detail: listDetail(view.job_detail) } : listed
}

/** Jobs GES lets a client stop: algorithms and imports. */
export const cancellable = (job: Pick<JobRecord, 'kind'>): boolean => job.kind === 'algorithm' || job.kind === 'import'

const localTime = (ms: number | null) => (ms == null ? null : gesTime(ms)!.replace('T', ' '))

/**
 * A job of a list as its record without its context and result, and its input as stored text when
 * `withText` (the data plane's rawRequest): a list shows no more of the input than LIST_REQUEST_CHARS,
 * so it is parsed only where a view reads a field of it (a script's language, jobTypeAndName).
 * Undefined when the job is gone.
 */
function listed(jobs: JobRepository, id: number, withText: boolean): { job: JobRecord; inputText: string | null } | undefined {
  const job = jobs.getWithoutState(id)
  if (!job) return undefined
  const inputText = withText || job.kind === 'script' ? (jobs.stateText(id, 'input') ?? null) : null
  if (job.kind === 'script' && inputText !== null) job.input = JSON.parse(inputText) as unknown
  return { job, inputText }
}

/** A job of the data plane's list (the 2.2.13+ shape), its rawRequest cut (listRawRequest). */
function dataJob({ job, inputText }: { job: JobRecord; inputText: string | null }): Record<string, unknown> {
  const type = jobTypeAndName(job).type
  return {
    jobId: job.uuid,
    status: GES_STATUS[job.status],
    taskType: type === 'GraphManagement' ? 'ImportGraph' : type,
    rawRequest: listRawRequest(inputText),
    canStop: cancellable(job) && !isTerminalJob(job.status),
    progress: String(Math.round(job.progress * 100)),
    startTime: localTime(job.startedAt ?? job.createdAt),
    endTime: localTime(job.finishedAt),
    failReason: listedReason(job.error),
  }
}

/**
 * The answer of a view, as GES sends it. `found`: the list's page when the caller has searched
 * already (the main thread does, to weigh it). A job deleted meanwhile is left out of a list; a
 * status of a deleted job answers undefined.
 */
export function buildGesView(repos: ViewRepos, input: GesViewInput, found?: { ids: number[]; total: number }): Record<string, unknown> | undefined {
  const { jobs } = repos
  if (input.view === 'status') {
    const job = jobs.get(input.jobId)
    if (!job) return undefined
    const output = outputOf(jobs, job)
    const view = toGesJob(job, output, input.v1)
    // v1.0's errorCode/errorMessage: a failed job's code and reason (v2 has fail_reason only)
    const code = failedJobCode(job.status, output)
    return input.v1 ? { errorMessage: code ? view.fail_reason : null, errorCode: code, ...(toCamel(view) as object) } : { ...view }
  }
  const { ids, total } = found ?? repos.jobCenter.search(input.query)
  const rows = ids.map((id) => listed(jobs, id, input.view === 'dataList')).filter((r) => r !== undefined)
  if (input.view === 'dataList') return { errorMessage: null, errorCode: null, jobCount: total, jobs: rows.map(dataJob) }
  const list = rows.map((r) => listJob(jobs, r.job, input.v1))
  return input.v1 ? { errorMessage: null, errorCode: null, jobCount: total, jobList: toCamel(list) } : { job_count: total, job_list: list }
}
