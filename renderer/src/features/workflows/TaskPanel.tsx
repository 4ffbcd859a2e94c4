import { Fragment, useState } from 'react'
import type { ExecutionTask, WorkflowNode } from '../../../../shared/workflows'
import type { LogLine } from '../../../../shared/model'
import { isTerminalTask } from '../../../../shared/status'
import { taskAttempts, type TaskAttemptLog } from '../../../../shared/task-attempts'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { LogTail } from '../jobs/LogTail'
import { StatusBadge } from '../jobs/StatusBadge'
import { branchOrder, chainOf } from './dag-layout'
import { findTask, subTasksOf } from './execution-status'
import { JsonView } from '../shell/JsonView'
import { SafeText } from '../shell/SafeText'
import { SubTaskList } from './SubTaskList'

const NO_TASKS: ExecutionTask[] = []

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <>
      <h3>{label}</h3>
      {value === null || value === undefined ? (
        <pre className="wf-json" aria-label={`task ${label.toLowerCase()}`}>
          —
        </pre>
      ) : (
        <JsonView value={value} className="wf-json" label={`task ${label.toLowerCase()}`} />
      )}
    </>
  )
}

/** The group task a sub-task belongs to: route `each_0` → `each`, `each_0-inner_2` → `each_0-inner`. */
const parentOf = (task: ExecutionTask): string | null => (task.route ? task.route.replace(/_\d+$/, '') : null)

function PanelHeader({ name, back }: { name: string; back: string | null }) {
  const selectTask = useWorkflows((s) => s.selectTask)
  return (
    <header>
      <div>
        {back && (
          <button className="link wf-back" onClick={() => void selectTask(back)}>
            ‹ <SafeText text={back} />
          </button>
        )}
        <h2>
          <SafeText text={name} />
        </h2>
      </div>
      <button className="icon" aria-label="close task panel" onClick={() => void selectTask(null)}>
        ×
      </button>
    </header>
  )
}

