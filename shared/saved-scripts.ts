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

/** One table or view of the user's scratch SQLite database (what SQL scripts run on). */
export interface ScratchTable {
  name: string
  type: 'table' | 'view'
  columns: { name: string; type: string; notNull: boolean; primaryKey: boolean }[]
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
  /** The tables and views of your scratch database with their columns (at most 500 tables). */
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
