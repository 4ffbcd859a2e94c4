import { create } from 'zustand'
import { SCRIPT_LANGUAGES, type ScriptLanguage } from '../../../shared/api'
import type { SavedScriptEntry, ScratchTable } from '../../../shared/saved-scripts'
import { send } from '../api/client'
import { errorText } from '../features/shell/form-errors'
import { useScripts } from './scripts'
import { userKey, whenSignedIn, whenSignedOut } from './user-scope'

const OPEN_KEY = 'jobdesk.savedScripts.open'

interface SavedScriptsState {
  entries: SavedScriptEntry[]
  /** The saved script the editor was opened from (Save writes back to it), kept over a reload. */
  openPath: string | null
  /** The code and language of `openPath` as last opened or saved here (kept over a reload; null: not known): unsaved edits differ from it. */
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

/** The saved script the editor shows, as kept over a reload: its path, and its code and language as last opened or saved. */
interface KeptOpen {
  path: string
  opened: { code: string; language: ScriptLanguage } | null
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
    return { path: text, opened: null }
  }
  if (typeof kept === 'string') return kept ? { path: kept, opened: null } : null
  const k = kept as Partial<KeptOpen> | null
  if (!k || typeof k.path !== 'string' || !k.path) return null
  const o = k.opened
  const opened = o && typeof o.code === 'string' && SCRIPT_LANGUAGES.includes(o.language) ? { code: o.code, language: o.language } : null
  return { path: k.path, opened }
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
        const opened = { code: script.code, language: useScripts.getState().language }
        keepOpen({ path, opened })
        set({ openPath: path, opened, error: null, note: `Opened ${path}` })
      } catch (e) {
        set({ error: message(e), note: null })
      }
    },
    async saveAs(path, overwrite = false) {
      const { language, drafts } = useScripts.getState()
      const ok = await act(() => send('savedScripts.save', { path, language, code: drafts[language], overwrite }), `Saved ${path}`)
      if (ok) {
        const opened = { code: drafts[language], language }
        keepOpen({ path, opened })
        set({ openPath: path, opened })
      }
      return ok
    },
    createFolder: (path) => act(() => send('savedScripts.createFolder', { path }), `Made folder ${path}`),
    async move(from, to) {
      const ok = await act(() => send('savedScripts.move', { from, to }), `Renamed ${from} to ${to}`)
      const open = get().openPath
      if (ok && open && (open === from || open.startsWith(`${from}/`))) {
        const moved = to + open.slice(from.length)
        keepOpen({ path: moved, opened: get().opened })
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
  const kept = readKeptOpen(key ? localStorage.getItem(key) : null)
  useSavedScripts.setState({ openPath: kept?.path ?? null, opened: kept?.opened ?? null })
})
whenSignedOut(() => useSavedScripts.setState(useSavedScripts.getInitialState(), true))
