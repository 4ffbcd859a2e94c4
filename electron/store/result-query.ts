// Sorted and filtered reads of a stored result set: the whole set is sorted or searched in SQLite,
// and one page of it comes back (Scriptis and DBeaver sort and filter the result, not the page shown).
import type { Db } from './connection'
import { cellText, MAX_PAGE_BYTES } from './result-cells'
import { stopCheckTerm } from './stop-check'

/** How to read a result set: rows matching `filter`, in the order of column `sort`. */
export interface ResultQuery {
  /** A column's index (0-based) to order by; rows keep their stored order when absent. */
  sort?: number
  order?: 'asc' | 'desc'
  /** Text a row must contain in any cell, case-insensitive (ASCII letters); empty keeps every row. */
  filter?: string
}

/**
 * How a page's rows are written: as stored (JSON arrays of values), or, for a dialect that shows every
 * cell as text (Linkis openFile), the cells of `columns` (indexes, in order) as text with NULL as `nullValue`.
 */
export interface PageShape {
  columns: number[]
  nullValue: string
}

/**
 * A page as the JSON text of its rows array, at most `maxBytes` characters of rows (always at least
 * one row): `count` rows, their 1-based numbers in the stored set, how many rows match in all, and
 * `short` when the byte budget ended it before `limit` rows (more rows follow). Without a filter,
 * `matched` is the set's row count as its meta says.
 */
export interface JsonPage {
  json: string
  count: number
  rowNumbers: number[]
  matched: number
  short: boolean
}

// A cell as the filter reads it, as the renderer shows it: NULL as "null", booleans as words, objects as JSON.
const CELL_TEXT = "lower(CASE c.type WHEN 'null' THEN 'null' WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(c.value AS TEXT) END)"
const MATCHES = `EXISTS (SELECT 1 FROM json_each(r.data) AS c WHERE instr(${CELL_TEXT}, @needle) > 0)`
// NULLs last in both directions (as a spreadsheet sorts); numbers by value before text (SQLite's type
// order); text without regard to ASCII case; ties keep the stored order. `v` is the sorted cell.
const orderBy = (v: string) => ({ asc: `${v} IS NULL, ${v} COLLATE NOCASE ASC, r.row_no`, desc: `${v} IS NULL, ${v} COLLATE NOCASE DESC, r.row_no` }) as const
const ORDER = orderBy('v')
// the sorted cell of row `r` (its column's index in @path)
const SORT_CELL = 'json_extract(r.data, @path)'

export type ResultQueries = ReturnType<typeof createResultQueries>

/**
 * The filter text folded as SQLite's lower() folds the cells: ASCII letters only. toLowerCase() would
 * also fold É to é while the cell keeps É, so the text a cell shows would not find it.
 */
const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))

/**
 * Prepared reads for ResultQuery (fixed SQL texts, every value bound). Sorting reads every row of the
 * set and so does a filter: a large set is queried off the main thread (services/result-query.ts).
 * `stopCheck` (a worker thread's throwIfStopped) is called for each row a read scans (stopCheckTerm):
 * sorting or filtering a big set is one SQLite call of seconds.
 */
