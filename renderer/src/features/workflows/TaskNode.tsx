import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { ItemProgress, WorkflowNode } from '../../../../shared/workflows'
import { MAX_GROUP_LINES, branchOrder, chainOf, type GraphDirection } from './dag-layout'
import { SafeText, visibleText } from '../shell/SafeText'
import { NODE_STATUS_LABELS, choiceOutcome, itemNotes, itemsDone, type NodeStatus } from './execution-status'
import { attemptText } from '../../../../shared/task-attempts'
import { counted, formatCount } from '../../../../shared/number-format'


export type TaskNodeData = {
  node: WorkflowNode
  /** null while designing (no execution shown). */
  status: NodeStatus | null
  /** How long the task ran (or has been running), e.g. "1.2 s"; null before it started. */
  duration: string | null
  direction: GraphDirection
  /** The task's attempt and the try within it, as served (ExecutionTask); 0 before it runs. */
  attempt: number
  try: number
  /** For choice/foreach nodes of a shown execution, once started. */
  progress: ItemProgress | null
  runMode: boolean
  /** Wires can be dragged from and to it (the design graph of the draft); false while a run is shown. */
  editable: boolean
  /** A foreach or choice drawn expanded: its bodies' boxes (px, relative to the node), in which its inner tasks are drawn. */
  bodies?: { x: number; y: number; width: number; height: number }[] | null
  /** A task inside a foreach's body or a choice's branch. */
  inner?: boolean
}
export type TaskFlowNode = Node<TaskNodeData, 'task'>

function GroupLines({ node, progress }: { node: WorkflowNode; progress: ItemProgress | null }) {
  const groups = node.groups ?? []
  const order = branchOrder(node).slice(0, groups.length > MAX_GROUP_LINES ? MAX_GROUP_LINES : groups.length)
  const isChoice = node.category === 'choice'
  return (
    <ul className="wf-groups" aria-label={`${node.name} sub-graph`}>
      {order.map((g, k) => {
        const taken = isChoice && progress?.started.includes(g)
        const chain = chainOf(groups[g])
        const condition = node.conditions?.[g]
        return (
          <li key={g} className={taken ? 'taken' : undefined} title={condition ? `#${k + 1} when ${condition}: ${chain}` : chain} data-testid={isChoice ? `wf-branch-${node.name}-${k + 1}` : undefined}>
            <span className="wf-group-label">{isChoice ? `${taken ? '✓' : ''}#${k + 1}` : 'body'}</span>
            {isChoice && <code className="wf-group-cond">{condition || 'default'}</code>}
            <span className="wf-group-chain">{isChoice ? '→ ' : ''}{chain || '(empty)'}</span>
          </li>
        )
      })}
      {groups.length > MAX_GROUP_LINES && <li className="muted">+{groups.length - MAX_GROUP_LINES} more branches</li>}
    </ul>
  )
}

function ProgressRow({ node, progress, status }: { node: WorkflowNode; progress: ItemProgress | null; status: NodeStatus | null }) {
  if (node.category === 'choice') {
    const order = branchOrder(node)
    return <div className="wf-node-progress">{choiceOutcome((progress?.started ?? []).map((g) => order.indexOf(g) + 1), status)}</div>
  }
  const p = progress
  const pct = p?.total ? Math.round((p.done / p.total) * 100) : 0
  const cancelledPct = p?.total ? Math.round(((p.cancelled + p.skipped) / p.total) * 100) : 0
  const notes = p ? itemNotes(p) : []
  const summary = p
    ? `${counted(p.total, 'item')}: ${(['succeeded', 'failed', 'running', 'waiting', 'cancelled', 'skipped'] as const).map((k) => `${formatCount(p[k])} ${k}`).join(', ')}`
    : 'not started'
  return (
    <div className="wf-node-items" data-testid={`wf-node-progress-${node.name}`} title={summary}>
      <div className="wf-node-progress">
        <div className="wf-mini-bar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${node.name} items done`}>
          <div className={p?.failed ? 'fill failed' : 'fill'} style={{ width: `${pct}%` }} />
          <div className="fill stopped" style={{ width: `${cancelledPct}%` }} />
        </div>
        <span data-testid={`wf-node-done-${node.name}`}>{p ? itemsDone(p) : 'not started'}</span>
      </div>
      <div className="wf-node-notes" data-testid={`wf-node-notes-${node.name}`}>
        {notes.length === 0 && <span className="muted">{!p ? 'waiting to start' : p.total === 0 ? 'empty collection' : 'all succeeded'}</span>}
        {notes.map((n, i) => (
          <span key={n.text} className={n.tone ? `wf-note-${n.tone}` : undefined}>
            {i > 0 && ' · '}
            {n.text}
          </span>
        ))}
      </div>
    </div>
  )
}

/** One task of the drawn DAG: name, category badge, live status; choice/foreach show their sub-graph in brief. */
export function TaskNode({ data, selected }: NodeProps<TaskFlowNode>) {
  const { node, status, attempt, try: tryNo, progress, runMode, duration, direction, editable, bodies } = data
  const shownStatus = status ?? 'design'
  // as the task panel's header words it: "attempt 4", "attempt 1, try 2"; nothing for a first run's first try.
  // On the name's row: the status row, with the category and the duration, cut it to "succeeded · atte…"
  const attemptShown = status && (attempt > 1 || tryNo > 1) ? `attempt ${attemptText(attempt, tryNo)}` : null
  return (
    <div
      className={`wf-node status-${shownStatus}${selected ? ' selected' : ''}${bodies ? ' expanded' : ''}`}
      data-testid={`wf-node-${node.name}`}
      data-status={shownStatus}
      aria-label={`task ${node.name}${status ? `, ${NODE_STATUS_LABELS[status]}` : ''}${attemptShown ? `, ${attemptShown}` : ''}`}
    >
      <Handle type="target" position={direction === 'LR' ? Position.Left : Position.Top} isConnectable={editable} />
      <div className="wf-node-head">
        <div className="wf-node-name" title={visibleText(node.title ? `${node.name} — ${node.title}` : node.name)}>
          <SafeText text={node.name} />
        </div>
        {attemptShown && (
          <span className="wf-node-attempt" data-testid={`wf-node-attempt-${node.name}`}>
            {attemptShown}
          </span>
        )}
      </div>
      <div className="wf-node-meta">
        <span className={`wf-category cat-${node.category}`}>{node.category}</span>
        {status ? (
          <span className="wf-node-status">
            {NODE_STATUS_LABELS[status]}
            {duration && (
              <span className="wf-node-duration" data-testid={`wf-node-duration-${node.name}`}>
                {' · '}
                {duration}
              </span>
            )}
          </span>
        ) : (
          node.title && (
            <span className="wf-node-title">
              <SafeText text={node.title} />
            </span>
          )
        )}
      </div>
      {node.groups && <GroupLines node={node} progress={progress} />}
      {runMode && node.groups && <ProgressRow node={node} progress={progress} status={status} />}
      {bodies?.map((b, i) => (
        <div key={i} className="wf-node-body" style={{ left: b.x, top: b.y, width: b.width, height: b.height }} aria-hidden="true">
          {node.category === 'choice' && <span className="wf-node-body-label">#{i + 1}</span>}
        </div>
      ))}
      <Handle type="source" position={direction === 'LR' ? Position.Right : Position.Bottom} isConnectable={editable} />
    </div>
  )
}
