import type { Statement } from 'better-sqlite3'
import type { JobListQuery, JobSortKey } from '../../shared/api'
import type { JobKind, JobSummary, TaskAttempt, TaskView } from '../../shared/model'
import type { JobStatus, TaskStatus } from '../../shared/status'
import { fromJson, toJson, type Db } from './connection'
import { RAW_VALUE_BYTES, RawJson, type StoredSlices } from './raw-json'
import { createJobChanges, type JobChanges } from './job-changes'
import { listedReason } from './reasons'
import { stateJson } from './state-json'

/** The SQL of each sort key of the jobs list (a fixed list: ORDER BY is never built from input). */
const SORT_COLUMNS: Record<JobSortKey, string> = {
  id: 'j.id',
  name: 'j.name',
  kind: 'j.kind',
  status: 'j.status',
  createdAt: 'j.created_at',
  duration: "(COALESCE(j.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)) - j.started_at)",
}

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

export interface TaskRecord {
  id: number
  jobId: number
  name: string
  executor: string
  status: TaskStatus
  dependsOn: string[]
  /** What the executor runs (a script's code, a Rill Flow task's definition): stored at submit; a large one is never rewritten (TASK_SPEC_INLINE_MAX). */
  spec: Record<string, unknown>
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
  /** Finished attempts, oldest first (the invoke history). */
  attempts: TaskAttempt[]
}

export interface HistoryQuery {
  ids?: number[]
  statuses?: JobStatus[]
  from?: number
  to?: number
  /** submitter or execute user */
  user?: string
  engine?: string
  creator?: string
  runType?: string
  minId?: number
  offset: number
  limit: number
}

/** A page of jobs of one kind and dialect (the Rill Flow console's execution list), newest first. */
export interface DialectJobQuery {
  kind: string
  dialect: string
  /** Exact job name (`workspace:dagName`). */
  name?: string
  /** Job names starting with this (`workspace:`). */
  namePrefix?: string
  /** Keep jobs in these statuses (all when undefined). */
  statuses?: readonly string[]
  /** Created after this (epoch ms, exclusive) … */
  after?: number
  /** … and at or before this. */
  until?: number
  /** Only jobs submitted by or run as this user. */
  owner?: string
  offset: number
  limit: number
}

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
    contextJson?: string
  }
export type NewTask = Pick<TaskRecord, 'name' | 'executor'> &
  Partial<Pick<TaskRecord, 'dependsOn' | 'spec' | 'maxAttempts' | 'timeoutMs' | 'backoffMs' | 'input'>>

