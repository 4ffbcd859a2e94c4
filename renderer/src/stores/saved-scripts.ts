import { create } from 'zustand'
import { SCRIPT_LANGUAGES, type ScriptLanguage } from '../../../shared/api'
import type { SavedScriptEntry, SavedScriptVersion, ScratchTable } from '../../../shared/saved-scripts'
import { send } from '../api/client'
import { ApiError } from '../api/transport'
import { errorText } from '../features/shell/form-errors'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from './list-load'
import { useScripts } from './scripts'
import { userKey, whenSignedIn, whenSignedOut } from './user-scope'

const OPEN_KEY = 'jobdesk.savedScripts.open'

interface SavedScriptsState {
  entries: SavedScriptEntry[]
  /** Whether the list of saved scripts has answered; its first reading's failure. */
  list: ListLoad
  /** The saved script the editor was opened from (Save writes back to it), kept over a reload. */
  openPath: string | null
  /** The code and language of `openPath` as last opened or saved here (kept over a reload; null: not known): unsaved edits differ from it. */
  opened: { code: string; language: ScriptLanguage } | null
  /** Which script at `openPath` the editor last opened or saved (kept over a reload; null: not known): Save replaces only that one. */
  version: SavedScriptVersion | null
  /** A Save of the open script the server refused because it was renamed, deleted or saved elsewhere since; the page offers Save as and Overwrite. */
  conflict: SaveConflict | null
  error: string | null
  /** Said after an action, e.g. "Saved reports/daily". */
  note: string | null
  tables: ScratchTable[] | null
  /** Whether the scratch tables have answered; their first reading's failure (ListStatus says it, with Retry). */
  tablesLoad: ListLoad
  tablesTruncated: boolean
  refresh(): Promise<void>
  open(path: string): Promise<void>
  /**
   * Saves the editor's code at `path` (overwrite: replace a script there). A save over the open
   * script replaces only the version this page read: when that was renamed, deleted or saved
   * elsewhere since, nothing is saved and `conflict` says so.
   */
  saveAs(path: string, overwrite?: boolean): Promise<boolean>
  /** After a conflict: saves the editor's code at its path all the same (puts it back, or replaces the other version). */
  overwriteAnyway(): Promise<boolean>
  dismissConflict(): void
  createFolder(path: string): Promise<boolean>
  move(from: string, to: string): Promise<boolean>
  remove(path: string): Promise<boolean>
  loadTables(): Promise<void>
}

/** Why a Save of the open script was refused: `gone` (renamed, moved or deleted elsewhere; `movedTo` where, when it was renamed) or `changed` (saved elsewhere, or another script now). */
export interface SaveConflict {
  path: string
  reason: 'gone' | 'changed'
  movedTo: string | null
}

/** The saved script the editor shows, as kept over a reload: its path, its code and language as last opened or saved, and which version that was. */
interface KeptOpen {
  path: string
  opened: { code: string; language: ScriptLanguage } | null
  version?: SavedScriptVersion | null
}

/** The tree's fields as it names them, for the server's errors (a rename's new path, Save as's path). */
const LABELS = { to: 'The new path', from: 'The path', path: 'The script path' }
const message = (e: unknown): string => errorText(e, LABELS)
const keepOpen = (open: KeptOpen | null) => {
  const key = userKey(OPEN_KEY)
  if (!key) return
  try {
    if (open) localStorage.setItem(key, JSON.stringify(open))
    else localStorage.removeItem(key)
  } catch {
    // storage full or disabled: kept in memory only
  }
}

/** What keepOpen kept (an older page kept the bare path), or null; a value of another shape is dropped. */
export function readKeptOpen(text: string | null): KeptOpen | null {
  if (!text) return null
  let kept: unknown
  try {
    kept = JSON.parse(text)
  } catch {
    return { path: text, opened: null, version: null }
  }
  if (typeof kept === 'string') return kept ? { path: kept, opened: null, version: null } : null
  const k = kept as Partial<KeptOpen> | null
  if (!k || typeof k.path !== 'string' || !k.path) return null
  const o = k.opened
  const opened = o && typeof o.code === 'string' && SCRIPT_LANGUAGES.includes(o.language) ? { code: o.code, language: o.language } : null
  const v = k.version
  const version = v && Number.isSafeInteger(v.id) && Number.isSafeInteger(v.updatedAt) ? { id: v.id, updatedAt: v.updatedAt } : null
  return { path: k.path, opened, version }
}

