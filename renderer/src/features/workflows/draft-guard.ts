import { useRoute } from '../../stores/route'
import { hasUnsavedEdits, useWorkflows } from '../../stores/workflows'
import { mayLeave, registerUnsaved, type UnsavedWork } from '../shell/leave-guard'

/**
 * The Workflows editor's unsaved edits (the descriptor text differs from the version it was opened
 * from, or a new workflow's from the starter), while the page shows them. Save saves a version as
 * the toolbar's Save does; Discard forgets the kept draft too.
 */
function workflowEdits(): UnsavedWork | null {
  const s = useWorkflows.getState()
  if (useRoute.getState().page !== 'workflows' || !hasUnsavedEdits(s)) return null
  const descriptor = s.detail?.descriptorId
  return {
    name: s.detail ? `${s.detail.workspace}:${s.detail.name}` : 'the new workflow',
    keeps: (to) => to.page === 'workflows' && to.descriptor === descriptor,
    save: async () => {
      await useWorkflows.getState().save()
      return !hasUnsavedEdits(useWorkflows.getState())
    },
    discard: () => useWorkflows.getState().discardDraft(),
  }
}
registerUnsaved(workflowEdits)

/** Whether "New workflow" may replace the editor's text: no unsaved edits, or the user saved or dropped them. */
export const mayStartNewWorkflow = (): Promise<boolean> => mayLeave(undefined, workflowEdits())

/** Whether another descriptor (or version) may be opened in the editor: asks about unsaved edits as mayLeave. */
export const mayOpenWorkflow = (descriptorId: string): Promise<boolean> => mayLeave({ page: 'workflows', descriptor: descriptorId })
