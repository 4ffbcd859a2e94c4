import type { ScriptLanguage } from '../../../../shared/api'
import { useRoute } from '../../stores/route'
import { useSavedScripts } from '../../stores/saved-scripts'
import { useScripts } from '../../stores/scripts'
import { mayLeave, registerUnsaved, type UnsavedWork } from '../shell/leave-guard'
import { LANGUAGE_LABELS, STARTER_CODE } from './languages'

/**
 * The editor's edits to the saved script it was opened from, while the Scripts page shows them:
 * Save writes them back to it (as the tree's Save does), Discard puts its saved code back. The
 * editor's text of a language without a saved script is a draft kept over reloads, not asked about.
 */
function scriptEdits(): UnsavedWork | null {
  const { openPath, opened } = useSavedScripts.getState()
  const { language, drafts } = useScripts.getState()
  if (useRoute.getState().page !== 'scripts' || !openPath || !opened || opened.language !== language || drafts[language] === opened.code) return null
  return {
    name: openPath,
    keeps: (to) => to.page === 'scripts',
    save: () => useSavedScripts.getState().saveAs(openPath, true),
    discard: () => useScripts.getState().setDraft(opened.code),
  }
}
registerUnsaved(scriptEdits)

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