interface JobRow {
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

interface TaskRow {
  id: number
  job_id: number
  name: string
  executor: string
  status: string
  depends_on: string
  spec: string
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

const toTask = (r: TaskRow): TaskRecord => ({
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
  attempts: fromJson<TaskAttempt[]>(r.attempts) ?? [],
})

/**
 * The JSON characters of the largest spec kept in its task's row; a larger one is stored in
 * task_specs (migration 019), once. SQLite rewrites a whole row on every UPDATE, so a status change
 * of a task whose row held a script's code (720 kB, #9) rewrote the code; a row of a few hundred
 * bytes more shares the page a status change writes anyway. Keeping small specs in the row spares
 * a foreach of 100k tasks a second insert per task (bench/task-spec-save.ts: every spec in
 * task_specs took 15–55% more CPU to store 50,000 small tasks, at load ~10).
 */
export const TASK_SPEC_INLINE_MAX = 2048

/**
 * SQL for a task's spec beside its row in tasks, aliased `t`: `FROM tasks t ${TASK_SPEC_SQL.join}`,
 * then `${TASK_SPEC_SQL.spec}` is its JSON text, wherever it is stored (the one place that knows):
 * in the row, in task_specs, or there with its code in the job's input (code_in_input, migration 020:
 * a script's code is stored once; json_set puts it back in its place, the spec's keys in their order).
 */
export const TASK_SPEC_SQL = {
  join: 'LEFT JOIN task_specs s ON s.task_id = t.id',
  spec: `CASE WHEN s.code_in_input = 1
    THEN json_set(s.spec, '$.code', (SELECT json_extract(v.value, '$.code') FROM job_values v WHERE v.job_id = t.job_id AND v.name = 'input'))
    ELSE COALESCE(s.spec, t.spec) END`,
} as const

/** A whole task: its row and its spec (which may be in task_specs). */
const TASK_SELECT = `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, ${TASK_SPEC_SQL.spec} AS spec, t.attempt, t.max_attempts,
  t.timeout_ms, t.backoff_ms, t.input, t.output, t.error, t.runtime, t.run_after, t.started_at, t.finished_at, t.attempts
  FROM tasks t ${TASK_SPEC_SQL.join}`

/**
 * How tasksWithoutSpec gives tasks' inputs and outputs: `parsed` as values; `none` as null (a view of
 * their states only); `stored` / `stored-settled` one over RAW_VALUE_BYTES as RawJson of its stored
 * JSON, never parsed (a view that answers it as it is, #9 §2; smaller ones parsed): `stored-settled`
 * for a finished job, whose tasks nothing rewrites, reads it a slice at a time as it is written,
 * `stored` reads it whole at once (a running job's task may be rewritten before it is written);
 * `stored-unread` as `stored-settled` without an output's head fields (which SQLite finds by reading
 * and parsing it): for a view that answers the engine's live value in its place (a running job's
 * detail), so that the stored one is not read at all.
 */
export type TaskValues = 'parsed' | 'none' | 'stored' | 'stored-settled' | 'stored-unread'

/**
 * The top-level fields of a large object output that views read beside it without parsing it (Rill
 * Flow's invoke_msg shows a function's answer's code, message and invoke id).
 */
export const OUTPUT_HEAD_FIELDS = ['error_code', 'code', 'error_msg', 'msg', 'invoke_id'] as const

/**
 * A task's input and output columns (tasks aliased `t`) as a view that answers large ones as stored
 * JSON reads them: one over RAW_VALUE_BYTES is not read, its size is (octet_length reads no text), and
 * with `headFields`, of an object output the OUTPUT_HEAD_FIELDS, as a JSON object (SQLite parses it:
 * ~1 ms for 3.6 MB, where a parse and serialize here took 80; it reads all of it from the file).
 */
const storedValueColumns = (headFields: boolean): string => `CASE WHEN octet_length(t.input) > ${RAW_VALUE_BYTES} THEN NULL ELSE t.input END AS input,
  CASE WHEN octet_length(t.input) > ${RAW_VALUE_BYTES} THEN octet_length(t.input) END AS input_bytes,
  CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN NULL ELSE t.output END AS output,
  CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN octet_length(t.output) END AS output_bytes,
  ${
    headFields
      ? `CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN CASE WHEN json_valid(t.output) THEN CASE WHEN json_type(t.output) = 'object'
    THEN json_object(${OUTPUT_HEAD_FIELDS.map((f) => `'${f}', t.output -> '$.${f}'`).join(', ')}) END END END`
      : 'NULL'
  } AS output_fields`
const STORED_VALUE_COLUMNS = storedValueColumns(true)

/** A task row read with STORED_VALUE_COLUMNS. */
type StoredValuesRow = TaskRow & { input_bytes: number | null; output_bytes: number | null; output_fields: string | null }

/** A whole task as TASK_SELECT reads it, its input and output as STORED_VALUE_COLUMNS do. */
const TASK_VIEW_SELECT = `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, ${TASK_SPEC_SQL.spec} AS spec, t.attempt, t.max_attempts,
  t.timeout_ms, t.backoff_ms, ${STORED_VALUE_COLUMNS}, t.error, t.runtime, t.run_after, t.started_at, t.finished_at, t.attempts
  FROM tasks t ${TASK_SPEC_SQL.join}`

/** The job_values rows of a job (migration 014): its input, its context, its result. */
export type JobValueName = 'input' | 'context' | 'result'

/** A whole job: its row, and its input, context and result from job_values. */
const JOB_SELECT = `SELECT j.id, j.uuid, j.kind, j.name, j.status, j.progress, j.workflow_id, j.parent_job_id,
  (SELECT value FROM job_values v WHERE v.job_id = j.id AND v.name = 'input') AS input,
  (SELECT value FROM job_values v WHERE v.job_id = j.id AND v.name = 'context') AS context,
  (SELECT value FROM job_values v WHERE v.job_id = j.id AND v.name = 'result') AS result,
  j.error, j.submitter, j.labels, j.created_at, j.started_at, j.finished_at FROM jobs j`

/**
 * The columns a JobSummary shows: never input, context or result, which may be megabytes each and
 * which a list (the Jobs page polls it) must neither read nor parse (#9 §2).
 */
const SUMMARY_COLUMNS = 'j.id, j.uuid, j.kind, j.name, j.status, j.progress, j.error, j.submitter, j.labels, j.created_at, j.started_at, j.finished_at'

type SummaryRow = Pick<JobRow, 'id' | 'uuid' | 'kind' | 'name' | 'status' | 'progress' | 'error' | 'submitter' | 'labels' | 'created_at' | 'started_at' | 'finished_at'>

/** What a JobSummary shows of a job. */
export type JobHead = Pick<JobRecord, 'id' | 'uuid' | 'kind' | 'name' | 'status' | 'progress' | 'error' | 'submitter' | 'labels' | 'createdAt' | 'startedAt' | 'finishedAt'>

const toJobHead = (r: SummaryRow): JobHead => ({
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
})

/**
 * A whole job: its head (toJobHead maps those twelve columns) with the workflow, parent and state
 * columns. The keys keep the order they always had (id … progress, workflowId … result, error …
 * finishedAt): a JobRecord is serialized into answers and events that are compared byte for byte.
 */
const toJob = (r: JobRow): JobRecord => {
  const { error, submitter, labels, createdAt, startedAt, finishedAt, ...first } = toJobHead(r)
  return {
    ...first,
    workflowId: r.workflow_id,
    parentJobId: r.parent_job_id,
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

export function toJobSummary(job: JobHead, taskCount: number): JobSummary {
  return {
    id: job.id,
    uuid: job.uuid,
    kind: job.kind,
    name: job.name,
    status: job.status,
    progress: job.progress,
    error: job.error,
    submitter: job.submitter,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    taskCount,
    labels: job.labels,
  }
}

export function toTaskView(t: TaskRecord): TaskView {
  return {
    id: t.id,
    name: t.name,
    executor: t.executor,
    status: t.status,
    attempt: t.attempt,
    maxAttempts: t.maxAttempts,
    dependsOn: t.dependsOn,
    input: t.input,
    output: t.output,
    error: t.error,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    attempts: t.attempts,
  }
}
/** A HistoryQuery's filters as the history statements' parameters (null: no filter). */
const historyParams = (q: HistoryQuery) => ({
  ids: q.ids ? JSON.stringify(q.ids) : null,
  statuses: q.statuses ? JSON.stringify(q.statuses) : null,
  from: q.from ?? null,
  to: q.to ?? null,
  user: q.user ?? null,
  engine: q.engine ?? null,
  creator: q.creator ?? null,
  runType: q.runType ?? null,
  minId: q.minId ?? null,
})

export type JobRepository = ReturnType<typeof createJobRepository>

/** `changes` hears of every write of a job's row or tasks (finished-views.ts drops its views then). */
export function createJobRepository(db: Db, now: () => number = Date.now, changes: JobChanges = createJobChanges()) {
  const insertJobRow = db.prepare(
    `INSERT INTO jobs (uuid, kind, name, status, workflow_id, parent_job_id, submitter, labels, created_at, updated_at)
     VALUES (@uuid, @kind, @name, 'queued', @workflowId, @parentJobId, @submitter, @labels, @now, @now)`,
  )
  // a job's input, context and result: one job_values row each (migration 014), written only when set or changed
  const putValue = db.prepare<[number, JobValueName, string]>(
    'INSERT INTO job_values (job_id, name, value) VALUES (?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET value = excluded.value',
  )
  const deleteValue = db.prepare<[number, JobValueName]>('DELETE FROM job_values WHERE job_id = ? AND name = ?')
  const writeValue = (jobId: number, name: JobValueName, text: string | null): void => {
    if (text === null) deleteValue.run(jobId, name)
    else putValue.run(jobId, name, text)
  }
  const insertTask = db.prepare(
    `INSERT INTO tasks (job_id, name, executor, status, depends_on, spec, max_attempts, timeout_ms, backoff_ms, input)
     VALUES (@jobId, @name, @executor, @status, @dependsOn, @spec, @maxAttempts, @timeoutMs, @backoffMs, @input)`,
  )
  // a large spec, written once at submit: nothing rewrites it (saveTask writes the tasks row only)
  const insertSpec = db.prepare<[number, string, number]>('INSERT INTO task_specs (task_id, spec, code_in_input) VALUES (?, ?, ?)')
  const selectJob = db.prepare<[number], JobRow>(`${JOB_SELECT} WHERE j.id = ?`)
  const selectJobByUuid = db.prepare<[string], JobRow>(`${JOB_SELECT} WHERE j.uuid = ?`)
  const selectJobWithoutState = db.prepare<[number], JobRow>(
    `SELECT id, uuid, kind, name, status, progress, workflow_id, parent_job_id, NULL AS input, NULL AS context, NULL AS result, error, submitter, labels, created_at, started_at, finished_at
     FROM jobs WHERE id = ?`,
  )
  const selectValue = db.prepare<[number, JobValueName], { value: string }>('SELECT value FROM job_values WHERE job_id = ? AND name = ?')
  // the stored UTF-8 bytes as they are: no decoding into a string (a 4 MB value took 20+ ms to decode, #9 §2)
  // a finished job's stored value read a slice at a time (raw-json.ts StoredSlices): SQLite copies only the slice out
  const selectTaskValueBytes = db.prepare<[number], { input: number | null; output: number | null }>(
    'SELECT octet_length(input) AS input, octet_length(output) AS output FROM tasks WHERE id = ?',
  )
  const selectValueSize = db.prepare<[number, JobValueName], { n: number }>('SELECT length(CAST(value AS BLOB)) AS n FROM job_values WHERE job_id = ? AND name = ?')
  const selectValueSlice = db.prepare<[number, number, number, JobValueName], { value: Buffer | null }>(
    'SELECT substr(CAST(value AS BLOB), ?, ?) AS value FROM job_values WHERE job_id = ? AND name = ?',
  )
  const selectHasKeyPrefix = db.prepare<[string, string, number, JobValueName], { yes: number }>(
    // json_valid first: SQLite's JSON functions refuse a value nested past 1,000 levels ("malformed
    // JSON"), which a context could be before stateJson capped depth; such a value has no route keys
    'SELECT CASE WHEN json_valid(v.value) THEN EXISTS (SELECT 1 FROM json_each(v.value) WHERE substr(key, 1, length(?)) = ?) ELSE 0 END AS yes FROM job_values v WHERE job_id = ? AND name = ?',
  )
  const selectValueBytes = db.prepare<[number, JobValueName], { value: Buffer }>('SELECT CAST(value AS BLOB) AS value FROM job_values WHERE job_id = ? AND name = ?')
  const selectJobExists = db.prepare<[number], { id: number }>('SELECT id FROM jobs WHERE id = ?')
  const selectIdByUuid = db.prepare<[string], { id: number }>('SELECT id FROM jobs WHERE uuid = ?')
  const selectTasks = db.prepare<[number], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? ORDER BY t.id`)
  // what a TaskView shows: not the spec (a script's holds its code, up to 1 MB, read and parsed on every status poll, #9 §2) nor the runtime
  const selectTasksWithoutSpec = db.prepare<[number], TaskRow>(
    `SELECT id, job_id, name, executor, status, depends_on, '{}' AS spec, attempt, max_attempts, timeout_ms, backoff_ms, input, output, error,
       NULL AS runtime, run_after, started_at, finished_at, attempts FROM tasks WHERE job_id = ? ORDER BY id`,
  )
  // as selectTasksWithoutSpec, with neither input nor output: a status needs the tasks' states only
  const selectTaskStates = db.prepare<[number], TaskRow>(
    `SELECT id, job_id, name, executor, status, depends_on, '{}' AS spec, attempt, max_attempts, timeout_ms, backoff_ms, NULL AS input, NULL AS output, error,
       NULL AS runtime, run_after, started_at, finished_at, attempts FROM tasks WHERE job_id = ? ORDER BY id`,
  )
  // as selectTasksWithoutSpec, with large inputs and outputs as STORED_VALUE_COLUMNS reads them (with `headFields`), or without their head fields
  const taskViewsStmt = (headFields: boolean) =>
    db.prepare<[number], StoredValuesRow>(
      `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, '{}' AS spec, t.attempt, t.max_attempts, t.timeout_ms, t.backoff_ms,
       ${storedValueColumns(headFields)}, t.error, NULL AS runtime, t.run_after, t.started_at, t.finished_at, t.attempts FROM tasks t WHERE t.job_id = ? ORDER BY t.id`,
    )
  const selectTaskViews = taskViewsStmt(true)
  const selectTaskSizes = taskViewsStmt(false)
  // someTasks' reads, whole, with large inputs and outputs as STORED_VALUE_COLUMNS reads them
  const selectNamedTaskViews = db.prepare<[number, string], StoredValuesRow>(
    `${TASK_VIEW_SELECT} WHERE t.job_id = ? AND t.name IN (SELECT value FROM json_each(?)) ORDER BY t.id`,
  )
  const selectPrefixedTaskViews = db.prepare<[number, string, string], StoredValuesRow>(`${TASK_VIEW_SELECT} WHERE t.job_id = ? AND substr(t.name, 1, length(?)) = ? ORDER BY t.id`)
  // a task's stored input or output as UTF-8 bytes: whole, or a slice (raw-json.ts StoredSlices; SQLite copies only the slice out)
  const taskValueReads = {
    input: {
      whole: db.prepare<[number], { value: Buffer | null }>('SELECT CAST(input AS BLOB) AS value FROM tasks WHERE id = ?'),
      slice: db.prepare<[number, number, number], { value: Buffer | null }>('SELECT substr(CAST(input AS BLOB), ?, ?) AS value FROM tasks WHERE id = ?'),
    },
    output: {
      whole: db.prepare<[number], { value: Buffer | null }>('SELECT CAST(output AS BLOB) AS value FROM tasks WHERE id = ?'),
      slice: db.prepare<[number, number, number], { value: Buffer | null }>('SELECT substr(CAST(output AS BLOB), ?, ?) AS value FROM tasks WHERE id = ?'),
    },
  }
  /** Task `id`'s stored `column` of `size` bytes as RawJson: read a slice at a time when `settled`, else whole now. */
  const storedTaskValue = (id: number, column: 'input' | 'output', size: number, settled: boolean, fields?: Record<string, unknown>): RawJson => {
    const read = taskValueReads[column]
    if (!settled) return new RawJson(read.whole.get(id)?.value ?? Buffer.from('null'), fields)
    return new RawJson({ size, slice: (from: number, length: number) => read.slice.get(from + 1, length, id)?.value ?? undefined }, fields)
  }
  /** A task read with STORED_VALUE_COLUMNS: its large input and output as RawJson (TaskValues). */
  const toStoredTask = (r: StoredValuesRow, settled: boolean): TaskRecord => {
    const task = toTask(r)
    if (r.input_bytes !== null) task.input = storedTaskValue(r.id, 'input', r.input_bytes, settled)
    if (r.output_bytes !== null) task.output = storedTaskValue(r.id, 'output', r.output_bytes, settled, r.output_fields === null ? undefined : (JSON.parse(r.output_fields) as Record<string, unknown>))
    return task
  }
  const countTasks = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM tasks WHERE job_id = ?')
  const selectUnfinished = db.prepare<[], { id: number }>(
    `SELECT id FROM jobs WHERE status IN ('queued', 'running', 'cancelling') ORDER BY id`,
  )
  const selectUnfinishedImportGraphs = db.prepare<[], { graph: string | null }>(
    `SELECT DISTINCT json_extract(labels, '$.graph') AS graph FROM jobs WHERE kind = 'import' AND status IN ('queued', 'running', 'cancelling')`,
  )
  const updateJob = db.prepare(
    `UPDATE jobs SET status = @status, progress = @progress, error = @error,
       started_at = @startedAt, finished_at = @finishedAt, updated_at = @now WHERE id = @id`,
  )
  const updateTask = db.prepare(
    `UPDATE tasks SET status = @status, attempt = @attempt, input = @input, output = @output, error = @error,
       runtime = @runtime, run_after = @runAfter, started_at = @startedAt, finished_at = @finishedAt, attempts = @attempts WHERE id = @id`,
  )
  const listWhere = `
    WHERE (@status IS NULL OR j.status = @status)
      AND (@kind IS NULL OR j.kind = @kind)
      AND (@name IS NULL OR j.name = @name)
      AND (@text IS NULL OR j.name LIKE @text ESCAPE '\\' OR j.uuid LIKE @text ESCAPE '\\' OR CAST(j.id AS TEXT) = @exact)
      AND (@from IS NULL OR j.created_at >= @from)
      AND (@to IS NULL OR j.created_at < @to)
      AND (@owner IS NULL OR j.submitter = @owner OR json_extract(j.labels, '$.executeUser') = @owner)`
  /** One prepared list statement per sort column and direction (ORDER BY cannot be a parameter). */
  const listStatements = new Map<string, Statement>()
  const listJobs = (sort: JobSortKey, order: 'asc' | 'desc'): Statement => {
    const key = `${sort} ${order}`
    let statement = listStatements.get(key)
    if (!statement) {
      const dir = order === 'asc' ? 'ASC' : 'DESC'
      // exact id/uuid matches of the search first, then the column (nulls last), ties by id
      statement = db.prepare(
        `SELECT ${SUMMARY_COLUMNS}, (SELECT count(*) FROM tasks t WHERE t.job_id = j.id) AS task_count FROM jobs j ${listWhere}
         ORDER BY (CAST(j.id AS TEXT) = @exact OR j.uuid = @exact) DESC, ${SORT_COLUMNS[sort]} IS NULL, ${SORT_COLUMNS[sort]} ${dir}, j.id ${dir}
         LIMIT @limit OFFSET @offset`,
      )
      listStatements.set(key, statement)
    }
    return statement
  }
  const countJobs = db.prepare(`SELECT count(*) AS n FROM jobs j ${listWhere}`)
  const unparentJobs = db.prepare('UPDATE jobs SET parent_job_id = NULL WHERE parent_job_id = ?')
  const deleteJob = db.prepare('DELETE FROM jobs WHERE id = ?')
  const selectRerunOf = db.prepare<[number], { rerunOf: string | null }>("SELECT json_extract(labels, '$.rerunOf') AS rerunOf FROM jobs WHERE id = ?")
  const selectChildren = db.prepare<[number], { id: number }>('SELECT id FROM jobs WHERE parent_job_id = ?')

  /**
   * Stores a job and its tasks and returns their stored records; call inside a transaction. (The
   * job's record is made from the row as written, not read back: an input or context of megabytes
   * costs a read of them for nothing (#9 §2); a nested transaction per job would add a savepoint
   * each, ~40 µs.)
   */
  function insertJob(job: NewJob, tasks: NewTask[]): { job: JobRecord; tasks: TaskRecord[] } {
    const row = {
      uuid: job.uuid,
      kind: job.kind,
      name: job.name,
      workflowId: job.workflowId ?? null,
      parentJobId: job.parentJobId ?? null,
      submitter: job.submitter,
      labels: JSON.stringify(job.labels ?? {}),
      now: now(),
    }
    const input = job.inputJson ?? toJson(job.input)
    const context = job.contextJson ?? toJson(job.context ?? undefined)
    const id = Number(insertJobRow.run(row).lastInsertRowid)
    if (input !== null) putValue.run(id, 'input', input)
    if (context !== null) putValue.run(id, 'context', context)
    const rerunOf = Number(job.labels?.rerunOf)
    if (Number.isInteger(rerunOf)) changes.changed(rerunOf) // its detail lists its reruns
    const inputCode = (job.input as { code?: unknown } | null | undefined)?.code
    const stored: JobRow = {
      id,
      uuid: row.uuid,
      kind: row.kind,
      name: row.name,
      status: 'queued',
      progress: 0,
      workflow_id: row.workflowId,
      parent_job_id: row.parentJobId,
      input,
      context,
      result: null,
      error: null,
      submitter: row.submitter,
      labels: row.labels,
      created_at: row.now,
      started_at: null,
      finished_at: null,
    }
    // the input is parsed from the text written (a copy, as a read would give: the caller may share
    // its values with the context), unless the caller gave its text (inputJson: its value is handed
    // over, as the context is); parsing 4 MB back cost 20+ ms, and a context of 30,000 keys ~30 ms (#9 §2)
    const record = toJob({ ...stored, input: job.inputJson === undefined ? input : null, context: null })
    const made = { ...record, ...(job.inputJson === undefined ? {} : { input: job.input ?? null }), context: job.context ?? null }
    return { job: made, tasks: insertTasks(id, tasks, typeof inputCode === 'string' && input !== null ? inputCode : undefined) }
  }

  /**
   * Inserts tasks of a job and returns their stored records; call inside a transaction. Each record
   * is made from the row as written, not read back (RETURNING *): a script's spec holds its code,
   * up to 1 MB, and reading it back and parsing it held the main thread ~40 ms per submission (#9 §2).
   * So a task's `spec` and `dependsOn` become its record's as given (the caller must not change them
   * afterwards); its input is parsed from the text written, a copy, as a read would give. A large
   * spec whose `code` is `inputCode` (the job's input's code, just stored) is stored without it
   * (TASK_SPEC_SQL reads it back from the input): a script's code is stored once.
   */
  function insertTasks(jobId: number, tasks: NewTask[], inputCode?: string): TaskRecord[] {
    changes.changed(jobId)
    return tasks.map((t) => {
      const dependsOn = t.dependsOn ?? []
      const spec = t.spec ?? {}
      const maxAttempts = t.maxAttempts ?? 1
      const timeoutMs = t.timeoutMs ?? null
      const backoffMs = t.backoffMs ?? 1000
      const input = toJson(t.input)
      const specText = JSON.stringify(spec)
      const inline = specText.length <= TASK_SPEC_INLINE_MAX
      const written = { jobId, name: t.name, executor: t.executor, status: 'pending', dependsOn: JSON.stringify(dependsOn), spec: inline ? specText : '{}', maxAttempts, timeoutMs, backoffMs, input }
      const id = Number(insertTask.run(written).lastInsertRowid)
      if (!inline) {
        const codeInInput = inputCode !== undefined && spec.code === inputCode
        insertSpec.run(id, codeInInput ? JSON.stringify({ ...spec, code: null }) : specText, codeInInput ? 1 : 0)
      }
      // the other columns as their defaults (migrations) leave them; keys in toTask's order
      return {
        id,
        jobId,
        name: t.name,
        executor: t.executor,
        status: 'pending',
        dependsOn,
        spec,
        attempt: 0,
        maxAttempts,
        timeoutMs,
        backoffMs,
        input: fromJson(input),
        output: null,
        error: null,
        runtime: null,
        runAfter: null,
        startedAt: null,
        finishedAt: null,
        attempts: [],
      }
    })
  }
  const byNameStmt = db.prepare(
    `SELECT id, labels, created_at FROM jobs WHERE name = @name AND kind = @kind AND status IN (SELECT value FROM json_each(@statuses))
     AND created_at < @before AND (@owner IS NULL OR submitter = @owner OR json_extract(labels, '$.executeUser') = @owner)
     ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  )
  const countByNameStmt = db.prepare(
    `SELECT count(*) AS n FROM jobs WHERE name = @name AND kind = @kind AND status IN (SELECT value FROM json_each(@statuses))
     AND created_at >= @from AND created_at < @before AND (@owner IS NULL OR submitter = @owner OR json_extract(labels, '$.executeUser') = @owner)`,
  )
  const dialectWhere = `
    WHERE kind = @kind AND json_extract(labels, '$.dialect') = @dialect
      AND (@name IS NULL OR name = @name) AND (@prefix IS NULL OR substr(name, 1, length(@prefix)) = @prefix)
      AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@after IS NULL OR created_at > @after) AND (@until IS NULL OR created_at <= @until)
      AND (@owner IS NULL OR submitter = @owner OR json_extract(labels, '$.executeUser') = @owner)`
  const dialectJobsStmt = db.prepare(`SELECT id, name, status, labels, created_at FROM jobs ${dialectWhere} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const dialectJobsCount = db.prepare(`SELECT count(*) AS n FROM jobs ${dialectWhere}`)
  const historyWhere = `
    WHERE (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))
      AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to)
      AND (@user IS NULL OR coalesce(json_extract(labels, '$.executeUser'), submitter) = @user OR submitter = @user)
      AND (@engine IS NULL OR coalesce(json_extract(labels, '$.engineType'), kind) LIKE @engine || '%')
      AND (@creator IS NULL OR json_extract(labels, '$.creator') = @creator)
      AND (@runType IS NULL OR json_extract(labels, '$.runType') = @runType)
      AND (@minId IS NULL OR id >= @minId)`
  const historyStmt = db.prepare(`${JOB_SELECT} ${historyWhere} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const historyCount = db.prepare(`SELECT count(*) AS n FROM jobs ${historyWhere}`)
  // octet_length reads a stored text's length, not the text
  const historyBytesStmt = db.prepare(
    `SELECT coalesce(sum((SELECT coalesce(sum(octet_length(v.value)), 0) FROM job_values v WHERE v.job_id = p.id)
       + (SELECT coalesce(sum(coalesce(octet_length(t.input), 0) + coalesce(octet_length(t.output), 0)), 0) FROM tasks t WHERE t.job_id = p.id)), 0) AS n
     FROM (SELECT id FROM jobs ${historyWhere} ORDER BY id DESC LIMIT @limit OFFSET @offset) p`,
  )
  const childStmt = db.prepare(`${JOB_SELECT} WHERE j.parent_job_id = ? AND json_extract(j.labels, '$.parentTask') = ? ORDER BY j.id DESC LIMIT 1`)
  const deleteTask = db.prepare('DELETE FROM tasks WHERE job_id = ? AND name = ?')
  const rerunsStmt = db.prepare<[string], { id: number }>(`SELECT id FROM jobs WHERE json_extract(labels, '$.rerunOf') = ? ORDER BY id`)
  // by the (job_id, name) index: a filter on the name read every task of a 200k-task foreach (~150 ms)
  const selectNamedTasks = db.prepare<[number, string], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? AND t.name IN (SELECT value FROM json_each(?)) ORDER BY t.id`)
  const selectPrefixedTasks = db.prepare<[number, string, string], TaskRow>(
    `${TASK_SELECT} WHERE t.job_id = ? AND substr(t.name, 1, length(?)) = ? ORDER BY t.id`,
  )
  const ancestryStmt = db.prepare<[number], { id: number }>(
    `WITH RECURSIVE up(id, parent, n) AS (SELECT id, parent_job_id, 0 FROM jobs WHERE id = ?
       UNION ALL SELECT j.id, j.parent_job_id, up.n + 1 FROM jobs j JOIN up ON j.id = up.parent WHERE up.n < 100)
     SELECT id FROM up ORDER BY n`,
  )
  const descendantsStmt = db.prepare<[number], { n: number }>(
    `WITH RECURSIVE down(id, n) AS (SELECT id, 1 FROM jobs WHERE parent_job_id = ?
       UNION ALL SELECT j.id, down.n + 1 FROM jobs j JOIN down ON j.parent_job_id = down.id WHERE down.n < 100)
     SELECT count(*) AS n FROM down`,
  )
  const failJobRow = db.prepare(`UPDATE jobs SET status = 'failed', error = @reason, finished_at = @now, updated_at = @now WHERE id = @id`)
  const failTaskRows = db.prepare(
    `UPDATE tasks SET status = 'failed', error = @reason, finished_at = @now WHERE job_id = @id AND status IN ('queued', 'running', 'cancelling')`,
  )
  const selectTaskByName = db.prepare<[number, string], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? AND t.name = ?`)

