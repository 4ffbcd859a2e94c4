// Linkis's view of JobDesk jobs: the one status table of this dialect, execIDs, QueryTaskVO,
// level-prefixed log lines and the virtual paths of results and logs.

import type { JobStatus } from '../../../../shared/status'
import { invalid } from '../../../../shared/errors'
import { listedReason } from '../../../store/reasons'
import { idValue } from '../../ids'
import type { LogLine } from '../../../../shared/model'
import { visibleLogText } from '../../../../shared/log-text'
import type { JobRecord } from '../../../store/job.repository'

export const LINKIS_STATES = ['Inited', 'WaitForRetry', 'Scheduled', 'Running', 'Succeed', 'Failed', 'Cancelled', 'Timeout'] as const
export type LinkisState = (typeof LINKIS_STATES)[number]

/** JobDesk state → Linkis state (DESIGN.md state table); a job waiting out a retry is WaitForRetry. */
const STATE: Record<JobStatus, LinkisState> = {
  queued: 'Inited',
  running: 'Running',
  cancelling: 'Running',
  succeeded: 'Succeed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timeout',
}

/**
 * A job's Linkis state; `waitsForRetry` (JobRepository.waitsForRetry) is asked of a running job only:
 * one waiting for a task's next attempt is WaitForRetry.
 */
export function linkisState(job: JobRecord, waitsForRetry: (jobId: number) => boolean): LinkisState {
  if (job.status === 'running' && waitsForRetry(job.id)) return 'WaitForRetry'
  return STATE[job.status]
}

/** Linkis states → the JobDesk states they cover (jobhistory/list?status=…). */
export function jobStatusesOf(states: string[]): JobStatus[] {
  const out = new Set<JobStatus>()
  for (const s of states) {
    for (const [mine, theirs] of Object.entries(STATE)) if (theirs === s || (s === 'WaitForRetry' && mine === 'running')) out.add(mine as JobStatus)
    if (s === 'Scheduled') out.add('queued')
  }
  return [...out]
}

export const UNFINISHED_STATES = ['Inited', 'WaitForRetry', 'Scheduled', 'Running']

// ── execID (ZuulEntranceUtils): "exec_id" + 3-digit app length + 3-digit instance length + app + instance + short id
const APP = 'linkis-cg-entrance'
export const INSTANCE = '127.0.0.1:9104'
const pad3 = (n: number) => String(n).padStart(3, '0')

export function execIdOf(job: JobRecord): string {
  const { creator, engine } = linkisLabels(job)
  return `exec_id${pad3(APP.length)}${pad3(INSTANCE.length)}${APP}${INSTANCE}${creator}_${executeUserOf(job)}_${engine}_${job.id}`
}

/** A path id: an execID or a numeric taskID → the job id; a clear error naming `id` otherwise. */
export function taskIdOf(id: string): number {
  const direct = idValue(id)
  if (direct !== undefined) return direct
  if (id.startsWith('exec_id') && id.length > 13) {
    const short = id.slice(13 + Number(id.slice(7, 10)) + Number(id.slice(10, 13)))
    const seq = idValue(short.slice(short.lastIndexOf('_') + 1))
    if (seq !== undefined) return seq
  }
  throw invalid('bad_exec_id', `id ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id)} is not a valid execID or taskID`, 'id')
}

/** What a Linkis client sent, kept on the job; jobs from elsewhere get sensible stand-ins. */
export function linkisLabels(job: JobRecord): { creator: string; engine: string; engineType: string; runType: string } {
  const l = job.labels
  const engineType = l.engineType ?? `${job.kind === 'script' ? String((job.input as { language?: string })?.language ?? 'shell') : job.kind}-1`
  return {
    creator: l.creator ?? 'JobDesk',
    engineType,
    engine: engineType.split('-')[0],
    runType: l.runType ?? String((job.input as { language?: string })?.language ?? job.kind),
  }
}

export const executeUserOf = (job: JobRecord): string => job.labels.executeUser ?? job.submitter

// ── virtual paths: results and logs live in the store; these paths only name them
export const resultDir = (job: JobRecord) => `file:///jobdesk/${executeUserOf(job)}/result/${job.id}`
export const logPathOf = (job: JobRecord) => `file:///jobdesk/${executeUserOf(job)}/log/${job.id}.log`

export interface VirtualPath {
  user: string
  kind: 'result' | 'log'
  jobId: number
  /** `_N.dolphin` in a result directory. */
  index?: number
}

/** A path segment decoded, or null when its %-escapes are malformed (the path then names nothing). */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

