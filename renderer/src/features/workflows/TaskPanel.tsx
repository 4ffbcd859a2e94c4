import { Fragment } from 'react'
import type { ExecutionTask, WorkflowNode } from '../../../../shared/workflows'
import { isTerminalTask } from '../../../../shared/status'
import { attemptText, droppedTriesText, isRedoTry } from '../../../../shared/task-attempts'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { TaskAttemptLog } from '../jobs/TaskAttemptLog'
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

/** The header's attempt: its number as the picker and the invoke history give it, and the retry within it ("4, try 2"). */
const attemptFact = (task: ExecutionTask): string => attemptText(task.attempt, task.try)

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
        <dd data-testid="task-attempt">{attemptFact(task)}</dd>
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
      <TaskAttemptLog key={task.name} task={task.name} lines={logs} runsBefore={runsBefore} ended={isTerminalTask(task.status)} />
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
 * "#" is the attempt's number as the header and the log's picker give it (historyAttemptNumbers), a retry
 * within it "4, try 2"; an attempt a redo started is marked "(redo)" (from its own numbers: the oldest row
 * kept too). Once the oldest tries are dropped, a note above the rows says which (droppedTriesText).
 */
function AttemptList({ attempts }: { attempts: ExecutionTask['attempts'] }) {
  const dropped = attempts.length > 0 ? droppedTriesText(attempts[0]) : null
  return (
    <>
      <h3>Invoke history</h3>
      {dropped && (
        <p className="muted wf-tries-not-kept" data-testid="tries-not-kept">
          {dropped}
        </p>
      )}
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
                  {attemptText(a.attempt, a.try)}
                  {isRedoTry(a) && (
                    <span className="muted" data-testid="attempt-redo" title="A redo ran this task again">
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
