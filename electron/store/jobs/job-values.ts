// A job's input, context and result: one job_values row each (migration 014), read as parsed
// values by JOB_SELECT, or here as stored text, bytes or slices without parsing (#9 §2).
import type { Db } from '../connection'
import type { StoredSlices } from '../raw-json'

/** The job_values rows of a job (migration 014): its input, its context, its result. */
export type JobValueName = 'input' | 'context' | 'result'

/**
 * The job_values statements: `putValue` / `writeValue` (null deletes) for the job's rows, and the
 * repository's reads of a stored value (stateText, stateBytes, stateSlices, stateHasKeyPrefix).
 */
export function createJobValues(db: Db) {
  // a job's input, context and result: one job_values row each (migration 014), written only when set or changed
  const putValue = db.prepare<[number, JobValueName, string]>(
    'INSERT INTO job_values (job_id, name, value) VALUES (?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET value = excluded.value',
  )
  const deleteValue = db.prepare<[number, JobValueName]>('DELETE FROM job_values WHERE job_id = ? AND name = ?')
  const writeValue = (jobId: number, name: JobValueName, text: string | null): void => {
    if (text === null) deleteValue.run(jobId, name)
    else putValue.run(jobId, name, text)
  }
  const selectValue = db.prepare<[number, JobValueName], { value: string }>('SELECT value FROM job_values WHERE job_id = ? AND name = ?')
  // a finished job's stored value read a slice at a time (raw-json.ts StoredSlices): SQLite copies only the slice out
  const selectValueSize = db.prepare<[number, JobValueName], { n: number }>('SELECT length(CAST(value AS BLOB)) AS n FROM job_values WHERE job_id = ? AND name = ?')
  const selectValueSlice = db.prepare<[number, number, number, JobValueName], { value: Buffer | null }>(
    'SELECT substr(CAST(value AS BLOB), ?, ?) AS value FROM job_values WHERE job_id = ? AND name = ?',
  )
  const selectHasKeyPrefix = db.prepare<[string, string, number, JobValueName], { yes: number }>(
    // json_valid first: SQLite's JSON functions refuse a value nested past 1,000 levels ("malformed
    // JSON"), which a context could be before stateJson capped depth; such a value has no route keys
    'SELECT CASE WHEN json_valid(v.value) THEN EXISTS (SELECT 1 FROM json_each(v.value) WHERE substr(key, 1, length(?)) = ?) ELSE 0 END AS yes FROM job_values v WHERE job_id = ? AND name = ?',
  )
  // the stored UTF-8 bytes as they are: no decoding into a string (a 4 MB value took 20+ ms to decode, #9 §2)
  const selectValueBytes = db.prepare<[number, JobValueName], { value: Buffer }>('SELECT CAST(value AS BLOB) AS value FROM job_values WHERE job_id = ? AND name = ?')
  const selectJobExists = db.prepare<[number], { id: number }>('SELECT id FROM jobs WHERE id = ?')

  return {
    putValue,
    writeValue,
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
  }
}
