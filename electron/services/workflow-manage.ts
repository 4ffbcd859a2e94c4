// Handlers of shared/workflow-manage.ts: the run grid and alias management of the native API.
import { invalid, notFound } from '../../shared/errors'
import type { GridRun, WorkflowGrid, WorkflowManageOperations } from '../../shared/workflow-manage'
import type { Store } from '../store'
import type { WorkflowService } from '../workflows/rillflow/service'
import type { JobsService } from './jobs.service'
import type { Handler } from './operations'
import { gridTasks } from './run-grid'

const ALIAS = /^[a-zA-Z0-9]+$/
const GRID_DEFAULT = 20
const GRID_MAX = 50

type Handlers = { [K in keyof WorkflowManageOperations]: Handler<K> }

/** Owner-or-admin on each (the workflow service checks: workflows/rillflow/ownership.ts). */
export function createWorkflowManageHandlers(s: { store: Store; jobs: JobsService; workflows: WorkflowService }): Handlers {
  return {
    'workflows.grid': (p, actor): WorkflowGrid => {
      s.workflows.assertMayUse(actor, p.workspace, p.name, 'read')
      const limit = Math.min(Math.max(p.limit ?? GRID_DEFAULT, 1), GRID_MAX)
      const page = s.jobs.list({ type: 'workflow', name: `${p.workspace}:${p.name}`, limit }, actor)
      const names: string[] = []
      const runs = page.items.map((job): GridRun => {
        const tasks = gridTasks(s.store.jobs.tasks(job.id))
        for (const t of tasks) if (!names.includes(t.name)) names.push(t.name)
        const version = job.labels.descriptorId?.split(':md5_')[1] ?? ''
        return { jobId: job.id, status: job.status, version, createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt, tasks }
      })
      return { runs, tasks: names }
    },
    'workflows.setAlias': (p, actor) => {
      if (!ALIAS.test(p.alias)) throw invalid('bad_alias', 'an alias is letters and digits only', 'alias')
      s.workflows.setAlias(actor, p.workspace, p.name, p.alias, p.version)
      return { aliases: s.workflows.aliases(actor, p.workspace, p.name) }
    },
    'workflows.deleteAlias': (p, actor) => {
      if (!s.workflows.removeAlias(actor, p.workspace, p.name, p.alias)) throw notFound('alias', p.alias)
      return { aliases: s.workflows.aliases(actor, p.workspace, p.name) }
    },
  }
}
