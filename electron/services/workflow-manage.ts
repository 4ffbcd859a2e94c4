// Handlers of shared/workflow-manage.ts: the run grid and alias management of the native API.
import { notFound } from '../../shared/errors'
import type { GridRun, GridTask, WorkflowGrid, WorkflowManageOperations } from '../../shared/workflow-manage'
import type { JobSummary } from '../../shared/model'
import type { Store } from '../store'
import type { WorkflowService } from '../workflows/rillflow/service'
import type { JobsService } from './jobs.service'
import type { Handler } from './operations'
import { TERMINAL_JOB_STATUSES } from '../../shared/status'
import { createRunGridReader } from './run-grid'

const GRID_DEFAULT = 20
const GRID_MAX = 50
/** Finished runs whose cells are kept: two full pages of the grid's largest size. */
const GRID_CACHE_RUNS = 2 * GRID_MAX

type Handlers = { [K in keyof WorkflowManageOperations]: Handler<K> }

/** Owner-or-admin on each (the workflow service checks: workflows/rillflow/ownership.ts). */
export function createWorkflowManageHandlers(s: { store: Store; jobs: JobsService; workflows: WorkflowService }): Handlers {
  const readGrid = createRunGridReader(s.store.db)
  // A finished run's tasks change only by a redo, which sets the job going again (and so changes its
  // status and end): cells are kept per job under its status and end, least recently used dropped.
  const finished = new Map<number, { key: string; tasks: GridTask[] }>()
  const gridOf = async (job: JobSummary): Promise<GridTask[]> => {
    if (!TERMINAL_JOB_STATUSES.has(job.status)) return readGrid(job.id)
    const key = `${job.createdAt}:${job.status}:${job.finishedAt}`
    const kept = finished.get(job.id)
    finished.delete(job.id)
    const tasks = kept?.key === key ? kept.tasks : await readGrid(job.id)
    finished.set(job.id, { key, tasks })
    if (finished.size > GRID_CACHE_RUNS) finished.delete(finished.keys().next().value!)
    return tasks
  }
  return {
    'workflows.grid': async (p, actor): Promise<WorkflowGrid> => {
      s.workflows.assertMayUse(actor, p.workspace, p.name, 'read')
      const limit = Math.min(Math.max(p.limit ?? GRID_DEFAULT, 1), GRID_MAX)
      const page = s.jobs.list({ type: 'workflow', name: `${p.workspace}:${p.name}`, limit }, actor)
      const names: string[] = []
      const runs: GridRun[] = []
      for (const job of page.items) {
        const tasks = await gridOf(job)
        for (const t of tasks) if (!names.includes(t.name)) names.push(t.name)
        const version = job.labels.descriptorId?.split(':md5_')[1] ?? ''
        runs.push({ jobId: job.id, status: job.status, version, createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt, tasks })
      }
      return { runs, tasks: names }
    },
    'workflows.setAlias': (p, actor) => {
      s.workflows.setAlias(actor, p.workspace, p.name, p.alias, p.version)
      return { aliases: s.workflows.aliases(actor, p.workspace, p.name) }
    },
    'workflows.delete': (p, actor) => {
      s.workflows.deleteWorkflow(actor, p.workspace, p.name)
      return { deleted: true as const }
    },
    'workflows.deleteAlias': (p, actor) => {
      if (!s.workflows.removeAlias(actor, p.workspace, p.name, p.alias)) throw notFound('alias', p.alias)
      return { aliases: s.workflows.aliases(actor, p.workspace, p.name) }
    },
  }
}
