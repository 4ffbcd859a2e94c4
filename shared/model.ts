// Domain types as the renderer and the native API see them. Times are epoch milliseconds.
import type { JobStatus, LogLevel, TaskStatus } from './status'

export const JOB_KINDS = ['script', 'workflow', 'dag', 'algorithm', 'import'] as const
export type JobKind = (typeof JOB_KINDS)[number]

export interface JobSummary {
  id: number
  uuid: string
  kind: JobKind
  name: string
  status: JobStatus
  progress: number // 0..1
  error: string | null
  submitter: string
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  taskCount: number
  labels: Record<string, string>
}

/** One finished attempt of a task. */
export interface TaskAttempt {
  attempt: number
  startedAt: number | null
  finishedAt: number
  status: TaskStatus
  error: string | null
}

export interface TaskView {
  id: number
  name: string
  executor: string
  status: TaskStatus
  attempt: number
  maxAttempts: number
  dependsOn: string[]
  input: unknown
  output: unknown
  error: string | null
  startedAt: number | null
  finishedAt: number | null
  attempts: TaskAttempt[]
}

export interface JobDetail extends JobSummary {
  input: unknown
  result: unknown
  tasks: TaskView[]
  log: LogInfo
}

/**
 * A job's stored log. A long log keeps its first and last few MB; what went from the middle
 * is counted here and said in a WARN line where it was.
 */
export interface LogInfo {
  /** Lines stored (what jobs.logs pages through). */
  lines: number
  droppedLines: number
  /** UTF-8 bytes of the dropped lines' text. */
  droppedBytes: number
}

export interface LogLine {
  seq: number
  time: number
  level: LogLevel
  text: string
  task: string | null
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface UserView {
  username: string
  isAdmin: boolean
  mustChangePassword: boolean
}