export function createResultQueries(db: Db, { stopCheck }: { stopCheck?: () => void } = {}) {
  const check = stopCheckTerm(db, stopCheck) // first among the row's terms, before a filter's walk of its cells
  const select = (where: string, order: string) =>
    db.prepare<Record<string, unknown>, { data: string; row_no: number }>(
      `SELECT r.data, r.row_no, ${SORT_CELL} AS v FROM result_rows r
        WHERE r.result_set_id = @set${check}${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
  const statements = {
    plain: { none: select('', 'r.row_no'), asc: select('', ORDER.asc), desc: select('', ORDER.desc) },
    filtered: { none: select(` AND ${MATCHES}`, 'r.row_no'), asc: select(` AND ${MATCHES}`, ORDER.asc), desc: select(` AND ${MATCHES}`, ORDER.desc) },
  }
  /** The statement and parameters that read rows [offset, offset + limit) of a sorted or filtered view (limit -1: all). */
  const viewRead = (setId: number, query: ResultQuery, offset: number, limit: number) => {
    const needle = foldAscii((query.filter ?? '').trim())
    const params = { set: setId, needle, path: `$[${query.sort ?? 0}]`, limit, offset }
    return { stmt: statements[needle ? 'filtered' : 'plain'][query.sort === undefined ? 'none' : (query.order ?? 'asc')], params }
  }
  // a sorted view's row numbers in order, the rows themselves left out of the sort (cursor; a page's: `paged`)
  const sortedKeys = (where: string, order: 'asc' | 'desc', paged = false) =>
    db
      .prepare<Record<string, unknown>, number>(
        `SELECT r.row_no FROM result_rows r WHERE r.result_set_id = @set${check}${where} ORDER BY ${orderBy(SORT_CELL)[order]}${paged ? ' LIMIT @limit OFFSET @offset' : ''}`,
      )
      .pluck()
  const keyStatements = {
    plain: { asc: sortedKeys('', 'asc'), desc: sortedKeys('', 'desc') },
    filtered: { asc: sortedKeys(` AND ${MATCHES}`, 'asc'), desc: sortedKeys(` AND ${MATCHES}`, 'desc') },
  }
  const pageKeyStatements = {
    plain: { asc: sortedKeys('', 'asc', true), desc: sortedKeys('', 'desc', true) },
    filtered: { asc: sortedKeys(` AND ${MATCHES}`, 'asc', true), desc: sortedKeys(` AND ${MATCHES}`, 'desc', true) },
  }
  const rowData = db.prepare<[number, number], string>('SELECT data FROM result_rows WHERE result_set_id = ? AND row_no = ?').pluck()
  const countMatching = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM result_rows r WHERE r.result_set_id = @set${check} AND ${MATCHES}`)
  // stored order: rows read one by one until the page's byte budget, never more than it needs
  const plain = db.prepare<Record<string, unknown>, { data: string; row_no: number }>(
    `SELECT data, row_no FROM result_rows WHERE result_set_id = @set AND row_no >= @offset${check} ORDER BY row_no LIMIT @limit`,
  )

  /**
   * The stored rows numbered `rowNumbers` of the set `setId`, in that order, read one by one as they are
   * taken; one gone meanwhile (its set deleted: a page is not one snapshot) is left out.
   */
  function* byNumber(setId: number, rowNumbers: number[]): Generator<{ data: string; row_no: number }> {
    for (const rowNo of rowNumbers) {
      const data = rowData.get(setId, rowNo)
      if (data !== undefined) yield { data, row_no: rowNo }
    }
  }

  return {
    /**
     * A page as JSON text (JsonPage), for an answer that splices it in as it is: stored rows are not
     * parsed at all unless `shape` asks for their cells as text. Stops at `maxBytes` characters of
     * rows, so a page of wide rows (2,000 columns) is a few MB whatever `limit` says (#9 §2). A sorted
     * page sorts the rows' numbers (with their sorted cells), not the rows, and then reads its rows by
     * number: the sort's last step, after the last row's stop check, is then short (200,000 rows of
     * 330 bytes at offset 199,900: 73 ms, not 988 ms, and 5.7 s in all, not 23 s, at load 3).
     */
    jsonPage(set: { id: number; rowCount: number }, query: ResultQuery, offset: number, limit: number, shape?: PageShape, maxBytes = MAX_PAGE_BYTES): JsonPage {
      const setId = set.id
      const view = viewRead(setId, query, offset, limit)
      const { needle } = view.params
      const sorted = query.sort !== undefined || needle !== ''
      const { params } = view
      const keys = query.sort === undefined ? undefined : pageKeyStatements[needle ? 'filtered' : 'plain'][query.order ?? 'asc']
      const rows = keys ? byNumber(setId, keys.all(params)) : (sorted ? view.stmt : plain).iterate(params)
      const parts: string[] = []
      const rowNumbers: number[] = []
      let bytes = 2
      let short = false
      for (const r of rows) {
        let text = r.data
        if (shape) {
          const row = JSON.parse(r.data) as unknown[]
          text = JSON.stringify(shape.columns.map((i) => cellText(row[i], shape.nullValue)))
        }
        if (parts.length > 0 && bytes + text.length + 1 > maxBytes) {
          short = true
          break
        }
        bytes += text.length + 1
        parts.push(text)
        rowNumbers.push(r.row_no + 1)
      }
      const matched = needle ? countMatching.get({ set: setId, needle })!.n : set.rowCount
      return { json: `[${parts.join(',')}]`, count: parts.length, rowNumbers, matched, short }
    },
    /**
     * Rows [offset, offset + limit) of the set `setId` as `query` orders and filters it, or fewer (a
     * page stops before `maxBytes` of stored rows, with at least one row), parsed, without counting
     * the matches: what an export reads page after page.
     */
    rows(setId: number, query: ResultQuery, offset: number, limit: number, maxBytes = MAX_PAGE_BYTES): unknown[][] {
      const { stmt, params } = viewRead(setId, query, offset, limit)
      const rows: unknown[][] = []
      let bytes = 0
      for (const r of stmt.iterate(params)) {
        if (rows.length > 0 && bytes + r.data.length > maxBytes) break
        bytes += r.data.length
        rows.push(JSON.parse(r.data) as unknown[])
      }
      return rows
    },
    /**
     * The rows of the set `setId` as `query` orders and filters it, read by one statement from the
     * first row on: `read(offset, limit)` gives the next rows as `rows` would (a page stops before
     * `maxBytes` of stored rows, with at least one row), `offset` being where the last read ended
     * (throws Error otherwise). What an export worker reads: `rows` would sort or search the whole set
     * again for every page, 66 times for 2,000 rows of 64 kB (#9 §2, atk16). A sorted view sorts
     * the rows' numbers (with their sorted cells), not the rows: each row is then read by its number
     * as the pages go. Sorting whole rows put twice the bytes through SQLite's sorter (its temporary
     * files: 250 MB, not 130, for 2,000 rows of 64 kB, and twice the time) in the export worker,
     * which shares the process with the main thread (#9: the sorted export held the served app
     * 300-500 ms). A filtered view in stored order is read as it goes, no further than the file
     * needs. The cursor holds a read snapshot (a transaction of the connection, unless one is open
     * already) until `close`, which the reader must call.
     */
    cursor(setId: number, query: ResultQuery, maxBytes = MAX_PAGE_BYTES): { read(offset: number, limit: number): unknown[][]; close(): void } {
      // one read snapshot for the whole file, as one statement had it; ended by close
      const snapshot = !db.inTransaction
      if (snapshot) db.prepare('BEGIN').run()
      const { stmt, params } = viewRead(setId, query, 0, -1)
      // a sorted view: its row numbers in order, read whole before the first row (the sort sees every
      // row anyway), as a connection runs one statement at a time and each row is then read by its own
      const order = query.sort === undefined ? undefined : keyStatements[params.needle ? 'filtered' : 'plain'][query.order ?? 'asc'].all(params)
      const it = order ? undefined : stmt.iterate(params)
      let at = 0 // the next row's place in `order`
      /** The next row's stored JSON, or undefined at the end. */
      const nextRow = (): string | undefined => {
        if (it) {
          const r = it.next()
          return r.done ? undefined : r.value.data
        }
        const rowNo = order![at++]
        return rowNo === undefined ? undefined : rowData.get(setId, rowNo)
      }
      let next = 0
      let held: string | undefined // the row that did not fit in the last page
      return {
        read(offset: number, limit: number): unknown[][] {
          if (offset !== next) throw new Error(`a cursor reads on from row ${next}, not ${offset}`)
          const rows: unknown[][] = []
          let bytes = 0
          while (rows.length < limit) {
            const data = held ?? nextRow()
            held = undefined
            if (data === undefined) break
            if (rows.length > 0 && bytes + data.length > maxBytes) {
              held = data
              break
            }
            bytes += data.length
            rows.push(JSON.parse(data) as unknown[])
          }
          next += rows.length
          return rows
        },
        close(): void {
          it?.return?.()
          if (snapshot && db.inTransaction) db.prepare('COMMIT').run()
        },
      }
    },
  }
}
