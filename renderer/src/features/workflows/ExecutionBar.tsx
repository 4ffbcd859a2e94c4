import { isTerminalJob } from '../../../../shared/status'
import { useWorkflows } from '../../stores/workflows'
import { ProgressBar, StatusBadge } from '../jobs/StatusBadge'
import { redoAction } from './execution-status'

/** The shown execution at a glance: status, progress, its job on the Jobs page, Cancel and Redo. */
export function ExecutionBar({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const execution = useWorkflows((s) => s.execution)
  const cancel = useWorkflows((s) => s.cancel)
  const redo = useWorkflows((s) => s.redo)
  if (!execution) return null
  const finished = isTerminalJob(execution.status)
  return (
    <div className="wf-execution-bar" data-testid="execution-bar" aria-label="execution">
      <span data-testid="execution-status" data-status={execution.status}>
        <StatusBadge status={execution.status} />
      </span>
      <ProgressBar value={execution.progress} status={execution.status} />
      <button
        className="link wf-job-link"
        data-testid="execution-job"
        title={`Execution ${execution.executionId}: open job #${execution.jobId} on the Jobs page`}
        aria-label={`open job ${execution.jobId} on the Jobs page`}
        onClick={() => onOpenJob(execution.jobId)}
      >
        Job #{execution.jobId} ↗
      </button>
      <span className="wf-spacer" />
      {finished && execution.status !== 'succeeded' && (
        <button className="wf-redo" title={redoAction(execution.status).title} onClick={() => void redo()}>
          {redoAction(execution.status).label}
        </button>
      )}
      <button disabled={finished || execution.status === 'cancelling'} onClick={() => void cancel()}>
        Cancel
      </button>
    </div>
  )
}
