import { useState } from 'react'
import type { ExecutionTask } from '../../../../shared/workflows'
import { formatDuration } from '../jobs/format'
import { SafeText, visibleText } from '../shell/SafeText'
import { StatusBadge } from '../jobs/StatusBadge'

/** Rows drawn at most; a 1000-iteration foreach is narrowed with the filter. */
const MAX_ROWS = 200

const FILTERS = {
  all: () => true,
  problems: (t: ExecutionTask) => t.status === 'failed' || t.status === 'timed_out' || t.status === 'cancelled',
  active: (t: ExecutionTask) => t.status === 'running' || t.status === 'queued' || t.status === 'cancelling',
  waiting: (t: ExecutionTask) => t.status === 'pending',
  done: (t: ExecutionTask) => t.status === 'succeeded' || t.status === 'skipped',
} satisfies Record<string, (t: ExecutionTask) => boolean>
type FilterName = keyof typeof FILTERS

/** The sub-tasks of a choice/foreach node with their statuses; a row opens that sub-task. */
export function SubTaskList({ tasks, onSelect }: { tasks: ExecutionTask[]; onSelect: (name: string) => void }) {
  const [filter, setFilter] = useState<FilterName>('all')
  const shown = tasks.filter(FILTERS[filter])
  return (
    <div className="wf-subtasks">
      <div className="wf-subtasks-head">
        <h3>Sub-tasks ({tasks.length})</h3>
        <select aria-label="sub-task filter" value={filter} onChange={(e) => setFilter(e.target.value as FilterName)}>
          {(Object.keys(FILTERS) as FilterName[]).map((f) => (
            <option key={f} value={f}>
              {f} ({tasks.filter(FILTERS[f]).length})
            </option>
          ))}
        </select>
      </div>
      {tasks.length === 0 ? (
        <p className="muted">No sub-tasks yet: they appear when this task starts.</p>
      ) : (
        <table className="tasks" aria-label="sub-tasks">
          <thead>
            <tr>
              <th>Task</th>
              <th>Status</th>
              <th>Try</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, MAX_ROWS).map((t) => (
              <tr key={t.name} data-task={t.name} className="wf-subtask-row" onClick={() => onSelect(t.name)}>
                <td className="wf-subtask-name" title={visibleText(t.name)}>
                  <SafeText text={t.name} />
                </td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>{t.try}</td>
                <td>{formatDuration(t.startedAt, t.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > MAX_ROWS && <p className="muted">Showing {MAX_ROWS} of {shown.length}; narrow with the filter.</p>}
    </div>
  )
}
