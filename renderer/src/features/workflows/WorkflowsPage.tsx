import { useEffect, useRef, type CSSProperties } from 'react'
import { onEvent } from '../../api/client'
import { onConnection } from '../../api/connection'
import { useLayout, WORKFLOW_DRAWER_QUERY } from '../../stores/layout'
import { parseRoute } from '../../stores/route'
import { SPLIT_DEFAULTS, useSplitSizes } from '../../stores/split-sizes'
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

/**
 * The editor pane's height until the user moves the splitter, with the run panel closed (the
 * page is then for writing): its default share, but in a short window no less than twelve lines
 * of YAML (toolbar, 12 lines, check line: 330 px) while the graph keeps its 240 px minimum
 * (workflows.css; the splitter takes 1 px). With the run panel open the graph's head wraps to
 * more lines and the share alone leaves the graph room. A share the user chose is theirs.
 */
const EDITOR_DEFAULT_HEIGHT = `max(${SPLIT_DEFAULTS['workflows.editor']}%, min(330px, 100% - 241px))`

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
  const editorChosen = useSplitSizes((s) => s.sizes['workflows.editor']) !== undefined
  // a narrow window's list is a drawer over the editor: it starts closed, whatever the column was,
  // except the first time the page is shown with nothing open: an empty editor and no list told a
  // new user nothing (the trial), while opening it on every return covered the editor each time
  const drawer = useMediaQuery(WORKFLOW_DRAWER_QUERY)
  const listFolded = useLayout((s) => (drawer ? !s.workflowDrawerOpen : s.workflowListCollapsed))
  const panelFolded = useLayout((s) => s.workflowPanelCollapsed)
  // nothing to run and no task chosen: the run panel only says "save to run", and a narrow window gives it less room (CSS)
  const panelIdle = useWorkflows((s) => s.detail === null) && !selectedTask
  const { toggleWorkflowList, toggleWorkflowPanel, setWorkflowDrawer } = useLayout.getState()
  useEffect(() => {
    const first = !useLayout.getState().seeWorkflowPage()
    const nothingOpen = !parseRoute(location.hash).descriptor && !useWorkflows.getState().detail
    setWorkflowDrawer(drawer && first && nothingOpen)
  }, [drawer, setWorkflowDrawer])
  // a workflow asked for and not opened (EditorPane's "… was not found, or is not yours."): the drawer
  // closes, else at 900 px it covered the one line saying why the editor shows a new draft (tfui L5)
  const missing = useWorkflows((s) => s.missing)
  useEffect(() => {
    if (missing && drawer) setWorkflowDrawer(false)
  }, [missing, drawer, setWorkflowDrawer])
  const toggleList = drawer ? () => setWorkflowDrawer(listFolded) : toggleWorkflowList
  return (
    <div className={`wf-page${listFolded ? ' list-folded' : ''}${panelFolded ? ' panel-folded' : ''}${panelIdle ? ' panel-idle' : ''}`}>
      {!listFolded && <WorkflowList />}
      <FoldHandle folded={listFolded} side="left" what="workflow list" onToggle={toggleList} />
      <div className="wf-work" ref={work} style={{ '--wf-editor': panelFolded && !editorChosen ? EDITOR_DEFAULT_HEIGHT : `${editorShare}%` } as CSSProperties}>
        <EditorPane onShowList={listFolded ? toggleList : undefined} />
        <Splitter name="workflows.editor" size={editorShare} label="resize editor and graph" controls="wf-editor-pane" container={() => work.current} />
        <DagView onOpenJob={onOpenJob} />
      </div>
      <FoldHandle folded={panelFolded} side="right" what={selectedTask ? 'task panel' : 'run panel'} onToggle={toggleWorkflowPanel} />
      {!panelFolded && (selectedTask ? <TaskPanel name={selectedTask} /> : <RunPanel />)}
    </div>
  )
}
