// The most bytes a CSV export can write under its options, known before it is written: what decides
// whether a small export may be written on the main thread (in-process-export.ts; atk39, atk40).
import type { CsvFormat } from './format'

/** Bytes a charset may write per byte of UTF-8 at worst: utf-16 doubles ASCII, gb18030 writes some 2-byte characters in 4; utf-32 quadruples. */
const charsetWidth = (charset: string): number => (/^utf-?8$/i.test(charset) ? 1 : /^(utf-?32|ucs-?4)/i.test(charset) ? 4 : 2)

/**
 * The most bytes a CSV of `rows` rows and `cells` cells, from `stored` UTF-16 code units of stored rows
 * (result.repository.ts counts a set's size as JavaScript string length) and a header whose column
 * names are `header` bytes of UTF-8, can write under `o` (`columns`: the columns written), before
 * its byte cap (csvField's rules): each unit at most 3 bytes of UTF-8 (a CJK character is one unit and
 * three bytes, atk40; a quote, doubled, two), each cell its stored text or `nullValue`, every quote in
 * it doubled, enclosed in quotes, a formula neutraliser and a separator; a line end a row, a
 * header of column names; all of it times the charset's width, plus a byte-order mark.
 */
export function csvWorstBytes(o: CsvFormat & { nullValue: string; columns: number[] }, stored: number, rows: number, cells: number, header: number): number {
  const perCell = 2 * Buffer.byteLength(o.nullValue) + 3 + Buffer.byteLength(o.separator)
  const utf8 = 3 * (stored + header) + (cells + o.columns.length) * perCell + (rows + 1) * o.lineEnd.length
  return charsetWidth(o.charset) * utf8 + 4
}
