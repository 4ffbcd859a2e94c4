import { create } from 'zustand'
import type { ScriptLanguage } from '../../../shared/api'
import type { SavedScriptEntry, ScratchTable } from '../../../shared/saved-scripts'
import { send } from '../api/client'
import { useScripts } from './scripts'
import { userKey, whenSignedIn, whenSignedOut } from './user-scope'

const OPEN_KEY = 'jobdesk.savedScripts.open'

interface SavedScriptsState {
  entries: SavedScriptEntry[]
  /** The saved script the editor was opened from (Save writes back to it), kept over a reload. */
  openPath: string | null
  /** The code and language of `openPath` as last opened or saved here (null: not known, after a reload): unsaved edits differ from it. */
  opened: { code: string; language: ScriptLanguage } | null
  error: string | null
  /** Said after an action, e.g. "Saved reports/daily". */
  note: string | null
  tables: ScratchTable[] | null
  tablesTruncated: boolean
  refresh(): Promise<void>
  open(path: string): Promise<void>
  /** Saves the editor's code at `path` (overwrite: replace a script there). */
  saveAs(path: string, overwrite?: boolean): Promise<boolean>
  createFolder(path: string): Promise<boolean>
  move(from: string, to: string): Promise<boolean>
  remove(path: string): Promise<boolean>
  loadTables(): Promise<void>
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))
const keepOpen = (path: string | null) => {
  const key = userKey(OPEN_KEY)
  if (!key) return
  if (path) localStorage.setItem(key, path)
  else localStorage.removeItem(key)
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
  return {
    entries: [],
    openPath: null,
    opened: null,
    error: null,
    note: null,
    tables: null,
    tablesTruncated: false,
    async refresh() {
      try {
        set({ entries: await send('savedScripts.list', {}) })
      } catch (e) {
        set({ error: message(e) })
      }
    },
    async open(path) {
      try {
        const script = await send('savedScripts.get', { path })
        const scripts = useScripts.getState()
        if (script.language) scripts.setLanguage(script.language)
        useScripts.getState().setDraft(script.code)
        keepOpen(path)
        set({ openPath: path, opened: { code: script.code, language: useScripts.getState().language }, error: null, note: `Opened ${path}` })
      } catch (e) {
        set({ error: message(e), note: null })
      }
    },
    async saveAs(path, overwrite = false) {
      const { language, drafts } = useScripts.getState()
      const ok = await act(() => send('savedScripts.save', { path, language, code: drafts[language], overwrite }), `Saved ${path}`)
      if (ok) {
        keepOpen(path)
        set({ openPath: path, opened: { code: drafts[language], language } })
      }
      return ok
    },
    createFolder: (path) => act(() => send('savedScripts.createFolder', { path }), `Made folder ${path}`),
    async move(from, to) {
      const ok = await act(() => send('savedScripts.move', { from, to }), `Renamed ${from} to ${to}`)
      const open = get().openPath
      if (ok && open && (open === from || open.startsWith(`${from}/`))) {
        const moved = to + open.slice(from.length)
        keepOpen(moved)
        set({ openPath: moved })
      }
      return ok
    },
    async remove(path) {
      const ok = await act(() => send('savedScripts.delete', { path }), `Deleted ${path}`)
      const open = get().openPath
      if (ok && open && (open === path || open.startsWith(`${path}/`))) {
        keepOpen(null)
        set({ openPath: null, opened: null })
      }
      return ok
    },
    async loadTables() {
      try {
        const { tables, truncated } = await send('scratch.tables', {})
        set({ tables, tablesTruncated: truncated, error: null })
      } catch (e) {
        set({ error: message(e) })
      }
    },
  }
})

whenSignedIn(() => {
  const key = userKey(OPEN_KEY)
  useSavedScripts.setState({ openPath: key ? localStorage.getItem(key) : null })
})
whenSignedOut(() => useSavedScripts.setState(useSavedScripts.getInitialState(), true))
