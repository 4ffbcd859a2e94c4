import { hasUnsavedEdits, hasUnsavedNewWorkflow, useWorkflows } from '../../stores/workflows'

/**
 * Whether "New workflow" may start again from the template: true when the new workflow's draft
 * has no unsaved edits, or the user agrees to drop them. (Drafts of saved workflows are kept per
 * descriptor, so opening another workflow loses nothing and asks nothing.)
 */
export function mayStartNewWorkflow(): boolean {
  return !hasUnsavedNewWorkflow() || window.confirm('Discard the unsaved new workflow and start again from the template?')
}

/** Asks before the window is closed or reloaded while the workflow editor has unsaved edits. Returns the stop function. */
export function guardUnload(): () => void {
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!hasUnsavedEdits(useWorkflows.getState())) return
    e.preventDefault()
    e.returnValue = '' // older Chromium (Electron) wants this set as well
  }
  window.addEventListener('beforeunload', onBeforeUnload)
  return () => window.removeEventListener('beforeunload', onBeforeUnload)
}
