// What one result cell and one result row may hold. A SQL cell of 50 MB (`printf('%.*c', 50000000,
// 'x')`) once took 18 s to store and 18 s to page, and froze the server meanwhile. Like a job's log
// (engine/job-logs.ts), a result keeps the head of what is too long and says how much it dropped.
// Excel holds 32,767 characters in a cell and Linkis shows 10,000 by default; 64 Ki keeps more.

import { formatCount } from '../../shared/number-format'

/** Characters a stored cell keeps at most (text, and the hex of a blob); the rest is cut with a note. */
export const MAX_CELL_CHARS = 64 * 1024
/** Characters all the cells of one stored row keep at most; cells past it are cut to fit. */
export const MAX_ROW_CHARS = 256 * 1024
/**
 * Characters of JSON rows one result page carries at most (always at least one row), whatever its
 * row limit: 2 MB, so that a page of wide rows (2,000 columns) is read, formatted and written in a few
 * milliseconds of the main thread (a 6.5 MB one held every request 426 ms, #9 §2).
 */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024

/** A cell value as text (exports, Linkis openFile): NULL as `nullValue`, objects as JSON. */
export const cellText = (v: unknown, nullValue: string): string =>
  v === null || v === undefined ? nullValue : typeof v === 'object' ? JSON.stringify(v) : String(v)

/** The note that ends a cut cell, e.g. `… [49,934,464 more characters cut: a result cell keeps at most 65,536]`. */
export function cutNote(dropped: number, unit: 'characters' | 'bytes', keeps: number): string {
  return `… [${formatCount(dropped)} more ${unit} cut: a result cell keeps at most ${formatCount(keeps)}]`
}

/** A cell as stored and its number of characters; `cut` when part of it was dropped. */
interface Cell {
  value: unknown
  chars: number
  cut: boolean
}

/**
 * A JSON-safe cell of at most `max` characters of content (plus its note): big integers become
 * their digits; a blob becomes `x'…'` hex of its first max/2 bytes (sliced before encoding, so a
 * 1 GB blob is never hex-encoded whole); text longer than `max` keeps its first `max` characters.
 */
function capCell(v: unknown, max: number): Cell {
  if (typeof v === 'bigint') v = v.toString()
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
    const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    const keep = Math.floor(max / 2)
    if (bytes.length <= keep) return { value: `x'${bytes.toString('hex')}'`, chars: bytes.length * 2 + 3, cut: false }
    const text = `x'${bytes.subarray(0, keep).toString('hex')}'${cutNote(bytes.length - keep, 'bytes', Math.floor(MAX_CELL_CHARS / 2))}`
    return { value: text, chars: text.length, cut: true }
  }
  if (typeof v === 'string') {
    if (v.length <= max) return { value: v, chars: v.length, cut: false }
    const text = `${v.slice(0, max)}${cutNote(v.length - max, 'characters', MAX_CELL_CHARS)}`
    return { value: text, chars: text.length, cut: true }
  }
  if (v !== null && typeof v === 'object') {
    // structured cells (an import's failure details): their JSON counts, and is kept as text if cut
    const json = JSON.stringify(v) ?? ''
    return json.length <= max ? { value: v, chars: json.length, cut: false } : capCell(json, max)
  }
  return { value: v, chars: typeof v === 'number' ? 24 : 5, cut: false }
}

/**
 * A row as stored: every cell within MAX_CELL_CHARS, and all of them within MAX_ROW_CHARS (the first
 * cells keep their share; later ones are cut to what is left). `cut` counts the cells cut.
 */
export function capRow(row: readonly unknown[]): { row: unknown[]; cut: number } {
  let room = MAX_ROW_CHARS
  let cut = 0
  const out = row.map((v) => {
    const c = capCell(v, Math.max(0, Math.min(MAX_CELL_CHARS, room)))
    room -= c.chars
    if (c.cut) cut++
    return c.value
  })
  return { row: out, cut }
}
