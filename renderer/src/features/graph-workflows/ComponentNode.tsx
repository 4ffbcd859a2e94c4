import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps } from '@xyflow/react'
import { useEffect } from 'react'
import { STATUS_LABELS } from '../../../../shared/status'
import { formatDuration } from '../jobs/format'
import { SafeText, visibleText } from '../shell/SafeText'
import { inHandle, outHandle, type ComponentNodeData } from './canvas-model'

export type ComponentFlowNode = Node<ComponentNodeData & { showIssues: boolean }, 'component'>

/**
 * One component on the canvas, as Explorer draws it: its name and what it is, its input anchors
 * on the left and output anchors on the right (wires join them), its task's state in the shown job,
 * its validation problems once a save or run was tried, and its warnings (a graph not there yet) at once.
 */
export function ComponentNode({ data, selected }: NodeProps<ComponentFlowNode>) {
  const { component, title, subtitle, inputs, outputs, issues, warnings, task, notRun, showIssues } = data
  const status = notRun ? 'not_run' : (task?.status ?? 'design')
  const statusText = notRun ? 'not run' : task ? STATUS_LABELS[task.status] : ''
  const marked = showIssues && issues.length > 0
  // anchors come and go with the settings (renamed outputs, an upstream input): xyflow re-reads the handles then
  const updateInternals = useUpdateNodeInternals()
  const anchors = `${inputs.map((a) => a.anchor).join(',')}|${outputs.join(',')}`
  useEffect(() => updateInternals(component.id), [anchors, component.id, updateInternals])
  return (
    <div
      className={`gw-node status-${status}${selected ? ' selected' : ''}${marked ? ' invalid' : ''}`}
      data-testid={`gw-node-${component.id}`}
      data-status={status}
      aria-label={`component ${component.id}${task ? `, ${statusText}` : ''}${marked ? `, ${issues.length} problem${issues.length === 1 ? '' : 's'}` : ''}`}
    >
      <div className="gw-node-head">
        <span className="gw-node-title" title={visibleText(`${title} (${component.id})`)}>
          <SafeText text={title} />
        </span>
        {task ? (
          <span className="gw-node-status" data-testid={`gw-node-status-${component.id}`}>
            {statusText}
            {task.startedAt !== null && task.finishedAt !== null ? ` · ${formatDuration(task.startedAt, task.finishedAt)}` : ''}
          </span>
        ) : (
          marked && (
            <span className="gw-node-badge" title={issues.join('\n')}>
              ⚠ {issues.length}
            </span>
          )
        )}
      </div>
      <div className="gw-node-sub" title={visibleText(subtitle)}>
        <span className="gw-node-id">
          <SafeText text={component.id} />
        </span>{' '}
        · <SafeText text={subtitle} />
      </div>
      <div className="gw-anchors">
        <div className="gw-inputs">
          {inputs.map((a) => (
            <div key={a.anchor} className={`gw-anchor gw-in${a.wired ? ' wired' : ''}${showIssues && a.required && !a.wired ? ' missing' : ''}${a.required ? ' required' : ''}`} title={`input ${a.anchor}${a.required ? ' (required)' : ''}`}>
              <Handle type="target" id={inHandle(a.anchor)} position={Position.Left} className="gw-handle" data-testid={`gw-in-${component.id}-${a.anchor}`} />
              {a.anchor}
            </div>
          ))}
        </div>
        <div className="gw-outputs">
          {outputs.map((o) => (
            <div key={o} className="gw-anchor gw-out" title={`output ${o}`}>
              {o}
              <Handle type="source" id={outHandle(o)} position={Position.Right} className="gw-handle" data-testid={`gw-out-${component.id}-${o}`} />
            </div>
          ))}
        </div>
      </div>
      {marked && !task && (
        <div className="gw-node-issue" data-testid={`gw-issue-${component.id}`} title={issues.join('\n')}>
          {issues[0]}
        </div>
      )}
      {!marked && !task && warnings.length > 0 && (
        <div className="gw-node-warning" data-testid={`gw-warning-${component.id}`} title={warnings.join('\n')}>
          {warnings[0]}
        </div>
      )}
      {task?.error && (
        <div className="gw-node-issue" title={task.error}>
          {task.error}
        </div>
      )}
      {task?.rows != null && task.status === 'succeeded' && <div className="gw-node-rows">{task.rows} rows</div>}
    </div>
  )
}
