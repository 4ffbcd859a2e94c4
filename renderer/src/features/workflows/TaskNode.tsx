import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import { STATUS_LABELS, type TaskStatus } from '../../../../shared/status'
import type { WorkflowNode } from '../../../../shared/workflows'
import { MAX_GROUP_LINES, chainOf } from './dag-layout'
import type { GroupProgress } from './execution-status'

export type TaskNodeData = {
  node: WorkflowNode
  /** null while designing (no execution shown). */
  status: TaskStatus | null
  attempt: number
  /** For choice/foreach nodes of a shown execution. */
  progress: GroupProgress | null
  runMode: boolean
}
export type TaskFlowNode = Node<TaskNodeData, 'task'>

function GroupLines({ node, progress }: { node: WorkflowNode; progress: GroupProgress | null }) {
  const groups = node.groups ?? []
  const shown = groups.slice(0, groups.length > MAX_GROUP_LINES ? MAX_GROUP_LINES : groups.length)
  const isChoice = node.category === 'choice'
  return (
    <ul className="wf-groups" aria-label={`${node.name} sub-graph`}>
      {shown.map((group, i) => {
        const taken = isChoice && progress?.started.includes(i)
        const label = isChoice ? `${taken ? '✓' : ''}#${i + 1}` : 'body'
        const chain = chainOf(group)
        const condition = node.conditions?.[i]
        return (
          <li key={i} className={taken ? 'taken' : undefined} title={condition ? `when ${condition}: ${chain}` : chain}>
            <span className="wf-group-label">{label}</span>
            <span className="wf-group-chain">{chain || '(empty)'}</span>
          </li>
        )
      })}
      {groups.length > MAX_GROUP_LINES && <li className="muted">+{groups.length - MAX_GROUP_LINES} more branches</li>}
    </ul>
  )
}

function ProgressRow({ node, progress }: { node: WorkflowNode; progress: GroupProgress | null }) {
  const p = progress ?? { total: 0, done: 0, failed: 0, started: [] }
  if (node.category === 'choice') {
    const taken = p.started.map((i) => `#${i + 1}`).join(', ')
    return <div className="wf-node-progress">{taken ? `took ${taken}` : 'no branch taken yet'}</div>
  }
  const pct = p.total ? Math.round((p.done / p.total) * 100) : 0
  return (
    <div className="wf-node-progress" data-testid={`wf-node-progress-${node.name}`}>
      <div className="wf-mini-bar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${node.name} groups done`}>
        <div className={p.failed ? 'fill failed' : 'fill'} style={{ width: `${pct}%` }} />
      </div>
      <span>
        {p.total ? `${p.done}/${p.total} groups` : 'no groups yet'}
        {p.failed > 0 && <span className="wf-failed-count"> · {p.failed} failed</span>}
      </span>
    </div>
  )
}

/** One task of the drawn DAG: name, category badge, live status; choice/foreach show their sub-graph in brief. */
export function TaskNode({ data, selected }: NodeProps<TaskFlowNode>) {
  const { node, status, attempt, progress, runMode } = data
  const shownStatus = status ?? 'design'
  return (
    <div
      className={`wf-node status-${shownStatus}${selected ? ' selected' : ''}`}
      data-testid={`wf-node-${node.name}`}
      data-status={shownStatus}
      aria-label={`task ${node.name}${status ? `, ${STATUS_LABELS[status]}` : ''}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="wf-node-name" title={node.title ? `${node.name} — ${node.title}` : node.name}>
        {node.name}
      </div>
      <div className="wf-node-meta">
        <span className={`wf-category cat-${node.category}`}>{node.category}</span>
        {status ? (
          <span className="wf-node-status">
            {STATUS_LABELS[status]}
            {attempt > 1 && ` · try ${attempt}`}
          </span>
        ) : (
          node.title && <span className="wf-node-title">{node.title}</span>
        )}
      </div>
      {node.groups && <GroupLines node={node} progress={progress} />}
      {runMode && node.groups && <ProgressRow node={node} progress={progress} />}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  )
}
