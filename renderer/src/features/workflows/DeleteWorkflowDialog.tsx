import { useState } from 'react'
import type { WorkflowSummary } from '../../../../shared/workflows'
import { ApiError } from '../../api/transport'
import { useJobs } from '../../stores/jobs'
import { useRoute } from '../../stores/route'
import { useSession } from '../../stores/session'
import { hasUnsavedEdits, useWorkflows } from '../../stores/workflows'
import { visibleText } from '../shell/SafeText'
import { ConfirmDialog } from '../jobs/ConfirmDialog'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * Asks before deleting a workflow, naming it and what goes with it (its versions and aliases, and
 * unsaved edits of it in the editor). A refusal stays in the dialog in the server's words; while
 * runs of the workflow are kept (conflict `workflow_has_executions`) it offers them on the Jobs page.
 */
export function DeleteWorkflowDialog({ summary, onClose }: { summary: WorkflowSummary; onClose: () => void }) {
  const deleteWorkflow = useWorkflows((s) => s.deleteWorkflow)
  const unsaved = useWorkflows((s) => s.detail?.workspace === summary.workspace && s.detail.name === summary.name && hasUnsavedEdits(s))
  const me = useSession((s) => s.user?.username)
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<{ message: string; hasRuns: boolean } | null>(null)
  const id = `${summary.workspace}:${summary.name}`
  const aliases = Object.keys(summary.aliases).sort()
  const showRuns = () => {
    onClose()
    useJobs.getState().setFilter({ type: 'workflow', text: id, status: undefined, from: undefined, to: undefined })
    useRoute.getState().setPage('jobs')
  }
  return (
    <ConfirmDialog
      title={`Delete the workflow ${visibleText(id)}?`}
      confirm={busy ? 'Deleting…' : 'Delete workflow'}
      danger
      onClose={onClose}
      onConfirm={() => {
        if (busy) return
        setBusy(true)
        deleteWorkflow(summary.workspace, summary.name).then(onClose, (e: unknown) => {
          setBusy(false)
          setRefusal({ message: e instanceof Error ? e.message : String(e), hasRuns: e instanceof ApiError && e.body.code === 'workflow_has_executions' })
        })
      }}
    >
      <p data-testid="workflow-delete-question">
        Deleting it also deletes its {plural(summary.versions, 'version')}
        {aliases.length > 0 && (
          <>
            {' '}and {aliases.length === 1 ? '1 alias' : `${aliases.length} aliases`} (
            {aliases.map((a, i) => (
              <span key={a}>
                {i > 0 && ', '}
                <code>{a}</code>
              </span>
            ))}
            )
          </>
        )}
        {unsaved && ', and your unsaved edits of it in the editor'}. This cannot be undone.
        {me && summary.owner !== me && ` It belongs to ${visibleText(summary.owner)}.`}
      </p>
      {refusal && (
        <p className="error-text" role="alert" data-testid="workflow-delete-refusal">
          Not deleted: {refusal.message}.{' '}
          {refusal.hasRuns && (
            <button type="button" className="link" onClick={showRuns}>
              Show its runs on the Jobs page
            </button>
          )}
        </p>
      )}
    </ConfirmDialog>
  )
}