  return {
    /** Stores a job and its tasks; returns the job's id. */
    create: db.transaction((job: NewJob, tasks: NewTask[]): number => insertJob(job, tasks).job.id),
    /** Stores a batch of jobs in one transaction (all or none); returns their stored records in order. */
    createMany: db.transaction((batch: { job: NewJob; tasks: NewTask[] }[]) => batch.map(({ job, tasks }) => insertJob(job, tasks))),
    get(id: number): JobRecord | undefined {
      const row = selectJob.get(id)
      return row && toJob(row)
    },
    /**
     * The job without its input, context and result (null in the record): for views that show none of
     * them, or answer them as stored text (stateText). Each may be megabytes; nothing here parses them.
     */
    getWithoutState(id: number): JobRecord | undefined {
      const row = selectJobWithoutState.get(id)
      return row && toJob(row)
    },
    /** The stored JSON text of a job's input, context or result, unparsed: null when unset, undefined when there is no such job. */
    stateText(id: number, name: JobValueName): string | null | undefined {
      const text = selectValue.get(id, name)?.value
      if (text !== undefined) return text
      return selectJobExists.get(id) ? null : undefined
    },
    /**
     * The stored JSON of a job's input, context or result as its UTF-8 bytes (not decoded: for answers
     * that splice it, store/raw-json.ts): null when unset, undefined when there is no such job.
     */
    stateBytes(id: number, name: JobValueName): Buffer | null | undefined {
      const bytes = selectValueBytes.get(id, name)?.value
      if (bytes !== undefined) return bytes
      return selectJobExists.get(id) ? null : undefined
    },
    /**
     * A job's stored input, context or result to read a slice at a time (raw-json.ts StoredSlices),
     * for a value nothing rewrites any more (a finished job's): null when unset, undefined when
     * there is no such job. Nothing is read but its size (unless `knownSize` gives it) until a slice is asked for.
     */
    stateSlices(id: number, name: JobValueName, knownSize?: number): StoredSlices | null | undefined {
      const size = knownSize ?? selectValueSize.get(id, name)?.n
      if (size === undefined) return selectJobExists.get(id) ? null : undefined
      return {
        size,
        slice: (from, length) => selectValueSlice.get(from + 1, length, id, name)?.value ?? undefined,
      }
    },
    /** Whether the stored JSON object of a job's value has a top-level key starting with `prefix` (SQLite walks it: nothing is read into JS). */
    stateHasKeyPrefix(id: number, name: JobValueName, prefix: string): boolean {
      return selectHasKeyPrefix.get(prefix, prefix, id, name)?.yes === 1
    },
    getByUuid(uuid: string): JobRecord | undefined {
      const row = selectJobByUuid.get(uuid)
      return row && toJob(row)
    },
    /** A job's id by its uuid, without reading its state (which may be large). */
    idOfUuid(uuid: string): number | undefined {
      return selectIdByUuid.get(uuid)?.id
    },
    tasks(jobId: number): TaskRecord[] {
      return selectTasks.all(jobId).map(toTask)
    },
    /**
     * A job's tasks without their spec (`{}` in each record) and runtime (null): for views that show
     * neither (toTaskView, lists, status polls); reads the tasks rows only, never a large spec.
     * `values` says how their inputs and outputs are given (TaskValues).
     */
    tasksWithoutSpec(jobId: number, values: TaskValues = 'parsed'): TaskRecord[] {
      if (values === 'parsed') return selectTasksWithoutSpec.all(jobId).map(toTask)
      if (values === 'none') return selectTaskStates.all(jobId).map(toTask)
      if (values === 'stored-unread') return selectTaskSizes.all(jobId).map((r) => toStoredTask(r, true))
      return selectTaskViews.all(jobId).map((r) => toStoredTask(r, values === 'stored-settled'))
    },
    /** The job's id, its parent's, and so on up to its root (sub-flows), without reading the jobs. */
    ancestry(jobId: number): number[] {
      return ancestryStmt.all(jobId).map((r) => r.id)
    },
    /** How many jobs descend from the job (children, their children, …). */
    descendantCount(jobId: number): number {
      return descendantsStmt.get(jobId)?.n ?? 0
    },
    /**
     * Some tasks of a job, without reading the others (a foreach may have made 100k): those with
     * these names (a DAG's top-level tasks), or those named `prefix…`. In the order they were made.
     */
    someTasks(jobId: number, which: { names: readonly string[] } | { prefix: string }, values: 'parsed' | 'stored' | 'stored-settled' = 'parsed'): TaskRecord[] {
      if (values !== 'parsed') {
        const rows = 'names' in which ? selectNamedTaskViews.all(jobId, JSON.stringify(which.names)) : selectPrefixedTaskViews.all(jobId, which.prefix, which.prefix)
        return rows.map((r) => toStoredTask(r, values === 'stored-settled'))
      }
      const rows = 'names' in which ? selectNamedTasks.all(jobId, JSON.stringify(which.names)) : selectPrefixedTasks.all(jobId, which.prefix, which.prefix)
      return rows.map(toTask)
    },
    /**
     * The UTF-8 bytes of a task's stored input and output JSON (null: unset), read without reading
     * either (octet_length); undefined when there is no such task.
     */
    taskValueBytes(taskId: number): { input: number | null; output: number | null } | undefined {
      return selectTaskValueBytes.get(taskId)
    },
    /** One task of a job by name. */
    task(jobId: number, name: string): TaskRecord | undefined {
      const row = selectTaskByName.get(jobId, name)
      return row && toTask(row)
    },
    /** Adds tasks to an existing job (a foreach group's sub-tasks) and returns their stored records. */
    addTasks: db.transaction((jobId: number, tasks: NewTask[]): TaskRecord[] => insertTasks(jobId, tasks)),
    /** The sub-flow a parent's task started (found by the labels the child carries). */
    childOf(parentJobId: number, taskName: string): JobRecord | undefined {
      const row = childStmt.get(parentJobId, taskName) as JobRow | undefined
      return row && toJob(row)
    },
    /** Ids of the jobs that rerun this one (their `rerunOf` label), oldest first. */
    rerunsOf(jobId: number): number[] {
      return rerunsStmt.all(String(jobId)).map((r) => r.id)
    },
    /**
     * Jobs of a kind and name in some statuses, created before `before`, newest first: ids, labels and
     * times only (states may be large); only `owner`'s (submitted by or run as them) when given.
     */
    byName(name: string, kind: string, statuses: readonly string[], before: number, offset: number, limit: number, owner?: string): Pick<JobRecord, 'id' | 'labels' | 'createdAt'>[] {
      const rows = byNameStmt.all({ name, kind, statuses: JSON.stringify(statuses), before, offset, limit, owner: owner ?? null }) as Pick<JobRow, 'id' | 'labels' | 'created_at'>[]
      return rows.map((r) => ({ id: r.id, labels: fromJson<Record<string, string>>(r.labels) ?? {}, createdAt: r.created_at }))
    },
    /** How many jobs of a kind and name are in some statuses, created in [from, before); `owner` as in byName(). */
    countByName(name: string, kind: string, statuses: readonly string[], from: number, before: number, owner?: string): number {
      return (countByNameStmt.get({ name, kind, statuses: JSON.stringify(statuses), from, before, owner: owner ?? null }) as { n: number }).n
    },
    /** A page of one dialect's jobs with the query's filters, and how many match in all. */
    dialectJobs(q: DialectJobQuery): { items: Pick<JobRecord, 'id' | 'name' | 'status' | 'labels' | 'createdAt'>[]; total: number } {
      const filter = {
        kind: q.kind,
        dialect: q.dialect,
        name: q.name ?? null,
        prefix: q.namePrefix ?? null,
        statuses: q.statuses ? JSON.stringify(q.statuses) : null,
        after: q.after ?? null,
        until: q.until ?? null,
        owner: q.owner ?? null,
      }
      const rows = dialectJobsStmt.all({ ...filter, offset: q.offset, limit: q.limit }) as Pick<JobRow, 'id' | 'name' | 'status' | 'labels' | 'created_at'>[]
      const items = rows.map((r) => ({ id: r.id, name: r.name, status: r.status as JobStatus, labels: fromJson<Record<string, string>>(r.labels) ?? {}, createdAt: r.created_at }))
      return { items, total: (dialectJobsCount.get(filter) as { n: number }).n }
    },
    /** Job history with Linkis's filters; labels are matched inside the JSON column. */
    history(q: HistoryQuery): { items: JobRecord[]; total: number } {
      const params = historyParams(q)
      const rows = historyStmt.all({ ...params, limit: q.limit, offset: q.offset }) as JobRow[]
      return { items: rows.map(toJob), total: (historyCount.get(params) as { n: number }).n }
    },
    /**
     * The bytes a page of history reads besides the rows: its jobs' stored input, context and result
     * and their tasks' input and output, as stored (UTF-8); SQLite reads their lengths, not them.
     */
    historyBytes(q: HistoryQuery): number {
      return (historyBytesStmt.get({ ...historyParams(q), limit: q.limit, offset: q.offset }) as { n: number }).n
    },
    /** Drops tasks made at run time (a redone foreach's groups); call inside the caller's transaction. */
    deleteTasks(jobId: number, names: readonly string[]): void {
      changes.changed(jobId)
      for (const n of names) deleteTask.run(jobId, n)
    },
    /**
     * Fails a stored job and its queued or running tasks with `reason`, without reading its state:
     * what recovery does with a job it cannot take up, so a restart never stumbles on it again.
     */
    quarantine: db.transaction((id: number, reason: string, now: number): void => {
      changes.changed(id)
      failJobRow.run({ id, reason, now })
      failTaskRows.run({ id, reason, now })
    }),
    taskCount(jobId: number): number {
      return countTasks.get(jobId)?.n ?? 0
    },
    unfinishedIds(): number[] {
      return selectUnfinished.all().map((r) => r.id)
    },
    /** The graphs (label `graph`) of import jobs queued, running or cancelling: what dropping a graph or changing its labels waits for. */
    unfinishedImportGraphs(): string[] {
      return selectUnfinishedImportGraphs.all().flatMap((r) => (typeof r.graph === 'string' ? [r.graph] : []))
    },
    /**
     * Saves a job's row; `withContext: false` leaves the stored context as it is (a large
     * workflow context is rewritten only when it changed, not on every progress step);
     * `withResult: false` stores no result (a job whose result is its context, JobDriver.resultIsContext).
     * Throws StateNotStorableError (state-json.ts) when the context or result is too large or not JSON.
     */
    saveJob(j: JobRecord, withContext = true, withResult = true): void {
      changes.changed(j.id)
      const result = withResult ? stateJson(j.result, `the result of job ${j.id}`) : null
      const context = withContext ? stateJson(j.context ?? undefined, `the context of job ${j.id}`) : undefined
      updateJob.run({ id: j.id, status: j.status, progress: j.progress, error: j.error, startedAt: j.startedAt, finishedAt: j.finishedAt, now: now() })
      writeValue(j.id, 'result', result)
      if (context !== undefined) writeValue(j.id, 'context', context)
    },
    /** Throws StateNotStorableError (state-json.ts) when the input, output or runtime is too large or not JSON. */
    saveTask(t: TaskRecord): void {
      changes.changed(t.jobId)
      updateTask.run({
        id: t.id,
        status: t.status,
        attempt: t.attempt,
        input: stateJson(t.input, `the input of task ${t.name}`, true),
        output: stateJson(t.output, `the output of task ${t.name}`, true),
        error: t.error,
        runtime: stateJson(t.runtime ?? undefined, `the state of task ${t.name}`),
        runAfter: t.runAfter,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        attempts: JSON.stringify(t.attempts),
      })
    },
    /**
     * Jobs matching the query, newest first unless `q.sort`/`q.order` say otherwise; an exact id or
     * uuid match of `q.text` comes first. `owner` keeps those submitted by or run as that user.
     */
    list(q: JobListQuery, owner?: string): { items: JobSummary[]; total: number } {
      const text = q.text?.trim() ? `%${q.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
      const exact = q.text?.trim().replace(/^#(?=\d+$)/, '') || null
      const filter = { status: q.status ?? null, kind: q.type ?? null, name: q.name ?? null, text, exact, from: q.from ?? null, to: q.to ?? null, owner: owner ?? null }
      const rows = listJobs(q.sort ?? 'id', q.order ?? 'desc').all({ ...filter, limit: q.limit ?? 50, offset: q.offset ?? 0 }) as (SummaryRow & { task_count: number })[]
      const total = (countJobs.get(filter) as { n: number }).n
      // a list shows the head of a failure's reason (reasons.ts), as every dialect's list does
      return { items: rows.map((r) => toJobSummary({ ...toJobHead(r), error: listedReason(r.error) }, r.task_count ?? 0)), total }
    },
    /** Deletes a job with its tasks, log lines and result sets (they cascade); sub-jobs it started stay, unparented. */
    delete: db.transaction((id: number): boolean => {
      // the job, the one it reran (its reruns list) and the sub-jobs it unparents all change
      changes.changed(id)
      const rerunOf = Number(selectRerunOf.get(id)?.rerunOf)
      if (Number.isInteger(rerunOf)) changes.changed(rerunOf)
      for (const child of selectChildren.all(id)) changes.changed(child.id)
      unparentJobs.run(id)
      return deleteJob.run(id).changes > 0
    }),
  }
}
