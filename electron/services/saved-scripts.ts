// Handlers of shared/saved-scripts.ts: each user's saved scripts (a tree of paths) and a look at
// their scratch database's tables. Everything is the caller's own: no one reaches another's tree.
import { assertNameChars } from '../../shared/hidden-chars'
import { SCRIPT_LANGUAGES, type ScriptLanguage } from '../../shared/api'
import { AppError, conflict, invalid, notFound } from '../../shared/errors'
import { SAVED_SCRIPT_LIMITS as L, type SavedScript, type SavedScriptEntry, type SavedScriptOperations, type SavedScriptVersion } from '../../shared/saved-scripts'
import { scratchFileOf } from '../user-file-names'
import type { SavedScriptRow } from '../store/saved-script.repository'
import type { Store } from '../store'
import type { Actor } from './access'
import type { Handler } from './operations'
import { assertSavedScriptRoom } from '../../shared/quotas'
import { assertDiskRoom } from '../disk-reserve'
import { scratchTablesReader } from './scratch-tables'

type Handlers = { [K in keyof SavedScriptOperations]: Handler<K> }

/**
 * Why a path of good names breaks the depth or length limit of SAVED_SCRIPT_LIMITS (the one definition
 * of both), as words that follow the path's name (`may be at most 8 folders deep`); null when it keeps them.
 */
function limitBreach(path: string): string | null {
  if (path.split('/').length > L.depth) return `may be at most ${L.depth} folders deep`
  if (path.length > L.pathChars) return `is longer than ${L.pathChars} characters`
  return null
}

/**
 * How a path is checked: `new` for one that may be written (every limit), `existing` for one that only
 * names an entry already there (its names only: an entry an older version moved past the depth or
 * length limit can still be opened, saved, moved up and deleted).
 */
type PathUse = 'new' | 'existing'

/**
 * A path as stored: names joined by '/', each 1–100 characters with no control or invisible characters
 * (assertNameChars: its error names the character), not '.' or '..', at most 8 deep and 500 characters
 * long (limitBreach). An `existing` one is not checked for the hidden characters or the limits, which
 * older versions did not have: what they stored can still be opened, moved and deleted. Neither may be
 * longer than entryPathChars. Surrounding spaces of each name are trimmed. Throws invalid (bad_path) naming `field`, its message
 * starting with `field` so a form can put its own words for it there (formError).
 */
export function checkPath(raw: unknown, field: string, use: PathUse = 'new'): string {
  if (typeof raw !== 'string') throw invalid('bad_path', `${field} must be a string`, field)
  // before anything reads it (IPC has no route schema to bound it)
  if (raw.length > L.entryPathChars) throw invalid('bad_path', `${field} is longer than ${L.entryPathChars} characters`, field)
  const names = raw.split('/').map((n) => n.trim())
  if (names.some((n) => n === '')) throw invalid('bad_path', `${field} must be names joined by '/', none of them empty`, field)
  for (const n of names) {
    if (n === '.' || n === '..') throw invalid('bad_path', `${field} may not contain '.' or '..'`, field)
    if (n.length > L.nameChars) throw invalid('bad_path', `${field} has a name longer than ${L.nameChars} characters`, field)
    if (/[\u0000-\u001f\u007f\\]/.test(n)) throw invalid('bad_path', `${field} may not contain control characters or '\\'`, field)
  }
  const path = names.join('/')
  if (use === 'new') checkNewPath(path, field)
  return path
}

/**
 * Throws invalid naming `field` when `path` may not be written: a broken depth or length limit
 * (limitBreach, bad_path) or a hidden character in it (assertNameChars). The limits come first, so a
 * path far past them is refused without its characters being read.
 */
function checkNewPath(path: string, field: string): void {
  const breach = limitBreach(path)
  if (breach) throw invalid('bad_path', `${field} ${breach}`, field)
  assertNameChars(path, field)
}

/**
 * Throws invalid (bad_path, naming `to`) when moving `from` to `to` would take anything under it past the
 * depth or length limit: the deepest and the longest of `paths` (`from` and what it holds), re-rooted at
 * `to`, are checked, and the message names the one that would break it.
 */
function checkMovedPaths(paths: readonly string[], from: string, to: string): void {
  const depth = (p: string) => p.split('/').length
  const deepest = paths.reduce((a, b) => (depth(b) > depth(a) ? b : a), from)
  const longest = paths.reduce((a, b) => (b.length > a.length ? b : a), from)
  for (const p of [deepest, longest]) {
    const moved = to + p.slice(from.length)
    const breach = limitBreach(moved)
    if (breach) throw invalid('bad_path', `to would move ${p} to ${moved}, and a path ${breach}`, 'to')
  }
}

const toEntry = (r: Omit<SavedScriptRow, 'code'> & { size?: number; code?: string }): SavedScriptEntry => ({
  id: r.id,
  path: r.path,
  kind: r.kind,
  language: (r.language as ScriptLanguage | null) ?? null,
  size: r.size ?? r.code?.length ?? 0,
  updatedAt: r.updatedAt,
})
const toScript = (r: SavedScriptRow): SavedScript => ({ ...toEntry(r), code: r.code })