/** The Scripts page's saved-script tree (server-side, per user) and the scratch database browser. */
export const useSavedScripts = create<SavedScriptsState>((set, get) => {
  /** Runs a change, then lists again; says `done` or the error. */
  const act = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    try {
      await work()
      set({ error: null, note: done })
      await get().refresh()
      return true
    } catch (e) {
      set({ error: message(e), note: null })
      return false
    }
  }
  /** Saves the editor's code at `path`, replacing only `expect` when given (see saveAs). */
  const save = async (path: string, overwrite: boolean, expect: SavedScriptVersion | null): Promise<boolean> => {
    const { language, drafts } = useScripts.getState()
    const code = drafts[language]
    try {
      const saved = await send('savedScripts.save', { path, language, code, overwrite, ...(expect ? { expect } : {}) })
      const opened = { code, language }
      const version = { id: saved.id, updatedAt: saved.updatedAt }
      keepOpen({ path, opened, version })
      set({ openPath: path, opened, version, conflict: null, error: null, note: `Saved ${path}` })
      await get().refresh()
      return true
    } catch (e) {
      const code = e instanceof ApiError ? e.body.code : ''
      if (expect && (code === 'script_gone' || code === 'script_changed')) {
        await get().refresh() // the tree as it is now, and where the script went when it was renamed
        const movedTo = code === 'script_gone' ? (get().entries.find((x) => x.id === expect.id && x.kind === 'script')?.path ?? null) : null
        set({ conflict: { path, reason: code === 'script_gone' ? 'gone' : 'changed', movedTo }, error: null, note: null })
      } else set({ error: message(e), note: null })
      return false
    }
  }
  return {
    entries: [],
    list: NOT_ANSWERED,
    openPath: null,
    opened: null,
    version: null,
    conflict: null,
    error: null,
    note: null,
    tables: null,
    tablesLoad: NOT_ANSWERED,
    tablesTruncated: false,
    async refresh() {
      try {
        set({ entries: await send('savedScripts.list', {}), list: ANSWERED })
      } catch (e) {
        set(listFailed(get().list, message(e)))
      }
    },
    async open(path) {
      try {
        const script = await send('savedScripts.get', { path })
        const scripts = useScripts.getState()
        if (script.language) scripts.setLanguage(script.language)
        useScripts.getState().setDraft(script.code)
        const opened = { code: script.code, language: useScripts.getState().language }
        const version = { id: script.id, updatedAt: script.updatedAt }
        keepOpen({ path, opened, version })
        set({ openPath: path, opened, version, conflict: null, error: null, note: `Opened ${path}` })
      } catch (e) {
        set({ error: message(e), note: null })
      }
    },
    saveAs: (path, overwrite = false) => save(path, overwrite, path === get().openPath ? get().version : null),
    overwriteAnyway() {
      const c = get().conflict
      return c ? save(c.path, true, null) : Promise.resolve(false)
    },
    dismissConflict: () => set({ conflict: null }),
    createFolder: (path) => act(() => send('savedScripts.createFolder', { path }), `Made folder ${path}`),
    async move(from, to) {
      const ok = await act(() => send('savedScripts.move', { from, to }), `Renamed ${from} to ${to}`)
      const open = get().openPath
      if (ok && open && (open === from || open.startsWith(`${from}/`))) {
        const moved = to + open.slice(from.length)
        // a move makes a new version: the one listed now, when it is still the script this page read
        const now = get().entries.find((e) => e.path === moved && e.id === get().version?.id)
        const version = now ? { id: now.id, updatedAt: now.updatedAt } : null
        keepOpen({ path: moved, opened: get().opened, version })
        set({ openPath: moved, version, conflict: null })
      }
      return ok
    },
    async remove(path) {
      const ok = await act(() => send('savedScripts.delete', { path }), `Deleted ${path}`)
      const open = get().openPath
      if (ok && open && (open === path || open.startsWith(`${path}/`))) {
        keepOpen(null)
        set({ openPath: null, opened: null, version: null, conflict: null })
      }
      return ok
    },
    async loadTables() {
      try {
        const { tables, truncated } = await send('scratch.tables', {})
        set({ tables, tablesLoad: ANSWERED, tablesTruncated: truncated, error: null })
      } catch (e) {
        const failed = listFailed(get().tablesLoad, message(e))
        set('list' in failed ? { tablesLoad: failed.list } : failed)
      }
    },
  }
})

whenSignedIn(() => {
  const key = userKey(OPEN_KEY)
  const kept = readKeptOpen(key ? localStorage.getItem(key) : null)
  useSavedScripts.setState({ openPath: kept?.path ?? null, opened: kept?.opened ?? null, version: kept?.version ?? null })
})
whenSignedOut(() => useSavedScripts.setState(useSavedScripts.getInitialState(), true))
