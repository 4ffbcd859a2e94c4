// A job as stored (the jobs row and its job_values) and as the engine holds it: the record types,
// the row types, and the mapping between them. No statements here: the factories beside this file
// prepare them.
import type { JobKind } from '../../../shared/model'
import type { JobStatus } from '../../../shared/status'
import { fromJson } from '../connection'
import { FITTED_VALUE_CHARS, JOB_LABEL_LIMITS } from '../../../shared/job-labels'
import type { JsonShape } from '../../../shared/json-limits'

/** The full stored state of a job row; the engine keeps this shape in memory. */
export interface JobRecord {
  id: number
  uuid: string
  kind: JobKind
  name: string
  status: JobStatus
  progress: number
  workflowId: number | null
  parentJobId: number | null
  input: unknown
  /** Shared data of a workflow execution (Rill Flow's context); null for plain jobs. */
  context: Record<string, unknown> | null
  result: unknown
  error: string | null
  submitter: string
  labels: Record<string, string>
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
}

/**
 * The state a job being stopped (`cancelling`) ends in when not cancelled: failed or timed_out when
 * the engine stops it on its own account, either when a Rill Flow client completes it (jobs.stop_as).
 */
export type StopStatus = Extract<JobStatus, 'succeeded' | 'failed' | 'timed_out'>

/** A job to store. Its `context` (plain JSON data) becomes the stored record's: the caller must not keep changing it. */
export type NewJob = Pick<JobRecord, 'uuid' | 'kind' | 'name' | 'submitter'> &
  Partial<Pick<JobRecord, 'input' | 'labels' | 'workflowId' | 'parentJobId' | 'context'>> & {
    /**
     * The JSON text of `input` / `context` when the caller has it (a client's body as sent): stored
     * as it is instead of serializing the value again (a 4 MB context was serialized twice, #9 §2).
     * It must be JSON that parses to the same value; with inputJson, `input` becomes the stored
     * record's as given (not parsed back from the text), like `context`.
     */
    inputJson?: string
    /**
     * The JsonShape (shared/json-limits.ts: its nodes and lists and maps) of `inputJson`, when the
     * caller counted it where the text was parsed (the JSON workers do): what the held work weighs the
     * input by (shared/quotas.ts heldJsonWeight). Counted from the stored text when not given.
     */
    inputShape?: JsonShape
    contextJson?: string
    /**
     * With `inputJson`, instead of `contextJson`: the context's JSON is `inputJson` without its closing
     * `}` (and any whitespace after it), followed by this tail (`,"key":value}`): a context that is the
     * input object with keys added. Stored as the tail after the input (migration 023), so a large
     * input is not written a second time as the context. Its text must parse to `context`.
     */
    contextTail?: string
  }

/** A jobs row as SQLite gives it (JOB_SELECT's columns; `task_count` where a list counts tasks). */
export interface JobRow {
  id: number
  uuid: string
  kind: string
  name: string
  status: string
  progress: number
  workflow_id: number | null
  parent_job_id: number | null
  input: string | null
  context: string | null
  result: string | null
  error: string | null
  submitter: string
  labels: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  task_count?: number
}

/** SQL of the stored bytes of the input of the job of a job_values row `v` (whose first `input_prefix` bytes begin a context stored after it). */
export const INPUT_BYTES_SQL = "CAST((SELECT i.value FROM job_values i WHERE i.job_id = v.job_id AND i.name = 'input') AS BLOB)"

/**
 * SQL of the JSON text a job_values row `v` stands for: its value, or (a context stored with its
 * input, migration 023) the first `input_prefix` bytes of the job's input followed by its value.
 * Only a context row is ever stored so (the input and result are always whole). Callers alias the row `v`.
 */
export const VALUE_TEXT_SQL = `CASE WHEN v.input_prefix IS NULL THEN v.value
  ELSE substr(${INPUT_BYTES_SQL}, 1, v.input_prefix) || v.value END`

/** SQL of the size in bytes of the JSON text a job_values row `v` stands for, without reading it (octet_length reads the stored length). */
export const VALUE_BYTES_SQL = '(coalesce(v.input_prefix, 0) + octet_length(v.value))'

/** SQL of a whole job with its labels as `labels` gives them: its row, and its input, context and result from job_values. */
const jobSelect = (labels: string): string => `SELECT j.id, j.uuid, j.kind, j.name, j.status, j.progress, j.workflow_id, j.parent_job_id,
  (SELECT value FROM job_values v WHERE v.job_id = j.id AND v.name = 'input') AS input,
  (SELECT ${VALUE_TEXT_SQL} FROM job_values v WHERE v.job_id = j.id AND v.name = 'context') AS context,
  (SELECT value FROM job_values v WHERE v.job_id = j.id AND v.name = 'result') AS result,
  j.error, j.submitter, ${labels} AS labels, j.created_at, j.started_at, j.finished_at FROM jobs j`

/** A whole job: its row (labels whole), and its input, context and result from job_values. */
export const JOB_SELECT = jobSelect('j.labels')

/** A whole job as a view shows it (Linkis job history): JOB_SELECT with its labels as lists read them (listedLabels). Never to save or rerun. */
export const JOB_SELECT_LISTED = jobSelect(listedLabels('j.labels'))

