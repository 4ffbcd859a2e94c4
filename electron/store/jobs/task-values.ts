// How views read tasks' inputs and outputs without parsing large ones: as RawJson of the stored
// JSON (raw-json.ts), whole or a slice at a time (TaskValues).
import type { Db } from '../connection'
import { RAW_VALUE_BYTES, RawJson } from '../raw-json'
import { toTask, type TaskRecord, type TaskRow } from './task-records'
import { TASK_SPEC_SQL } from './task-specs'

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
export const storedValueColumns = (headFields: boolean): string => `CASE WHEN octet_length(t.input) > ${RAW_VALUE_BYTES} THEN NULL ELSE t.input END AS input,
  CASE WHEN octet_length(t.input) > ${RAW_VALUE_BYTES} THEN octet_length(t.input) END AS input_bytes,
  CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN NULL ELSE t.output END AS output,
  CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN octet_length(t.output) END AS output_bytes,
  ${
    headFields
      ? `CASE WHEN octet_length(t.output) > ${RAW_VALUE_BYTES} THEN CASE WHEN json_valid(t.output) THEN CASE WHEN json_type(t.output) = 'object'
    THEN json_object(${OUTPUT_HEAD_FIELDS.map((f) => `'${f}', t.output -> '$.${f}'`).join(', ')}) END END END`
      : 'NULL'
  } AS output_fields`
/** storedValueColumns with the head fields. */
export const STORED_VALUE_COLUMNS = storedValueColumns(true)

/** A task row read with STORED_VALUE_COLUMNS. */
export type StoredValuesRow = TaskRow & { input_bytes: number | null; output_bytes: number | null; output_fields: string | null }

/** A whole task as TASK_SELECT reads it, its input and output as STORED_VALUE_COLUMNS do. */
export const TASK_VIEW_SELECT = `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, ${TASK_SPEC_SQL.spec} AS spec, ${TASK_SPEC_SQL.parts} AS spec_parts, t.attempt, t.max_attempts,
  t.timeout_ms, t.backoff_ms, ${STORED_VALUE_COLUMNS}, t.error, t.runtime, t.run_after, t.started_at, t.finished_at, t.attempts
  FROM tasks t ${TASK_SPEC_SQL.join}`

/**
 * The reads of tasks' stored inputs and outputs as UTF-8 bytes: `toStoredTask` maps a row read with
 * STORED_VALUE_COLUMNS to a TaskRecord whose large input and output are RawJson (TaskValues).
 */
export function createStoredTaskValues(db: Db) {
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
  return { toStoredTask }
}
