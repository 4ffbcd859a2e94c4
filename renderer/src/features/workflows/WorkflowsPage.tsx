import { useEffect } from 'react'
import { onEvent } from '../../api/client'
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
  return (
    <div className="wf-page">
      <WorkflowList />
      <div className="wf-work">
        <EditorPane />
        <DagView onOpenJob={onOpenJob} />
      </div>
      {selectedTask ? <TaskPanel name={selectedTask} /> : <RunPanel />}
    </div>
  )
}