/**
 * SQL true when the job is `@owner`'s or `@owner` is null: submitted by them or run as them
 * (labels.executeUser), as services/access.ts ownersOf reads a record. Its columns are unqualified,
 * for a query over the jobs table alone (aliased or not). The one place the store says whose a job is.
 * The jobs run as `@owner` are looked up once in the index of that label (migration 026), not read
 * from each row's labels (an old job's may be megabytes).
 */
export const JOB_OWNER_SQL =
  "(@owner IS NULL OR submitter = @owner OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.executeUser') = @owner))"

/**
 * SQL for a job's labels (the column `column`) as lists, job history and views read them: whole when
 * within JOB_LABEL_LIMITS, as every job made since atk29 is (shared/job-labels.ts); a job stored
 * before with megabytes of them (a page of 50 was a 75 MB answer) gets those of them that fit, trimmed
 * in SQLite so the megabytes never reach the main thread: the rule of shared/job-labels.ts
 * fitJobLabels (JobDesk's own first, then a client's label.*; each whole or left out; a running sum
 * of bytes), which must stay alike. (SQLite's length() counts code points where JavaScript counts
 * UTF-16 units: a key or value of characters past U+FFFF near a bound may be judged apart.) The
 * labels are walked (json_each) only when their text is small: one past the bytes is never whole.
 */
export function listedLabels(column: string): string {
  const { bytes, keyChars, count } = JOB_LABEL_LIMITS
  const labelBytes = `length(CAST(key AS BLOB)) + CASE WHEN type = 'text' THEN length(CAST(value AS BLOB)) ELSE 0 END`
  const within = `count(*) <= ${count} AND coalesce(max(length(key)), 0) <= ${keyChars}`
  const fitted = `(SELECT json_group_object(key, value) FROM (
      SELECT key, value, row_number() OVER w AS n, sum(size) OVER w AS upto FROM (
        SELECT key, value, id, key GLOB 'label.*' AS client, length(CAST(key AS BLOB)) + length(CAST(value AS BLOB)) AS size FROM json_each(${column})
        WHERE length(key) <= ${keyChars} AND type = 'text' AND length(value) <= ${FITTED_VALUE_CHARS})
      WINDOW w AS (ORDER BY client, id) ORDER BY client, id)
    WHERE n <= ${count} AND upto <= ${bytes})`
  return `CASE WHEN length(CAST(${column} AS BLOB)) <= ${bytes} AND (SELECT ${within} FROM json_each(${column})) THEN ${column}
    ELSE (SELECT CASE WHEN ${within} AND coalesce(sum(${labelBytes}), 0) <= ${bytes} THEN ${column} ELSE ${fitted} END FROM json_each(${column})) END`
}

/**
 * The columns a JobSummary shows: never input, context or result, which may be megabytes each and
 * which a list (the Jobs page polls it) must neither read nor parse (#9 §2), and labels bounded (listedLabels).
 */
export const SUMMARY_COLUMNS = `j.id, j.uuid, j.kind, j.name, j.status, j.progress, j.error, j.submitter, ${listedLabels('j.labels')} AS labels, j.created_at, j.started_at, j.finished_at, j.parent_job_id`

/** The columns SUMMARY_COLUMNS reads. */
export type SummaryRow = Pick<JobRow, 'id' | 'uuid' | 'kind' | 'name' | 'status' | 'progress' | 'error' | 'submitter' | 'labels' | 'created_at' | 'started_at' | 'finished_at' | 'parent_job_id'>

/** What a JobSummary shows of a job. */
export type JobHead = Pick<JobRecord, 'id' | 'uuid' | 'kind' | 'name' | 'status' | 'progress' | 'error' | 'submitter' | 'labels' | 'createdAt' | 'startedAt' | 'finishedAt' | 'parentJobId'>

/** A row of SUMMARY_COLUMNS as a JobHead (labels parsed; `{}` when unset). */
export const toJobHead = (r: SummaryRow): JobHead => ({
  id: r.id,
  uuid: r.uuid,
  kind: r.kind as JobKind,
  name: r.name,
  status: r.status as JobStatus,
  progress: r.progress,
  error: r.error,
  submitter: r.submitter,
  labels: fromJson<Record<string, string>>(r.labels) ?? {},
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  parentJobId: r.parent_job_id,
})

/**
 * A whole job: its head (toJobHead maps those thirteen columns) with the workflow, parent and state
 * columns. The keys keep the order they always had (id … progress, workflowId … result, error …
 * finishedAt): a JobRecord is serialized into answers and events that are compared byte for byte.
 */
export const toJob = (r: JobRow): JobRecord => {
  const { error, submitter, labels, createdAt, startedAt, finishedAt, parentJobId, ...first } = toJobHead(r)
  return {
    ...first,
    workflowId: r.workflow_id,
    parentJobId,
    input: fromJson(r.input),
    context: fromJson<Record<string, unknown>>(r.context),
    result: fromJson(r.result),
    error,
    submitter,
    labels,
    createdAt,
    startedAt,
    finishedAt,
  }
}
