// JobDesk jobs as GES's job center shows them (reference/jobapis.md §C.1–C.2): status words, job
// type and name, UTC times without a zone, and job_detail for ImportGraph with per-file line
// counts. One Job object is built (snake_case, v2) and rendered in camelCase for v1.0.
import type { FileReport, ImportReport } from '../../../../shared/graph'
import type { GesFileDetail, GesImportOutput, GesJobDetail } from '../../../graph/ges/ges-report'
import type { JobStatus } from '../../../../shared/status'
import type { JobRecord } from '../../../store/job.repository'

/**
 * JobDesk state → GES job status (DESIGN.md's table: cancelled and timed out are failed). The one
 * place GES status words are made: see gesStatus for v1.0's partiallyFailed.
 */
export const GES_STATUS: Record<JobStatus, 'pending' | 'running' | 'success' | 'failed'> = {
  queued: 'pending',
  running: 'running',
  cancelling: 'running',
  succeeded: 'success',
  failed: 'failed',
  cancelled: 'failed',
  timed_out: 'failed',
}

/** GES's job status words: v2 documents four; newer v1.0 documents add `partiallyFailed` (jobapis.md §C.1). */
export type GesStatus = 'pending' | 'running' | 'success' | 'failed' | 'partiallyFailed'

/**
 * A job's GES status. `partlyFailed`: it succeeded but some of its parts failed (an import with a
 * `failed` or `partFailed` file in job_detail: lines GES could not import) — v1.0 says
 * `partiallyFailed`, as newer GES v1.0 documents define; v2 documents no such word and says
 * `success` (its job_detail's per-file status tells the parts).
 */
export function gesStatus(status: JobStatus, partlyFailed: boolean, v1: boolean): GesStatus {
  return v1 && partlyFailed && status === 'succeeded' ? 'partiallyFailed' : GES_STATUS[status]
}

/** The list's `status` filter → JobDesk states and partial failure ("waiting" is what the filter says for pending). */
export function statusFilter(status: string, v1: boolean): { statuses: JobStatus[]; partlyFailed?: boolean } | undefined {
  switch (status) {
    case 'waiting':
    case 'pending':
      return { statuses: ['queued'] }
    case 'running':
      return { statuses: ['running', 'cancelling'] }
    // v1.0 shows a partly failed job as partiallyFailed, not success; v2 as success
    case 'success':
      return v1 ? { statuses: ['succeeded'], partlyFailed: false } : { statuses: ['succeeded'] }
    case 'partiallyFailed':
      return v1 ? { statuses: ['succeeded'], partlyFailed: true } : undefined
    case 'failed':
      return { statuses: ['failed', 'cancelled', 'timed_out'] }
  }
  return undefined
}

/** Whether an import's job_detail has a file that failed in whole or in part (the JS twin of the job center's PARTLY_FAILED). */
export function detailPartlyFailed(detail: GesJobDetail | undefined): boolean {
  if (!detail) return false
  return [detail.schema_path, detail.edgeset_path, detail.vertexset_path].some((files) => files?.some((f) => f.status === 'failed' || f.status === 'partFailed'))
}

/** job_type and job_name per kind of job. Imports are ImportGraph whatever dialect started them. */
export function jobTypeAndName(job: JobRecord): { type: string; name: string } {
  switch (job.kind) {
    case 'import':
      return { type: 'GraphManagement', name: 'ImportGraph' }
    case 'algorithm':
      return { type: 'Algorithm', name: job.labels.algorithm ?? 'Algorithm' }
    case 'script': {
      const language = String((job.input as { language?: string } | null)?.language ?? 'script')
      return { type: 'Script', name: `Run${language.charAt(0).toUpperCase()}${language.slice(1)}` }
    }
    case 'workflow':
    case 'dag':
      return { type: 'Workflow', name: 'RunWorkflow' }
  }
}

/** Epoch ms as `yyyy-MM-dd'T'HH:mm:ss` in UTC, or null. */
export const gesTime = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString().slice(0, 19))

export interface GesJob {
  job_id: string
  status: string
  job_type: string
  job_name: string
  related_graph: string
  begin_time: string | null
  end_time: string | null
  job_detail?: GesJobDetail
  fail_reason: string | null
  job_progress: number
}

function fileDetail(f: FileReport, finished: boolean): GesFileDetail {
  const failed = f.failed + f.rolledBack
  const status = !finished || f.state === 'pending' || f.state === 'running' ? null : f.state === 'done' ? (failed > 0 ? 'partFailed' : 'success') : 'failed'
  return { path: f.path, log: null, status, cause: f.failures[0]?.reason ?? null, total_lines: f.lines, failed_lines: failed, successful_lines: f.imported }
}

/** job_detail of an import: a GES import's own per-file report, else one built from the import report. */
export function importDetail(output: unknown, finished: boolean): GesJobDetail | undefined {
  const o = output as Partial<GesImportOutput> & Partial<ImportReport> | null
  if (!o) return undefined
  if (o.ges) return { schema_path: o.ges.schema.length ? o.ges.schema : null, edgeset_path: o.ges.edges.length ? o.ges.edges : null, vertexset_path: o.ges.vertices.length ? o.ges.vertices : null }
  if (!Array.isArray(o.files)) return undefined
  const of = (kind: 'vertex' | 'edge') => o.files!.filter((f) => f.kind === kind).map((f) => fileDetail(f, finished))
  const edges = of('edge')
  const vertices = of('vertex')
  return { schema_path: null, edgeset_path: edges.length ? edges : null, vertexset_path: vertices.length ? vertices : null }
}

/**
 * A job as GES's Job object (v2 field names; `v1` only changes the status word, see gesStatus).
 * `taskOutput` is the first task's output (imports' reports).
 */
export function toGesJob(job: JobRecord, taskOutput: unknown, v1 = false): GesJob {
  const { type, name } = jobTypeAndName(job)
  const finished = job.finishedAt !== null
  const detail = name === 'ImportGraph' ? importDetail(taskOutput, finished) : undefined
  const out: GesJob = {
    job_id: job.uuid,
    status: gesStatus(job.status, detailPartlyFailed(detail), v1),
    job_type: type,
    job_name: name,
    related_graph: job.labels.graph ?? '',
    begin_time: gesTime(job.startedAt ?? job.createdAt),
    end_time: gesTime(job.finishedAt),
    fail_reason: job.status === 'cancelled' ? (job.error ?? 'cancelled') : job.error,
    job_progress: job.progress,
  }
  if (detail) out.job_detail = detail
  return out
}

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** A v2 body in v1.0's camelCase (keys only, deeply). */
export function toCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCamel)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), toCamel(v)]))
  return value
}
