// A task as stored (the tasks row, its spec in the row or in task_specs) and as the engine holds
// it: the record types, the row type, and the mapping between them.
import type { StoredTaskTry } from '../../../shared/model'
import type { TaskStatus } from '../../../shared/status'
import { fromJson, toJson } from '../connection'

/** The full stored state of a task row with its spec; the engine keeps this shape in memory. */
export interface TaskRecord {
  id: number
  jobId: number
  name: string
  executor: string
  status: TaskStatus
  dependsOn: string[]
  /** What the executor runs (a script's code, a Rill Flow task's definition): stored at submit; a large one is never rewritten (TASK_SPEC_INLINE_MAX). */
  spec: Record<string, unknown>
  /** Tries within the current attempt, from 1 again after a redo (0 before the first run): the try, not the attempt's number (shared/task-attempts.ts). */
  attempt: number
  maxAttempts: number
  timeoutMs: number | null
  backoffMs: number
  input: unknown
  output: unknown
  error: string | null
  runtime: Record<string, unknown> | null
  runAfter: number | null
  startedAt: number | null
  finishedAt: number | null
  /** Finished tries, oldest first (the invoke history; the last 50). */
  attempts: StoredTaskTry[]
}

/** A task to store (defaults: no dependencies, spec `{}`, one attempt, no timeout, 1 s backoff). */
export type NewTask = Pick<TaskRecord, 'name' | 'executor'> &
  Partial<Pick<TaskRecord, 'dependsOn' | 'spec' | 'maxAttempts' | 'timeoutMs' | 'backoffMs' | 'input'>>

/** A tasks row as SQLite gives it (TASK_SELECT's columns). */
export interface TaskRow {
  id: number
  job_id: number
  name: string
  executor: string
  status: string
  depends_on: string
  spec: string
  /** Which keys of the spec are stored as parts (migration 027): key → part id, as JSON; NULL or absent when none. */
  spec_parts?: string | null
  attempt: number
  max_attempts: number
  timeout_ms: number | null
  backoff_ms: number
  input: string | null
  output: string | null
  error: string | null
  runtime: string | null
  run_after: number | null
  started_at: number | null
  finished_at: number | null
  attempts: string
}

/** A tasks row as a TaskRecord: JSON columns parsed (`[]` / `{}` where a list or object is unset). */
export const toTask = (r: TaskRow): TaskRecord => ({
  id: r.id,
  jobId: r.job_id,
  name: r.name,
  executor: r.executor,
  status: r.status as TaskStatus,
  dependsOn: fromJson<string[]>(r.depends_on) ?? [],
  spec: fromJson<Record<string, unknown>>(r.spec) ?? {},
  attempt: r.attempt,
  maxAttempts: r.max_attempts,
  timeoutMs: r.timeout_ms,
  backoffMs: r.backoff_ms,
  input: fromJson(r.input),
  output: fromJson(r.output),
  error: r.error,
  runtime: fromJson<Record<string, unknown>>(r.runtime),
  runAfter: r.run_after,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  attempts: fromJson<StoredTaskTry[]>(r.attempts) ?? [],
})

/**
 * The record of a task as the store adds it (insertTasks): pending, no attempt yet, the other columns
 * as their defaults (migrations) leave them, keys in toTask's order; `input` is a copy through JSON,
 * as it is stored. `id` is the caller's (the engine's stand-in for a task not stored yet, Engine.addTasks).
 */
export function newTaskRecord(jobId: number, t: NewTask, id: number): TaskRecord {
  return {
    id,
    jobId,
    name: t.name,
    executor: t.executor,
    status: 'pending',
    dependsOn: t.dependsOn ?? [],
    spec: t.spec ?? {},
    attempt: 0,
    maxAttempts: t.maxAttempts ?? 1,
    timeoutMs: t.timeoutMs ?? null,
    backoffMs: t.backoffMs ?? 1000,
    input: fromJson(toJson(t.input)),
    output: null,
    error: null,
    runtime: null,
    runAfter: null,
    startedAt: null,
    finishedAt: null,
    attempts: [],
  }
}
