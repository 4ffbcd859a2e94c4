import { useEffect } from 'react'
import { onEvent } from '../../api/client'
import { useLayout } from '../../stores/layout'
import { useWorkflows } from '../../stores/workflows'
import { DagView } from './DagView'
import { EditorPane } from './EditorPane'
import { RunPanel } from './RunPanel'
import { TaskPanel } from './TaskPanel'
import { WorkflowList } from './WorkflowList'
import './workflows.css'

/** Descriptors on the left; the YAML editor above its drawn DAG; the run form or a task's detail on the right. */
export function WorkflowsPage({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const refreshList = useWorkflows((s) => s.refreshList)
  const reloadExecution = useWorkflows((s) => s.reloadExecution)
  const apply = useWorkflows((s) => s.apply)
  const selectedTask = useWorkflows((s) => s.selectedTask)
  useEffect(() => {
    void refreshList()
    void reloadExecution() // a shown execution may have moved on while the page was away
  }, [refreshList, reloadExecution])
  useEffect(() => onEvent(apply), [apply])
  const listFolded = useLayout((s) => s.workflowListCollapsed)
  const panelFolded = useLayout((s) => s.workflowPanelCollapsed)
  const { toggleWorkflowList, toggleWorkflowPanel } = useLayout.getState()
  return (
    <div className={`wf-page${listFolded ? ' list-folded' : ''}${panelFolded ? ' panel-folded' : ''}`}>
      {!listFolded && <WorkflowList />}
      <FoldHandle folded={listFolded} side="left" what="workflow list" onToggle={toggleWorkflowList} />
      <div className="wf-work">
        <EditorPane />
        <DagView onOpenJob={onOpenJob} />
      </div>
      <FoldHandle folded={panelFolded} side="right" what={selectedTask ? 'task panel' : 'run panel'} onToggle={toggleWorkflowPanel} />
      {!panelFolded && (selectedTask ? <TaskPanel name={selectedTask} /> : <RunPanel />)}
    </div>
  )
}

/** A thin strip beside a side panel that folds it away or brings it back (the editor and graph take the room). */
function FoldHandle({ folded, side, what, onToggle }: { folded: boolean; side: 'left' | 'right'; what: string; onToggle: () => void }) {
  const pointsLeft = (side === 'left') !== folded
  return (
    <button className={`wf-fold wf-fold-${side}`} onClick={onToggle} aria-label={`${folded ? 'show' : 'hide'} the ${what}`} title={`${folded ? 'Show' : 'Hide'} the ${what}`} aria-expanded={!folded}>
      <span aria-hidden="true">{pointsLeft ? '‹' : '›'}</span>
    </button>
  )
}
