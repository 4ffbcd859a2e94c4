import type { Db } from './connection'

/** One row of saved_scripts (migration 011): a user's script or empty folder at a path of their tree. */
export interface SavedScriptRow {
  id: number
  owner: string
  path: string
  kind: 'script' | 'folder'
  language: string | null
  code: string
  createdAt: number
  updatedAt: number
}

interface Row {
  id: number
  owner: string
  path: string
  kind: 'script' | 'folder'
  language: string | null
  code: string
  created_at: number
  updated_at: number
}

const toEntry = (r: Row): SavedScriptRow => ({ id: r.id, owner: r.owner, path: r.path, kind: r.kind, language: r.language, code: r.code, createdAt: r.created_at, updatedAt: r.updated_at })

/** The prefix of everything under `folder`. Matched with substr, not LIKE: LIKE ignores ASCII case, and paths do not ('docs' and 'Docs' are two folders). */
const under = (folder: string) => `${folder}/`
/** Parameters of AT_OR_UNDER: the owner, an entry's path and its prefix `under(path)`. */
type At = { owner: string; path: string; under: string }
/** SQL: `path` is the entry @path itself or lies under it (prefix @under), compared byte for byte. */
const AT_OR_UNDER = `(path = @path OR substr(path, 1, length(@under)) = @under)`

export type SavedScriptRepository = ReturnType<typeof createSavedScriptRepository>

/** Saved scripts and folders per owner; paths are checked by the caller (services/saved-scripts.ts). */
export function createSavedScriptRepository(db: Db, now: () => number = Date.now) {
  const list = db.prepare<[string], Omit<Row, 'code'> & { size: number }>(
    `SELECT id, owner, path, kind, language, length(code) AS size, created_at, updated_at FROM saved_scripts WHERE owner = ? ORDER BY path`,
  )
  const byPath = db.prepare<[string, string], Row>('SELECT * FROM saved_scripts WHERE owner = ? AND path = ?')
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM saved_scripts WHERE owner = ?')
  // octet_length reads each value's size from its record header, never the code itself (SQLite 3.43+)
  const codeBytes = db.prepare<[string], { n: number }>('SELECT coalesce(sum(octet_length(code)), 0) AS n FROM saved_scripts WHERE owner = ?')
  const countUnder = db.prepare<[At], { n: number }>(`SELECT count(*) AS n FROM saved_scripts WHERE owner = @owner AND ${AT_OR_UNDER}`)
  const insert = db.prepare(
    `INSERT INTO saved_scripts (owner, path, kind, language, code, created_at, updated_at) VALUES (@owner, @path, @kind, @language, @code, @now, @now)`,
  )
  // updated_at only grows, also for two changes in one millisecond: a save's expected version (services/saved-scripts.ts) tells them apart
  const update = db.prepare('UPDATE saved_scripts SET language = ?, code = ?, updated_at = max(?, updated_at + 1) WHERE owner = ? AND path = ?')
  const move = db.prepare(
    `UPDATE saved_scripts SET path = @to || substr(path, length(@path) + 1), updated_at = max(@now, updated_at + 1)
     WHERE owner = @owner AND ${AT_OR_UNDER}`,
  )
  const pathsUnder = db.prepare<[At], { path: string }>(`SELECT path FROM saved_scripts WHERE owner = @owner AND ${AT_OR_UNDER}`)
  const remove = db.prepare<[At]>(`DELETE FROM saved_scripts WHERE owner = @owner AND ${AT_OR_UNDER}`)

  return {
    /** The owner's entries by path, with each script's size instead of its code. */
    list(owner: string): (Omit<SavedScriptRow, 'code'> & { size: number })[] {
      return list.all(owner).map((r) => ({ id: r.id, owner: r.owner, path: r.path, kind: r.kind, language: r.language, size: r.size, createdAt: r.created_at, updatedAt: r.updated_at }))
    },
    get(owner: string, path: string): SavedScriptRow | undefined {
      const row = byPath.get(owner, path)
      return row && toEntry(row)
    },
    count(owner: string): number {
      return count.get(owner)!.n
    },
    /** Bytes (UTF-8) of code all the owner's scripts hold. */
    codeBytes(owner: string): number {
      return codeBytes.get(owner)!.n
    },
    /** Entries at `path` or under it (a folder's contents). */
    countUnder(owner: string, path: string): number {
      return countUnder.get({ owner, path, under: under(path) })!.n
    },
    insert(e: { owner: string; path: string; kind: 'script' | 'folder'; language: string | null; code: string }): SavedScriptRow {
      insert.run({ ...e, now: now() })
      return toEntry(byPath.get(e.owner, e.path)!)
    },
    update(owner: string, path: string, language: string, code: string): SavedScriptRow {
      update.run(language, code, now(), owner, path)
      return toEntry(byPath.get(owner, path)!)
    },
    /** The paths of the entry at `path` and of everything under it (at most the owner's entries). */
    pathsUnder(owner: string, path: string): string[] {
      return pathsUnder.all({ owner, path, under: under(path) }).map((r) => r.path)
    },
    /** Renames `from` and everything under it to `to`; returns how many rows moved. */
    move(owner: string, from: string, to: string): number {
      return move.run({ owner, path: from, to, under: under(from), now: now() }).changes
    },
    /** Deletes `path` and everything under it; returns how many rows went. */
    remove(owner: string, path: string): number {
      return remove.run({ owner, path, under: under(path) }).changes
    },
  }
}
