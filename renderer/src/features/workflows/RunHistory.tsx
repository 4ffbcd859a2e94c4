import { isTerminalJob, STATUS_LABELS } from '../../../../shared/status'
import { useWorkflows } from '../../stores/workflows'
import { useNow } from '../jobs/use-now'
import { formatDuration, fullTime, shortTime } from '../jobs/format'
import { StatusBadge } from '../jobs/StatusBadge'
import { JsonView } from '../shell/JsonView'
import { SafeText } from '../shell/SafeText'

/** The shown execution's id, version and shared context (what outputMappings wrote). */
export function ExecutionSummary() {
  const execution = useWorkflows((s) => s.execution)
  if (!execution) return null
  const version = execution.descriptorId.split(':md5_')[1]?.slice(0, 8) ?? execution.descriptorId
  return (
    <section className="wf-run-section" aria-label="shown execution">
      <h3>Execution #{execution.jobId}</h3>
      <p className="wf-execution-id" title="execution id (Rill Flow's execution_id)">
        <code>{execution.executionId}</code>
      </p>
      {execution.error && isTerminalJob(execution.status) && (
        // why it ended, without a click on the task: the line the Jobs page shows
        <p className={`headline headline-${execution.status}`} role="alert" data-testid="execution-error">
          <strong>{STATUS_LABELS[execution.status].replace(/^./, (c) => c.toUpperCase())}:</strong> <SafeText text={execution.error} multiline />
        </p>
      )}
      <p className="muted wf-run-target">
        version <code>{version}</code>
      </p>
      <h3>Context</h3>
      <JsonView value={execution.context} className="wf-json" label="execution context" />
    </section>
  )
}

/** Recent executions of the open descriptor, a sub-flow marked with the run that started it; one click shows it in the graph. */
export function RecentRuns() {
  const runs = useWorkflows((s) => s.runs)
  const shownId = useWorkflows((s) => (s.mode === 'run' ? s.execution?.jobId : undefined))
  const loadExecution = useWorkflows((s) => s.loadExecution)
  // running runs' durations count up, as on the Jobs page: one clock for the list
  const now = useNow(runs.some((j) => j.startedAt != null && !isTerminalJob(j.status)))
  if (runs.length === 0) return null
  return (
    <section className="wf-run-section" aria-label="recent runs">
      <h3>Recent runs</h3>
      <ul className="wf-runs">
        {runs.map((job) => (
          <li key={job.id}>
            <button className={job.id === shownId ? 'wf-run-item active' : 'wf-run-item'} data-job-id={job.id} onClick={() => void loadExecution(job.id)}>
              <span className="wf-run-id">#{job.id}</span>
              <StatusBadge status={job.status} />
              {/* one line in the narrow panel: an earlier day's run says its day, the title the rest */}
              <span className="muted wf-run-when" title={`submitted ${fullTime(job.createdAt)}`}>
                {shortTime(job.createdAt)}
              </span>
              <span className="muted wf-run-duration">{formatDuration(job.startedAt, job.finishedAt, now)}</span>
              {job.parentJobId != null && (
                // started by another workflow's run (flow_sync/flow_async), not submitted here: as the Jobs page's ↳ mark says
                <span className="muted wf-run-parent" title={`a sub-flow: started by job #${job.parentJobId}, another workflow's run`}>
                  ↳ sub-flow of #{job.parentJobId}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
