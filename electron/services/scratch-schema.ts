// What the Scripts page lists of a user's scratch database: its tables and views with their columns,
// read within SCRATCH_LIST_LIMITS. Synchronous (better-sqlite3): it runs in a child process
// (scratch-tables-child.ts), never in the server process, since a script can make that schema as wide as
// SQLite allows and resolving a view's columns compiles its SELECT, which for views naming views can
// take seconds and gigabytes (#9 §1 §2): that child is killed past a memory or time limit, and a list
// can go on after the table it was reading (`resume`).
import Database from 'better-sqlite3'
import { SCRATCH_LIST_LIMITS, type ScratchTable } from '../../shared/saved-scripts'

/**
 * The resident memory a list's child may reach (bytes): Node and better-sqlite3 take ~60-150 MB (more
 * run from source), a list within SCRATCH_LIST_LIMITS a few MB more. A view whose columns take more
 * to resolve kills it, and is listed without them (columnsCut). Measured (atk12, better-sqlite3 alone):
 * one view naming the tops of 4 chains of doubling views took 256 MB, of 16 chains 886 MB.
 */
export const SCRATCH_LIST_RSS_BYTES = 320 * 2 ** 20

/** The scratch table list: `truncated` when a table, a column or a name was left out (SCRATCH_LIST_LIMITS). */
export interface ScratchList {
  tables: ScratchTable[]
  truncated: boolean
}

export type ScratchListLimits = { readonly [K in keyof typeof SCRATCH_LIST_LIMITS]: number }

type Column = ScratchTable['columns'][number]

/** A table or view as listed, before its columns are read: `name` null when longer than nameChars (left out). */
export type ListedName = { name: string | null; type: 'table' | 'view' }

/** What is left of a list's budgets after one of its tables (SCRATCH_LIST_LIMITS `columns` and `chars`). */
export interface ListBudget {
  columnsLeft: number
  charsLeft: number
}

/** What readScratchList tells as it goes (the child posts it, so a list stopped midway still names every table). */
export interface ScratchListProgress {
  /** Every name to be listed, in list order, before any columns are read. */
  names(listed: ListedName[]): void
  /** Table `index` (of `names`) read, and the budgets left after it. */
  table(index: number, t: ScratchTable, left: ListBudget): void
}

/** Where a list goes on from: the index of its next name, the budgets left, and whether it was cut so far. */
export type ListResume = ListBudget & { from: number; truncated: boolean }

/**
 * The tables and views of the SQLite database `file` (which must exist), by name, each with its columns
 * in order, within `limits`: at most `tables` of them, `columns` columns in all and `tableColumns` of one,
 * `chars` characters of names and types in all; a name longer than `nameChars` is left out and a declared
 * type cut there. Past the column or character budget, the tables that still fit are listed by name with
 * `columnsCut`; a table name past the character budget ends the list. Opens the file read-only, waiting
 * up to `busyMs` for a running script's lock; tells `progress` as it goes; with `resume`, lists only the
 * names from `resume.from` on, within the budgets left (the tables before are the caller's). Throws
 * SQLite's errors (SQLITE_BUSY when it stays locked).
 */
export function readScratchList(file: string, o: { busyMs: number; limits?: ScratchListLimits; progress?: ScratchListProgress; resume?: ListResume }): ScratchList {
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
    let columnsLeft = o.resume?.columnsLeft ?? limits.columns
    let charsLeft = o.resume?.charsLeft ?? limits.chars
    let truncated = (o.resume?.truncated ?? false) || listed.length > limits.tables
    const tables: ScratchTable[] = []
    const names = listed.slice(0, limits.tables)
    o.progress?.names(names)
    for (let i = o.resume?.from ?? 0; i < names.length; i++) {
      const t = names[i]
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
      const table: ScratchTable = cut ? { name: t.name, type: t.type, columns, columnsCut: true } : { name: t.name, type: t.type, columns }
      tables.push(table)
      o.progress?.table(i, table, { columnsLeft, charsLeft })
      if (cut) truncated = true
    }
    return { tables, truncated }
  } finally {
    db.close()
  }
}
