import type { ScriptLanguage } from '../../../../shared/api'
import { useRoute } from '../../stores/route'
import { useSavedScripts } from '../../stores/saved-scripts'
import { useScripts } from '../../stores/scripts'
import { mayLeave, registerUnsaved, type UnsavedWork } from '../shell/leave-guard'
import { LANGUAGE_LABELS, STARTER_CODE } from './languages'

/** What the editor shows: the saved script `path` it was opened from, or (path null) a draft of `language` in no saved script. */
export interface EditorScript {
  path: string | null
  language: ScriptLanguage
  /** The text differs from the saved script's (as last opened or saved here), or a draft holds more than the starter text. */
  dirty: boolean
}

type OpenScript = Pick<ReturnType<typeof useSavedScripts.getState>, 'openPath' | 'opened'>
type Drafts = Pick<ReturnType<typeof useScripts.getState>, 'language' | 'drafts'>

/**
 * What the editor shows, from the saved-scripts and scripts stores' state. The open saved script is
 * the editor's while the editor shows its language (or its language is not known: kept by an older
 * page); another language's editor holds a draft.
 */
export function editorScript({ openPath, opened }: OpenScript, { language, drafts }: Drafts): EditorScript {
  const code = drafts[language]
  if (openPath && (!opened || opened.language === language)) return { path: openPath, language, dirty: opened !== null && code !== opened.code }
  return { path: null, language, dirty: code.trim() !== '' && code !== STARTER_CODE[language] }
}

/** editorScript, kept up to date for a component (the editor's tab, the tree's mark). */
export function useEditorScript(): EditorScript {
  const openPath = useSavedScripts((s) => s.openPath)
  const opened = useSavedScripts((s) => s.opened)
  const language = useScripts((s) => s.language)
  const drafts = useScripts((s) => s.drafts)
  return editorScript({ openPath, opened }, { language, drafts })
}

/**
 * The editor's edits to the saved script it was opened from, while the Scripts page shows them:
 * Save writes them back to it (as the tree's Save does), Discard puts its saved code back. The
 * editor's text of a language without a saved script is a draft kept over reloads, not asked about.
 */
function scriptEdits(): UnsavedWork | null {
  const { opened } = useSavedScripts.getState()
  const { path, dirty } = editorScript(useSavedScripts.getState(), useScripts.getState())
  if (useRoute.getState().page !== 'scripts' || !path || !dirty || !opened) return null
  return {
    name: path,
    keeps: (to) => to.page === 'scripts',
    save: () => useSavedScripts.getState().saveAs(path, true),
    discard: () => useScripts.getState().setDraft(opened.code),
  }
}
registerUnsaved(scriptEdits)

/** The id of the side panel's script path field, the Scripts page's "Save as" (Ctrl+S on a draft goes there). */
export const SCRIPT_PATH_FIELD = 'sc-script-path'

/**
 * Ctrl/Cmd+S on the Scripts page, as in VS Code: in the path field with a path typed, what its
 * button says (Save, or Save as that path); else the open saved script is saved over; else (a draft
 * of no saved script) "Save as" asks for a path: the side panel is shown and its path field focused.
 * `showSide` unfolds the side panel when it is folded.
 */
export function saveFromShortcut(showSide: () => void): void {
  const field = document.getElementById(SCRIPT_PATH_FIELD)
  if (field instanceof HTMLInputElement && document.activeElement === field && field.value.trim()) {
    field.form?.requestSubmit()
    return
  }
  const { path } = editorScript(useSavedScripts.getState(), useScripts.getState())
  if (path) {
    void useSavedScripts.getState().saveAs(path, true)
    return
  }
  showSide()
  // the field is there once the unfolded panel has rendered
  requestAnimationFrame(() => {
    const shown = document.getElementById(SCRIPT_PATH_FIELD)
    if (shown instanceof HTMLInputElement) {
      shown.focus()
      shown.select()
    }
  })
}

/**
 * Whether a saved script may replace the editor's text: asks about edits to the open saved script,
 * or (Discard or Cancel) about the draft of its `language` that it would replace when that is in
 * no saved script and not the starter text.
 */
export function mayOpenScript(language: ScriptLanguage = useScripts.getState().language): Promise<boolean> {
  const draft = useScripts.getState().drafts[language]
  const loose = !useSavedScripts.getState().openPath && draft.trim() !== '' && draft !== STARTER_CODE[language]
  return mayLeave(undefined, scriptEdits() ?? (loose ? { name: `the ${LANGUAGE_LABELS[language]} draft`, keeps: () => false, discard: () => undefined } : null))
}