export function createSavedScriptHandlers(s: { store: Store; scratchRoot: string; dataDir: string }): Handlers {
  const repo = s.store.savedScripts
  const scratchTables = scratchTablesReader()
  const own = (owner: string, path: string) => {
    const found = repo.get(owner, path)
    if (!found && repo.countUnder(owner, path) === 0) throw notFound('saved script', JSON.stringify(path))
    return found
  }
  const roomFor = (owner: string) => {
    if (repo.count(owner) >= L.entries) throw new AppError('too_large', 'too_many_saved_scripts', `you have ${L.entries} saved scripts and folders, the most kept: delete some first`)
  }
  /**
   * Throws forbidden (shared/quotas.ts) when `code` in place of `old` would take a user's saved code past
   * its quota (admins are exempt), and unavailable (disk_nearly_full) when it grows the script while the
   * data folder's disk is down to its reserve (disk-reserve.ts): a save that shrinks it is taken.
   */
  const roomForCode = (actor: Actor, code: string, old = '') => {
    if (Buffer.byteLength(code) > Buffer.byteLength(old)) assertDiskRoom(s.dataDir, 'saved scripts that grow')
    if (!actor.isAdmin) assertSavedScriptRoom(repo.codeBytes(actor.username) - Buffer.byteLength(old) + Buffer.byteLength(code), 'code')
  }
  const checkCode = (code: unknown) => {
    if (typeof code !== 'string') throw invalid('bad_code', 'code must be a string', 'code')
    if (Buffer.byteLength(code) > L.codeBytes) throw invalid('code_too_large', `code is larger than ${L.codeBytes / 1_000_000} MB`, 'code')
  }
  const checkVersion = (v: unknown): SavedScriptVersion => {
    const { id, updatedAt } = (v ?? {}) as Partial<SavedScriptVersion>
    if (typeof v !== 'object' || !Number.isSafeInteger(id) || id! < 1 || !Number.isSafeInteger(updatedAt) || updatedAt! < 0) {
      throw invalid('bad_expect', 'expect must be the {id, updatedAt} of the script you mean to replace', 'expect')
    }
    return { id: id!, updatedAt: updatedAt! }
  }
  /** A script's folders may not be scripts ("a" a script and "a/b" under it). */
  const checkParents = (owner: string, path: string) => {
    const names = path.split('/')
    for (let i = 1; i < names.length; i++) {
      const parent = repo.get(owner, names.slice(0, i).join('/'))
      if (parent?.kind === 'script') throw conflict('parent_is_script', `${parent.path} is a script, not a folder`)
    }
  }
  return {
    'savedScripts.list': (_p, actor) => repo.list(actor.username).map(toEntry),
    'savedScripts.get': (p, actor) => {
      const path = checkPath(p.path, 'path', 'existing')
      const found = repo.get(actor.username, path)
      if (!found || found.kind !== 'script') throw notFound('saved script', JSON.stringify(path))
      return toScript(found)
    },
    'savedScripts.save': (p, actor) => {
      const path = checkPath(p.path, 'path', 'existing') // the limits hold for a new script (below)
      if (!SCRIPT_LANGUAGES.includes(p.language)) throw invalid('bad_language', `language must be one of ${SCRIPT_LANGUAGES.join(', ')}`, 'language')
      checkCode(p.code)
      const expected = p.expect === undefined ? undefined : checkVersion(p.expect)
      return s.store.transaction(() => {
        const found = repo.get(actor.username, path)
        // an editor's save over the script it has open: never re-create one renamed or deleted since, nor replace another save
        if (expected && (!found || found.kind !== 'script')) throw conflict('script_gone', `${path} is no longer there: it was renamed, moved or deleted elsewhere`)
        if (expected && (found!.id !== expected.id || found!.updatedAt !== expected.updatedAt)) throw conflict('script_changed', `${path} changed elsewhere since you opened it`)
        if (found?.kind === 'folder' || (!found && repo.countUnder(actor.username, path) > 0)) throw conflict('is_folder', `${path} is a folder`)
        if (found) {
          if (!p.overwrite && !expected) throw conflict('script_exists', `a script named ${path} exists already`)
          roomForCode(actor, p.code, found.code)
          return toScript(repo.update(actor.username, path, p.language, p.code))
        }
        checkNewPath(path, 'path')
        roomFor(actor.username)
        roomForCode(actor, p.code)
        checkParents(actor.username, path)
        return toScript(repo.insert({ owner: actor.username, path, kind: 'script', language: p.language, code: p.code }))
      })
    },
    'savedScripts.createFolder': (p, actor) => {
      const path = checkPath(p.path, 'path')
      return s.store.transaction(() => {
        if (repo.countUnder(actor.username, path) > 0) throw conflict('exists', `${path} exists already`)
        roomFor(actor.username)
        checkParents(actor.username, path)
        return toEntry(repo.insert({ owner: actor.username, path, kind: 'folder', language: null, code: '' }))
      })
    },
    'savedScripts.move': (p, actor) => {
      const from = checkPath(p.from, 'from', 'existing')
      const to = checkPath(p.to, 'to')
      return s.store.transaction(() => {
        own(actor.username, from)
        if (to === from) return { moved: 0 }
        if (to.startsWith(`${from}/`)) throw invalid('into_itself', `a folder cannot move into itself (${from} → ${to})`, 'to')
        if (repo.countUnder(actor.username, to) > 0) throw conflict('exists', `${to} exists already`)
        checkParents(actor.username, to)
        checkMovedPaths(repo.pathsUnder(actor.username, from), from, to)
        return { moved: repo.move(actor.username, from, to) }
      })
    },
    'savedScripts.delete': (p, actor) => {
      const path = checkPath(p.path, 'path', 'existing')
      return s.store.transaction(() => {
        own(actor.username, path)
        return { deleted: repo.remove(actor.username, path) }
      })
    },
    'scratch.tables': (_p, actor, _client, signal) => scratchTables(scratchFileOf(s.scratchRoot, actor.username), { owner: actor.username, signal }),
  }
}
