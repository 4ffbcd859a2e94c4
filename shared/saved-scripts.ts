// Saved scripts (Scriptis's workspace tree): each user's scripts and folders, kept on the server.
// Merged into the contract in api.ts.
import type { ScriptLanguage } from './api'

/** A path in a user's tree: names joined by '/', e.g. `reports/daily`. */
export type ScriptPath = string

/**
 * Limits a saved-scripts request is checked against: every path written (a new script or folder, a move's
 * `to` and everything it carries there). A path naming an entry already there is checked for its names only,
 * so one an older version left past depth or pathChars can still be opened, saved, moved up and deleted.
 * No path at all may pass entryPathChars (UTF-16 units), four times pathChars: older versions checked
 * only a move's `from` and `to` (500 characters each), so one move made paths of at most 999 (a
 * 500-character `to` and what a folder held below it), and this leaves room for a second such move
 * while a request of megabytes is refused before anything reads it. An entry longer still is reached
 * through the folder its move made (listing, deleting or moving that folder).
 */
export const SAVED_SCRIPT_LIMITS = { nameChars: 100, depth: 8, pathChars: 500, entryPathChars: 2000, codeBytes: 1_000_000, entries: 2000 } as const

export interface SavedScriptEntry {
  id: number
  path: ScriptPath
  kind: 'script' | 'folder'
  /** Scripts only. */
  language: ScriptLanguage | null
  /** Characters of code (0 for folders). */
  size: number
  updatedAt: number
}

/** Which script, as last read, a save means to replace: its `id` and `updatedAt` (ms since the epoch; every save or move makes it larger). */
export interface SavedScriptVersion {
  id: number
  updatedAt: number
}

export interface SavedScript extends SavedScriptEntry {
  code: string
}

/**
 * What the scratch table list (scratch.tables) answers at most, so that neither reading it nor its answer
 * grows with what a script made: `tables` tables and views; `columns` columns in all and `tableColumns` of
 * one table (a table past the first is listed by name only, or with its first columns); `chars` characters
 * of names and declared types in all. A name longer than `nameChars` is left out (a declared type is cut
 * there). Anything left out makes the answer `truncated`. Reading 2,000-column tables and 499 views of
 * them, 1,000,000 columns, took 5 s and answered 68 MB (#9 §2).
 */
export const SCRATCH_LIST_LIMITS = { tables: 500, columns: 20_000, tableColumns: 1_000, chars: 1_000_000, nameChars: 1_000 } as const

/** One table or view of the user's scratch SQLite database (what SQL scripts run on). */
export interface ScratchTable {
  name: string
  type: 'table' | 'view'
  /** Its columns in order; only the first of them when `columnsCut`. */
  columns: { name: string; type: string; notNull: boolean; primaryKey: boolean }[]
  /** Set when `columns` are not all of its columns (SCRATCH_LIST_LIMITS): none once the list's budget was spent, or the first of a wide table. */
  columnsCut?: true
}

export interface SavedScriptOperations {
  /** Your scripts and folders (no code), by path. */
  'savedScripts.list': { params: Record<string, never>; result: SavedScriptEntry[] }
  /** One of your scripts with its code. */
  'savedScripts.get': { params: { path: ScriptPath }; result: SavedScript }
  /**
   * Creates the script at `path`, or (`overwrite`) replaces its code and language; conflict when it
   * exists and `overwrite` is not set. `expect` makes it a save over the very script the saver last
   * read there, as an editor that has it open saves (`overwrite` is then not needed): it replaces
   * that script only while it is still there unchanged, and is a conflict `script_gone` when nothing
   * is at `path` any more (renamed, moved or deleted since) or `script_changed` when the script there
   * is another one or was saved or moved since.
   */
  'savedScripts.save': { params: { path: ScriptPath; language: ScriptLanguage; code: string; overwrite?: boolean; expect?: SavedScriptVersion }; result: SavedScript }
  'savedScripts.createFolder': { params: { path: ScriptPath }; result: SavedScriptEntry }
  /**
   * Renames or moves a script or a folder with everything in it; conflict when `to` exists; invalid (bad_path,
   * field `to`) when anything it holds would pass the depth or length limit there, naming that path (nothing
   * moves then). Returns how many entries moved.
   */
  'savedScripts.move': { params: { from: ScriptPath; to: ScriptPath }; result: { moved: number } }
  /** Deletes a script, or a folder with everything in it. Returns how many entries went. */
  'savedScripts.delete': { params: { path: ScriptPath }; result: { deleted: number } }
  /**
   * The tables and views of your scratch database with their columns, within SCRATCH_LIST_LIMITS
   * (`truncated` when something was left out). unavailable (503): scratch_busy while a running script
   * holds it, scratch_too_slow past the time limit, too_many_scratch_reads when many are being read.
   */
  'scratch.tables': { params: Record<string, never>; result: { tables: ScratchTable[]; truncated: boolean } }
}

export const SAVED_SCRIPT_HTTP_ROUTES: { [K in keyof SavedScriptOperations]: { method: 'GET' | 'POST' | 'DELETE'; path: string; status?: number } } = {
  'savedScripts.list': { method: 'GET', path: '/api/v1/saved-scripts' },
  'savedScripts.get': { method: 'GET', path: '/api/v1/saved-scripts/script' },
  'savedScripts.save': { method: 'POST', path: '/api/v1/saved-scripts', status: 201 },
  'savedScripts.createFolder': { method: 'POST', path: '/api/v1/saved-scripts/folders', status: 201 },
  'savedScripts.move': { method: 'POST', path: '/api/v1/saved-scripts/move' },
  'savedScripts.delete': { method: 'DELETE', path: '/api/v1/saved-scripts' },
  'scratch.tables': { method: 'GET', path: '/api/v1/scratch/tables' },
}
