// Large lists and maps stored once per job however many of its rows hold them (task_spec_parts,
// migrations 027 and 029): a foreach's sub-task specs share their definition, and its groups'
// sub-contexts a constant mapped into them. The one place that stores, finds and reads parts.
import { createHash } from 'node:crypto'
import type { Db } from '../connection'
import { deepFreeze } from '../../read-only'
import { MAX_JSON_DEPTH } from '../../../shared/json-limits'

/**
 * Parsed parts kept across reads, by part id: most characters of their texts together. A status
 * poll of a running foreach read its tasks' specs, and parsed its definition (a 1 MB constant in it:
 * ~15-40 ms under load) on every poll; a part never changes, and its id is never given again.
 */
export const PARSED_PARTS_MAX_CHARS = 8 << 20

/** Most parsed parts kept across reads (PARSED_PARTS_MAX_CHARS bounds their size). */
export const PARSED_PARTS_MAX = 64

/** How many parts were parsed from their text since the process started (tests count them). */
let partsParsed = 0
export const partsParsedCount = (): number => partsParsed

/** One store's parts: see createJobParts. */
export type JobParts = ReturnType<typeof createJobParts>

/**
 * The parts of `db`'s jobs. `id` stores a part (or finds the one stored for the same object, the
 * objects given being never changed afterwards, or the job's part of the same text), `knownText`
 * gives the JSON text of an object stored or read here before, and `read` a part parsed, shared by
 * every read that asks for it while it is kept (PARSED_PARTS_MAX_CHARS): callers must not change it
 * (`frozen`: it is frozen through, for callers that write copies of what they change, as a group's
 * sub-context does).
 */
export function createJobParts(db: Db) {
  const insertPart = db.prepare<[number, string, string]>('INSERT INTO task_spec_parts (job_id, text, hash) VALUES (?, ?, ?)')
  const partByHash = db.prepare<[number, string], { id: number }>('SELECT id FROM task_spec_parts WHERE job_id = ? AND hash = ? LIMIT 1')
  const partExists = db.prepare<[number, number], { found: number }>('SELECT 1 AS found FROM task_spec_parts WHERE id = ? AND job_id = ?')
  const selectPart = db.prepare<[number], { text: string; job_id: number }>('SELECT text, job_id FROM task_spec_parts WHERE id = ?')
  // By object stored as a part: its JSON text and the part that holds it, by job. A foreach's batches
  // share them: each batch would serialize a 1 MB definition again. An id is checked before use (its
  // commit may have been undone).
  const known = new WeakMap<object, { text: string; hash?: string; ids: Map<number, number> }>()
  // parsed parts by id, least recently read first (Map order), with their texts' characters
  const parsed = new Map<number, { value: unknown; chars: number }>()
  let parsedChars = 0

  function keep(id: number, value: unknown, chars: number): void {
    if (chars > PARSED_PARTS_MAX_CHARS) return
    parsed.set(id, { value, chars })
    parsedChars += chars
    for (const [old, entry] of parsed) {
      if (parsedChars <= PARSED_PARTS_MAX_CHARS && parsed.size <= PARSED_PARTS_MAX) break
      parsed.delete(old)
      parsedChars -= entry.chars
    }
  }

  return {
    /** The JSON text of `value` if it was stored as a part, or read from one, before (the object is not changed once given). */
    knownText(value: object): string | undefined {
      return known.get(value)?.text
    },
    /**
     * The id of the part of job `jobId` holding `value` (its JSON `text`), stored now if the job has
     * no part of that text yet (found by its hash, migration 031: a value made again with the same
     * text, a bundle of small shared values, finds its part); call inside the caller's transaction.
     * `checked`: ids found stored in this transaction.
     */
    id(jobId: number, value: object, text: string, checked: Set<number>): number {
      let entry = known.get(value)
      if (!entry) known.set(value, (entry = { text, ids: new Map() }))
      const id = entry.ids.get(jobId)
      if (id !== undefined && (checked.has(id) || partExists.get(id, jobId))) {
        checked.add(id)
        return id
      }
      if (entry.ids.size >= 64) entry.ids.clear() // one descriptor's definition, run by many executions: the latest ones
      const hash = (entry.hash ??= textHash(entry.text))
      const found = partByHash.get(jobId, hash)?.id ?? Number(insertPart.run(jobId, entry.text, hash).lastInsertRowid)
      entry.ids.set(jobId, found)
      checked.add(found)
      return found
    },
    /**
     * Part `id` parsed (null when there is none), shared and kept as the module says; `frozen`: frozen
     * through. `read`: the parts of one read, by id, so that its rows share a part even when it is too
     * large to keep (a foreach's 100k sub-tasks read together parse their definition once).
     */
    read(id: number, frozen = false, read?: Map<number, unknown>): unknown {
      if (read?.has(id)) return read.get(id)
      let entry = parsed.get(id)
      if (entry) {
        parsed.delete(id) // most recently read: last
        parsed.set(id, entry)
      } else {
        const row = selectPart.get(id)
        const text = row?.text
        if (text !== undefined) partsParsed++
        const value: unknown = text === undefined ? null : JSON.parse(text)
        // saving the object again (a group's sub-context holding it, after a restart) finds this part
        if (row && typeof value === 'object' && value !== null) known.set(value, { text: row.text, ids: new Map([[row.job_id, id]]) })
        entry = { value, chars: text?.length ?? 0 }
        keep(id, value, entry.chars)
      }
      if (frozen && typeof entry.value === 'object' && entry.value !== null) deepFreeze(entry.value, MAX_JSON_DEPTH)
      read?.set(id, entry.value)
      return entry.value
    },
  }
}

/** The hash a part is found by (migration 031): SHA-256 of its text, base64; equal hashes are taken for equal texts. */
function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}