/** A task of the shown execution: state, times, input/output/error, its sub-tasks and its log lines. */
function TaskRun({ task }: { task: ExecutionTask }) {
  const tasks = useWorkflows((s) => s.execution?.tasks ?? NO_TASKS)
  const logs = useWorkflows((s) => s.taskLogs)
  const runsBefore = useWorkflows((s) => s.taskLogRunsBefore)
  const selectTask = useWorkflows((s) => s.selectTask)
  const isGroup = task.category === 'foreach' || task.category === 'choice'
  return (
    <>
      <PanelHeader name={task.name} back={parentOf(task)} />
      <div className="detail-meta" data-testid="task-status" data-status={task.status}>
        <StatusBadge status={task.status} />
        <span className="wf-category">{task.category}</span>
      </div>
      <dl className="facts">
        <dt>Attempt</dt>
        <dd>{task.attempt}</dd>
        <dt>Started</dt>
        <dd>{formatTime(task.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(task.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(task.startedAt, task.finishedAt)}</dd>
      </dl>
      {task.error && (
        <>
          <h3>Error</h3>
          <pre className="wf-json wf-error-block" aria-label="task error">
            {task.error}
          </pre>
        </>
      )}
      {task.attempts.length > 0 && <AttemptList attempts={task.attempts} />}
      <JsonBlock label="Input" value={task.input} />
      <JsonBlock label="Output" value={task.output} />
      {isGroup && <SubTaskList tasks={subTasksOf(tasks, task.name)} onSelect={(name) => void selectTask(name)} />}
      <TaskLog key={task.name} task={task.name} lines={logs} runsBefore={runsBefore} ended={isTerminalTask(task.status)} />
    </>
  )
}

/**
 * A task's log, one run at a time when a redo ran it more than once: a picker ("attempt 2 of 3 (redo)")
 * shows one run's lines, the latest by default (and it follows new runs until another is picked), as
 * Airflow's task log has a tab per try. The lines are the task panel's (the log's tail page, capped as
 * before; `runsBefore` as useWorkflows' taskLogRunsBefore); mount it keyed by the task, so that another
 * task starts at its latest run.
 */
function TaskLog({ task, lines, runsBefore, ended }: { task: string; lines: LogLine[]; runsBefore: number | null; ended: boolean }) {
  const runs = taskAttempts(lines, task, runsBefore)
  // the run picked, by its number; null: the latest, whichever it is as new runs begin
  const [picked, setPicked] = useState<number | null>(null)
  const latest = runs[runs.length - 1]
  const shown = runs.find((r) => r.number === picked) ?? latest
  const label = (r: TaskAttemptLog) => {
    const notes = [r.number > 1 && 'redo', r === latest && 'latest', r.partial && 'earlier lines not loaded'].filter(Boolean)
    return `attempt ${r.number} of ${latest.number}${notes.length ? ` (${notes.join(', ')})` : ''}`
  }
  return (
    <>
      <div className="task-log-head">
        <h3>Log</h3>
        {latest.number > 1 && (
          <select aria-label="attempt to show" value={shown.number} onChange={(e) => setPicked(Number(e.target.value) === latest.number ? null : Number(e.target.value))}>
            {runs.map((r) => (
              <option key={r.number} value={r.number}>
                {label(r)}
              </option>
            ))}
          </select>
        )}
      </div>
      {/* an earlier run has ended whatever the task does now */}
      <LogTail lines={shown.lines} ended={ended || shown !== latest} />
    </>
  )
}

/** A task of the draft (no execution shown): what the descriptor says about it. */
function TaskDesign({ node }: { node: WorkflowNode }) {
  return (
    <>
      <PanelHeader name={node.name} back={null} />
      <dl className="facts">
        <dt>Category</dt>
        <dd>
          <span className="wf-category">{node.category}</span>
        </dd>
        {node.title && (
          <>
            <dt>Title</dt>
            <dd>
              <SafeText text={node.title} />
            </dd>
          </>
        )}
        <dt>Next</dt>
        <dd>{node.next.length ? node.next.join(', ') : '— (an end task)'}</dd>
      </dl>
      {node.groups &&
        branchOrder(node).map((g, k) => (
          <p key={g} className="wf-group-def">
            <strong>{node.category === 'choice' ? `Choice #${k + 1} when ` : 'Each item runs'}</strong>
            {node.category === 'choice' && <code>{node.conditions?.[g] || 'default'}</code>}: {chainOf(node.groups![g]) || '(empty)'}
          </p>
        ))}
      {node.switches?.map((w, k) => (
        <p key={k} className="wf-group-def">
          <strong>Switch #{k + 1} when </strong>
          <code>{w.condition || 'default'}</code>: {w.next ?? '(no task)'}
          {w.break && ' · then stop'}
        </p>
      ))}
      <p className="muted">Open a run (Recent runs, the grid, or Submit) to see this task's input, output, error and log.</p>
    </>
  )
}

/** The design node named `name` at any level (inside foreach bodies and choice branches too). */
function findNode(nodes: readonly WorkflowNode[], name: string): WorkflowNode | undefined {
  for (const n of nodes) {
    if (n.name === name) return n
    for (const group of n.groups ?? []) {
      const found = findNode(group, name)
      if (found) return found
    }
  }
  return undefined
}

export function TaskPanel({ name }: { name: string }) {
  const mode = useWorkflows((s) => s.mode)
  const task = useWorkflows((s) => (s.mode === 'run' ? findTask(s.execution, name) : undefined))
  const node = useWorkflows((s) => findNode(s.designNodes, name))
  return (
    <aside className="wf-side detail" aria-label="task detail" data-task={name}>
      {task ? <TaskRun task={task} /> : node && mode === 'design' ? <TaskDesign node={node} /> : <PanelHeader name={name} back={null} />}
    </aside>
  )
}

/**
 * The invoke history: every finished attempt, with its outcome. An attempt's error is on the row under it, spanning
 * the table, as in a job's detail: an Error column squeezed the run panel at 900 px and scrolled it sideways.
 * A redo counts tries from 1 again, so its first is marked "(redo)": two rows "1" read as a mistake (trial13).
 */
function AttemptList({ attempts }: { attempts: ExecutionTask['attempts'] }) {
  return (
    <>
      <h3>Invoke history</h3>
      <table className="tasks" aria-label="invoke history">
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a, i) => (
            <Fragment key={i}>
              <tr>
                <td>
                  {a.attempt}
                  {i > 0 && a.attempt <= attempts[i - 1].attempt && (
                    <span className="muted" data-testid="attempt-redo" title="A redo ran this task again: its tries count from 1 again">
                      {' '}
                      (redo)
                    </span>
                  )}
                </td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td>{formatTime(a.startedAt)}</td>
                <td>{formatDuration(a.startedAt, a.finishedAt)}</td>
              </tr>
              {a.error && (
                <tr className="task-error">
                  <td colSpan={4} className="error-text">
                    {a.error}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  )
}
