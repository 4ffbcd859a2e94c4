// A job's input, context and result: one job_values row each (migration 014), read as parsed
// values by JOB_SELECT, or here as stored text, bytes or slices without parsing (#9 §2). A context
// submitted as its input plus a key is stored as a tail after the input (migration 023).
import type { Db } from '../connection'
import type { StoredSlices } from '../raw-json'
import { INPUT_BYTES_SQL, VALUE_BYTES_SQL, VALUE_TEXT_SQL } from './job-records'

/** The job_values rows of a job (migration 014): its input, its context, its result. */
export type JobValueName = 'input' | 'context' | 'result'

/**
 * Whether `value`, stored as JSON, is an object with a top-level key starting with `__` (the
 * `__<route>` sub-contexts of executions stored before #14, which views leave out): true or false
 * for plain data (JSON-parsed values, plain objects, arrays, primitives), null when its JSON cannot
 * be told from its keys (an object of a class, which may serialize as anything). Looks at the keys
 * only, and stops at the first such key.
 */
export function hasRouteKeys(value: unknown): boolean | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return null
  for (const key in value) {
    if (!key.startsWith('__') || !Object.hasOwn(value, key)) continue
    const v = (value as Record<string, unknown>)[key]
    // JSON.stringify leaves out such keys: the stored text has no key for them
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') return true
  }
  return false
}

/**
 * Where a key starting with `__` could begin in JSON text: a quote, then two underscores, each as
 * itself or escaped. Text without a match has no such key at any depth; a regular expression finds
 * that in ~1 ms over 4 MB, where walking a 60,000-key object's keys took tens of ms.
 */
const ROUTE_KEY_TEXT = /"(?:_|\\u005[fF])(?:_|\\u005[fF])/

/**
 * job_values.route_keys of a context stored as `texts` (its JSON, in parts) that are the JSON of
 * `value`: 0 when no text could hold such a key, else hasRouteKeys of the value (NULL: not known).
 */
function routeKeysColumn(texts: readonly string[], value: unknown): 0 | 1 | null {
  if (!texts.some((t) => ROUTE_KEY_TEXT.test(t))) return 0
  const known = hasRouteKeys(value)
  return known === null ? null : known ? 1 : 0
}

/**
 * The job_values statements: `insertValues` (a new job's input and context), `writeValue` (a
 * save: null deletes), and the repository's reads of a stored value (stateText, stateBytes,
 * stateSlices, contextHasRouteKeys).
 */
