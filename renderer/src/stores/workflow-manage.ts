import { create } from 'zustand'
import type { WorkflowGrid } from '../../../shared/workflow-manage'
import { send } from '../api/client'
import { ApiError } from '../api/transport'
import { errorMessage as message } from '../features/shell/form-errors'
import { useWorkflows } from './workflows'
import { whenSignedOut } from './user-scope'

/** What the DAG area shows: the graph, the grid of recent runs × tasks, or the Gantt timeline of the shown run. */
export type WorkflowView = 'graph' | 'grid' | 'gantt'

/** How many runs the grid shows (Airflow's default is 25). */
export const GRID_RUNS = 25

interface WorkflowManageState {
  view: WorkflowView
  grid: WorkflowGrid | null
  /** `workspace:name` the grid was loaded for. */
  gridOf: string | null
  error: string | null
  setView(view: WorkflowView): void
  loadGrid(): Promise<void>
  /** Shows one run's task in the graph (a grid cell's click). */
  openRunTask(jobId: number, task: string): Promise<void>
  /** Points `alias` at `version` of the open workflow, or deletes it (`version` null). */
  pointAlias(alias: string, version: string | null): Promise<boolean>
}


/** The Workflows page's run grid, Gantt choice and alias management (the editor and graph are in ./workflows). */
export const useWorkflowManage = create<WorkflowManageState>((set, get) => ({
  view: 'graph',
  grid: null,
  gridOf: null,
  error: null,
  setView(view) {
    set({ view })
    if (view === 'grid') void get().loadGrid()
  },
  async loadGrid() {
    const detail = useWorkflows.getState().detail
    if (!detail) return set({ grid: null, gridOf: null })
    const of = `${detail.workspace}:${detail.name}`
    try {
      const grid = await send('workflows.grid', { workspace: detail.workspace, name: detail.name, limit: GRID_RUNS })
      const now = useWorkflows.getState().detail
      if (now && `${now.workspace}:${now.name}` === of) set({ grid, gridOf: of, error: null })
    } catch (e) {
      // deleted meanwhile (in another window, or by an admin): the grid it showed is of nothing now
      if (e instanceof ApiError && e.body.code === 'workflow_not_found') return set({ grid: null, gridOf: null, error: `Workflow ${of} was deleted: it has no runs to show.` })
      set({ error: message(e) })
    }
  },
  async openRunTask(jobId, task) {
    const wf = useWorkflows.getState()
    try {
      if (wf.execution?.jobId !== jobId || wf.mode !== 'run') await wf.loadExecution(jobId)
      set({ view: 'graph' })
      await useWorkflows.getState().selectTask(task)
    } catch (e) {
      set({ error: message(e) })
    }
  },
  async pointAlias(alias, version) {
    const detail = useWorkflows.getState().detail
    if (!detail) return false
    const ref = { workspace: detail.workspace, name: detail.name }
    try {
      const { aliases } = version === null ? await send('workflows.deleteAlias', { ...ref, alias }) : await send('workflows.setAlias', { ...ref, alias, version })
      const now = useWorkflows.getState().detail
      if (now?.descriptorId === detail.descriptorId) useWorkflows.setState({ detail: { ...now, aliases } })
      set({ error: null })
      void useWorkflows.getState().refreshList()
      return true
    } catch (e) {
      set({ error: message(e) })
      return false
    }
  },
}))

whenSignedOut(() => useWorkflowManage.setState(useWorkflowManage.getInitialState(), true))
