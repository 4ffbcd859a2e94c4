// What the Scripts page lists of a user's scratch database: its tables and views with their columns,
// read within SCRATCH_LIST_LIMITS. Synchronous (better-sqlite3): it runs in a worker thread
// (scratch-tables-worker.ts), never on the main thread, since a script can make that schema as wide as
// SQLite allows and resolving a view's columns compiles its SELECT (#9 §2).
import Database from 'better-sqlite3'
import { SCRATCH_LIST_LIMITS, type ScratchTable } from '../../shared/saved-scripts'

/** The scratch table list: `truncated` when a table, a column or a name was left out (SCRATCH_LIST_LIMITS). */
export interface ScratchList {
  tables: ScratchTable[]
  truncated: boolean
}

export type ScratchListLimits = { readonly [K in keyof typeof SCRATCH_LIST_LIMITS]: number }

type Column = ScratchTable['columns'][number]

/**
 * The tables and views of the SQLite database `file` (which must exist), by name, each with its columns
 * in order, within `limits`: at most `tables` of them, `columns` columns in all and `tableColumns` of one,
 * `chars` characters of names and types in all; a name longer than `nameChars` is left out and a declared
 * type cut there. Past the column or character budget, the tables that still fit are listed by name with
 * `columnsCut`; a table name past the character budget ends the list. Opens the file read-only, waiting
 * up to `busyMs` for a running script's lock. Throws SQLite's errors (SQLITE_BUSY when it stays locked).
 */
export function readScratchList(file: string, o: { busyMs: number; limits?: ScratchListLimits }): ScratchList {
  const limits = o.limits ?? SCRATCH_LIST_LIMITS
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: o.busyMs })
  try {
    // names of more than nameChars come back null: never read whole
    const listed = db
      .prepare<[number, number], { name: string | null; type: 'table' | 'view' }>(
        `SELECT CASE WHEN length(name) <= ? THEN name END AS name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY sqlite_schema.name LIMIT ?`,
      )
      .all(limits.nameChars, limits.tables + 1)
    const info = db.prepare<[number, number, string, number], { name: string | null; type: string; notnull: number; pk: number }>(
      'SELECT CASE WHEN length(name) <= ? THEN name END AS name, substr(type, 1, ?) AS type, "notnull", pk FROM pragma_table_info(?) LIMIT ?',
    )
    let columnsLeft = limits.columns
    let charsLeft = limits.chars
    let truncated = listed.length > limits.tables
    const tables: ScratchTable[] = []
    for (const t of listed.slice(0, limits.tables)) {
      if (t.name === null) {
        truncated = true
        continue
      }
      if (t.name.length > charsLeft) {
        truncated = true
        break
      }
      charsLeft -= t.name.length
      const columns: Column[] = []
      const room = Math.min(limits.tableColumns, columnsLeft)
      // past a budget its columns are not read at all; else one more than may be shown: whether it has more
      const rows = room > 0 && charsLeft > 0 ? info.all(limits.nameChars, limits.nameChars, t.name, room + 1) : null
      let cut = rows === null
      for (const c of rows ?? []) {
        if (c.name === null) {
          cut = true
          continue
        }
        if (columns.length === room || c.name.length + c.type.length > charsLeft) {
          cut = true
          break
        }
        charsLeft -= c.name.length + c.type.length
        columns.push({ name: c.name, type: c.type, notNull: c.notnull === 1, primaryKey: c.pk > 0 })
      }
      columnsLeft -= columns.length
      tables.push(cut ? { name: t.name, type: t.type, columns, columnsCut: true } : { name: t.name, type: t.type, columns })
      if (cut) truncated = true
    }
    return { tables, truncated }
  } finally {
    db.close()
  }
}