export function createJobValues(db: Db) {
  // a deleted job's values stay until row-sweeper.ts removes them (they may be megabytes): no read finds them meanwhile
  const LIVE = 'AND EXISTS (SELECT 1 FROM jobs WHERE jobs.id = v.job_id)'
  // a job's input, context and result: one job_values row each (migration 014), written only when set or changed
  // weight: what the value's shape weighs past its characters in held work (migration 048; 0 at insert: a new
  // job's input counts its weight in jobs.input_weight, twice, and its context is the input's copy)
  const putValue = db.prepare<[number, JobValueName, string, number | null, 0 | 1 | null, number]>(
    `INSERT INTO job_values (job_id, name, value, input_prefix, route_keys, weight) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id, name) DO UPDATE SET value = excluded.value, input_prefix = excluded.input_prefix, route_keys = excluded.route_keys, weight = excluded.weight`,
  )
  const deleteValue = db.prepare<[number, JobValueName]>('DELETE FROM job_values WHERE job_id = ? AND name = ?')
  const selectValue = db.prepare<[number, JobValueName], { value: string }>(`SELECT ${VALUE_TEXT_SQL} AS value FROM job_values v WHERE job_id = ? AND name = ? ${LIVE}`)
  // a finished job's stored value read a slice at a time (raw-json.ts StoredSlices): SQLite copies only the slice out
  const selectValueSize = db.prepare<[number, JobValueName], { n: number }>(`SELECT ${VALUE_BYTES_SQL} AS n FROM job_values v WHERE job_id = ? AND name = ? ${LIVE}`)
  // a context stored after its input (migration 023) is sliced from whichever row holds the slice's bytes, not
  // rebuilt whole (a copy of the input and a concatenation) for every slice: a slice of the tail reads no input at all
  const selectValueSlice = db.prepare<[{ from: number; length: number; id: number; name: JobValueName }], { value: Buffer | null }>(
    `SELECT CASE WHEN v.input_prefix IS NULL THEN substr(CAST(v.value AS BLOB), @from, @length)
       WHEN @from > v.input_prefix THEN substr(CAST(v.value AS BLOB), @from - v.input_prefix, @length)
       WHEN @from + @length - 1 <= v.input_prefix THEN substr(${INPUT_BYTES_SQL}, @from, @length)
       ELSE CAST(substr(${INPUT_BYTES_SQL}, @from, v.input_prefix - @from + 1) || substr(CAST(v.value AS BLOB), 1, @length - (v.input_prefix - @from + 1)) AS BLOB) END AS value
     FROM job_values v WHERE job_id = @id AND name = @name ${LIVE}`,
  )
  const selectRouteKeys = db.prepare<[number], { known: 0 | 1 | null }>(`SELECT route_keys AS known FROM job_values v WHERE job_id = ? AND name = 'context' ${LIVE}`)
  const walkRouteKeys = db.prepare<[number], { yes: number }>(
    // for rows stored before migration 023 (route_keys NULL). json_valid first: SQLite's JSON functions refuse a value
    // nested past 1,000 levels ("malformed JSON"), which a context could be before stateJson capped depth; such a value has no route keys
    `SELECT CASE WHEN json_valid(t.value) THEN EXISTS (SELECT 1 FROM json_each(t.value) WHERE substr(key, 1, 2) = '__') ELSE 0 END AS yes
     FROM (SELECT ${VALUE_TEXT_SQL} AS value FROM job_values v WHERE job_id = ? AND name = 'context' ${LIVE}) t`,
  )
  // the stored UTF-8 bytes as they are: no decoding into a string (a 4 MB value took 20+ ms to decode, #9 §2)
  const selectValueBytes = db.prepare<[number, JobValueName], { value: Buffer }>(`SELECT CAST(${VALUE_TEXT_SQL} AS BLOB) AS value FROM job_values v WHERE job_id = ? AND name = ? ${LIVE}`)
  const selectJobExists = db.prepare<[number], { id: number }>('SELECT id FROM jobs WHERE id = ?')

  return {
    /**
     * Stores a new job's input and context (call inside its transaction): each as its JSON text (null:
     * none) with `value`, what the text is the JSON of (the context's route_keys is found from them).
     * `contextTail`, given instead of a context text: the context's JSON is the input's text without
     * its closing `}` (and whitespace after it), followed by this tail (an object with keys added); it
     * is stored as the tail alone (migration 023), not as a second copy of the input.
     */
    insertValues(jobId: number, input: { text: string | null; value: unknown }, context: { text: string | null; tail?: string; value: unknown }): void {
      if (input.text !== null) putValue.run(jobId, 'input', input.text, null, null, 0)
      if (context.tail !== undefined && input.text !== null) {
        const kept = input.text.trimEnd().length - 1
        // bytes of the input's text before its closing brace: measured from the end (a few characters), not by copying the text's start
        const prefix = Buffer.byteLength(input.text) - Buffer.byteLength(input.text.slice(kept))
        putValue.run(jobId, 'context', context.tail, prefix, routeKeysColumn([input.text, context.tail], context.value), 0)
      } else if (context.text !== null) putValue.run(jobId, 'context', context.text, null, routeKeysColumn([context.text], context.value), 0)
    },
    /**
     * Saves (text) or deletes (null) the job's `name` value; `value` is what `text` is the JSON of (a
     * context's route_keys is found from them); `weight`: what its shape weighs past its characters in
     * held work (store/state-json.ts heldWeightPastChars), summed into jobs.state_weight (migration 048).
     */
    writeValue(jobId: number, name: Exclude<JobValueName, 'input'>, text: string | null, value: unknown, weight = 0): void {
      if (text === null) deleteValue.run(jobId, name)
      else putValue.run(jobId, name, text, null, name === 'context' ? routeKeysColumn([text], value) : null, weight)
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
        slice: (from, length) => selectValueSlice.get({ from: from + 1, length, id, name })?.value ?? undefined,
      }
    },
    /**
     * Whether a job's stored context is a JSON object with a top-level key starting with `__`
     * (hasRouteKeys), false when it has none: as stored with it since migration 023. For one stored
     * before (or not known), `live` is looked at when given (a running job's context, which the
     * stored one has the keys of), else SQLite walks the stored one (nothing is read into JS;
     * json_each over 4 MB took ~50 ms under load).
     */
    contextHasRouteKeys(id: number, live?: Record<string, unknown> | null): boolean {
      const known = selectRouteKeys.get(id)
      if (!known) return false
      if (known.known !== null) return known.known === 1
      return (live !== undefined ? hasRouteKeys(live) : null) ?? walkRouteKeys.get(id)?.yes === 1
    },
  }
}
