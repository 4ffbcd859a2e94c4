import { useEffect, useRef, type CSSProperties } from 'react'
import { onEvent } from '../../api/client'
import { onConnection } from '../../api/connection'
import { useLayout, WORKFLOW_DRAWER_QUERY } from '../../stores/layout'
import { FoldHandle } from '../shell/FoldHandle'
import { useMediaQuery } from '../shell/use-media-query'
import { Splitter, useSplitShare } from '../shell/Splitter'
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
  // a stream that dropped while the window was away may have missed changes: look again on return
  useEffect(() => {
    const follow = () => document.visibilityState === 'visible' && useWorkflows.getState().followChanges()
    window.addEventListener('focus', follow)
    document.addEventListener('visibilitychange', follow)
    const offConnection = onConnection((change) => change === 'restored' && useWorkflows.getState().followChanges())
    return () => {
      offConnection()
      window.removeEventListener('focus', follow)
      document.removeEventListener('visibilitychange', follow)
    }
  }, [])
  const work = useRef<HTMLDivElement>(null)
  const editorShare = useSplitShare('workflows.editor', work)
  // a narrow window's list is a drawer over the editor: it starts closed, whatever the column was
  const drawer = useMediaQuery(WORKFLOW_DRAWER_QUERY)
  const listFolded = useLayout((s) => (drawer ? !s.workflowDrawerOpen : s.workflowListCollapsed))
  const panelFolded = useLayout((s) => s.workflowPanelCollapsed)
  const { toggleWorkflowList, toggleWorkflowPanel, setWorkflowDrawer } = useLayout.getState()
  useEffect(() => setWorkflowDrawer(false), [drawer, setWorkflowDrawer])
  const toggleList = drawer ? () => setWorkflowDrawer(listFolded) : toggleWorkflowList
  return (
    <div className={`wf-page${listFolded ? ' list-folded' : ''}${panelFolded ? ' panel-folded' : ''}`}>
      {!listFolded && <WorkflowList />}
      <FoldHandle folded={listFolded} side="left" what="workflow list" onToggle={toggleList} />
      <div className="wf-work" ref={work} style={{ '--wf-editor': `${editorShare}%` } as CSSProperties}>
        <EditorPane />
        <Splitter name="workflows.editor" size={editorShare} label="resize editor and graph" controls="wf-editor-pane" container={() => work.current} />
        <DagView onOpenJob={onOpenJob} />
      </div>
      <FoldHandle folded={panelFolded} side="right" what={selectedTask ? 'task panel' : 'run panel'} onToggle={toggleWorkflowPanel} />
      {!panelFolded && (selectedTask ? <TaskPanel name={selectedTask} /> : <RunPanel />)}
    </div>
  )
}