export function parsePath(path: unknown): VirtualPath | null {
  if (typeof path !== 'string') return null
  const m = /^(?:file|hdfs):\/\/\/jobdesk\/([^/]+)\/(result)\/(\d+)(?:\/_(\d+)\.dolphin)?\/?$|^(?:file|hdfs):\/\/\/jobdesk\/([^/]+)\/(log)\/(\d+)\.log$/.exec(path)
  if (!m) return null
  const user = decodeSegment(m[1] ?? m[5])
  if (user === null) return null
  const jobId = idValue(m[3] ?? m[7])
  if (jobId === undefined) return null
  if (m[2]) return { user, kind: 'result', jobId, index: m[4] === undefined ? undefined : Number(m[4]) }
  return { user, kind: 'log', jobId }
}

/** The user of a root path as getUserRootPath hands it (`file:///jobdesk/<user>/`, or hdfs://), else null. */
export function parseUserRoot(path: unknown): string | null {
  if (typeof path !== 'string') return null
  const m = /^(?:file|hdfs):\/\/\/jobdesk\/([^/]+)\/?$/.exec(path)
  return m ? decodeSegment(m[1]) : null
}

// ── logs: "2023-04-13 08:35:41.035 INFO text" (grouped [error, warn, info, all] in log-stream.ts)
const p2 = (n: number) => String(n).padStart(2, '0')
/** A stored log line as Linkis writes it in a log answer; its text by visibleLogText (Linkis clients print logs to a terminal). */
export function logLineText(l: Pick<LogLine, 'time' | 'level' | 'text'>): string {
  const d = new Date(l.time)
  const stamp = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
  return `${stamp} ${l.level} ${visibleLogText(l.text)}`
}

/** QueryTaskVO (jobhistory): the fields clients read, names as in the code (errCode, paramsJson); `waitsForRetry` as linkisState takes it (no task is read). */
export function queryTaskVO(job: JobRecord, waitsForRetry: (jobId: number) => boolean, brief = false): Record<string, unknown> {
  const { creator, engineType, runType } = linkisLabels(job)
  const state = linkisState(job, waitsForRetry)
  const input = (job.input ?? {}) as { code?: string; params?: unknown; source?: unknown }
  const running = state === 'Running'
  const cost = job.startedAt ? (job.finishedAt ?? Date.now()) - job.startedAt : 0
  const vo: Record<string, unknown> = {
    taskID: job.id,
    instance: INSTANCE,
    execId: execIdOf(job),
    umUser: job.submitter,
    executeUser: executeUserOf(job),
    engineInstance: `${INSTANCE}`,
    executionCode: brief ? undefined : (input.code ?? job.name),
    progress: String(job.progress),
    logPath: logPathOf(job),
    resultLocation: resultDir(job),
    status: state,
    createdTime: job.createdAt,
    updatedTime: job.finishedAt ?? job.startedAt ?? job.createdAt,
    engineType,
    errCode: running || !job.error ? null : 11000,
    errDesc: running ? null : job.error,
    executeApplicationName: engineType.split('-')[0],
    requestApplicationName: creator,
    runType,
    paramsJson: JSON.stringify(input.params ?? {}),
    costTime: cost,
    strongerExecId: execIdOf(job),
    sourceJson: JSON.stringify(input.source ?? {}),
    sourceTailor: '',
    engineStartTime: job.startedAt,
    labels: [`engineType:${engineType}`, `userCreator:${executeUserOf(job)}-${creator}`, `codeType:${runType}`],
    canRetry: false,
    observeInfo: null,
    isReuse: false,
    requestStartTime: job.createdAt,
    requestEndTime: job.finishedAt,
    requestSpendTime: cost,
    metrics: {},
    engineLogPath: logPathOf(job),
    ecmInstance: INSTANCE,
    ticketId: null,
    subJobs: null,
  }
  return vo
}

/** The most of a job's code a history list row carries (the Code tab reads it whole from job-extra-info). */
export const LIST_CODE_LIMIT = 64 * 1024

/**
 * A QueryTaskVO of a history list (jobhistory/list, listundonetasks): with executionCode, as upstream's
 * list, cut at LIST_CODE_LIMIT, and errDesc as lists show a reason (store/reasons.ts).
 */
export function listTaskVO(job: JobRecord, waitsForRetry: (jobId: number) => boolean): Record<string, unknown> {
  const vo = queryTaskVO(job, waitsForRetry, false)
  const code = vo.executionCode
  if (typeof code === 'string' && code.length > LIST_CODE_LIMIT) vo.executionCode = `${code.slice(0, LIST_CODE_LIMIT)}…`
  if (typeof vo.errDesc === 'string') vo.errDesc = listedReason(vo.errDesc)
  return vo
}

/** Linkis's date text in metrics ("yyyy-MM-dd HH:mm:ss", local time). */
export function linkisDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`
}

/** A duration as Linkis words it (ByteTimeUtils.msDurationToString): "850 ms", "1.2 s", "3.5 m", "1.25 h". */
export function linkisDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} m`
  return `${(ms / 3_600_000).toFixed(2)} h`
}
