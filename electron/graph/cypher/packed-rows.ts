// A Cypher result's rows as JSON bytes, built in the query worker and moved to the main thread
// (transferred, not cloned). 199,999 rows cloned as arrays held the main thread 4.4-4.8 s (the
// clone, then its garbage, #9 §2); as bytes they cross in no time, an HTTP answer writes them as
// they are (http/json-stream.ts), and a job parses and stores them a step at a time
// (executors/result-steps.ts appendInSteps).
import type { CypherAnswer } from '../worker/protocol'
import type { CypherResult } from './run'

/** Rows as JSON: `json` the UTF-8 bytes of one array `[row0,row1,…]`; `ends[i]` the byte offset just past row i. */
export interface PackedRows {
  json: Uint8Array
  ends: Float64Array
}

/** A CypherResult whose rows are packed. */
export type PackedResult = Omit<CypherResult, 'rows'> & { rows: PackedRows }

/** Packs `rows` (cells in TuGraph's JSON encoding, which JSON keeps as they are). For the worker side. */
export function packRows(rows: unknown[][]): PackedRows {
  const texts = rows.map((row) => JSON.stringify(row))
  const ends = new Float64Array(texts.length)
  let at = 1 // past the `[`
  texts.forEach((text, i) => {
    at += Buffer.byteLength(text)
    ends[i] = at
    at += 1 // the `,` or the closing `]`
  })
  // a buffer of its own (TextEncoder's), never a slice of Node's shared pool: it is transferred
  return { json: new TextEncoder().encode(`[${texts.join(',')}]`), ends }
}

/** The objects a worker transfers with a packed result (they are gone from its side afterwards). */
export const packedTransfer = (p: PackedRows): ArrayBuffer[] => [p.json.buffer as ArrayBuffer, p.ends.buffer as ArrayBuffer]

/** The packed rows' JSON (`[…]`) as a Buffer over the same memory, for an answer that writes it as it is. */
export const packedJson = (p: PackedRows): Buffer => Buffer.from(p.json.buffer, p.json.byteOffset, p.json.byteLength)

/**
 * The rows of a Cypher answer, however they crossed: `count` of them, and `slice(from, to)` parsing
 * rows [from, to) only (a few hundred KB for a step of a thousand rows).
 */
export interface RowSource {
  count: number
  slice(from: number, to: number): unknown[][]
}

/** A RowSource over rows already parsed (a small answer, or a test's). */
export const arrayRows = (rows: unknown[][]): RowSource => ({ count: rows.length, slice: (from, to) => rows.slice(from, to) })

/** A RowSource over packed rows. */
export function packedRows(p: PackedRows): RowSource {
  const bytes = packedJson(p)
  return {
    count: p.ends.length,
    slice(from, to) {
      to = Math.min(to, p.ends.length)
      if (from >= to) return []
      const start = from === 0 ? 1 : p.ends[from - 1] + 1
      return JSON.parse(`[${bytes.toString('utf8', start, p.ends[to - 1])}]`) as unknown[][]
    },
  }
}

/** A query's result with its rows as a RowSource, however they crossed; undefined for TuGraph's JSON (`jsonFormat`), which has none. */
export function cypherRows(answer: CypherAnswer): (Omit<CypherResult, 'rows'> & { rows: RowSource }) | undefined {
  if ('packed' in answer) return { ...answer.packed, rows: packedRows(answer.packed.rows) }
  if ('result' in answer) return { ...answer.result, rows: arrayRows(answer.result.rows) }
  return undefined
}
