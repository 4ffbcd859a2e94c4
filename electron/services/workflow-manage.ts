// Handlers of shared/workflow-manage.ts: the run grid and alias management of the native API.
import { AppError, invalid, notFound } from '../../shared/errors'
import type { GridRun, WorkflowGrid, WorkflowManageOperations, WorkflowRef } from '../../shared/workflow-manage'
import type { Store } from '../store'
import type { Actor } from './access'
import type { JobsService } from './jobs.service'
import type { Handler } from './operations'
import { gridTasks } from './run-grid'

const ALIAS = /^[a-zA-Z0-9]+$/
const GRID_DEFAULT = 20
const GRID_MAX = 50

type Handlers = { [K in keyof WorkflowManageOperations]: Handler<K> }

/**
 * Owner-or-admin for a workflow: descriptors are shared (Rill Flow has no owners), so a workflow's
 * owners are the users who saved any version of it. Throws not_found for an unknown workflow.
 */
function assertMayManage(store: Store, actor: Actor, w: WorkflowRef): void {
  if (store.workflows.versions(w.workspace, w.name).length === 0) throw notFound('workflow', `${w.workspace}:${w.name}`)
  if (actor.isAdmin || store.workflows.creators(w.workspace, w.name).includes(actor.username)) return
  throw new AppError('forbidden', 'not_your_workflow', `workflow ${w.workspace}:${w.name} was saved by another user; only they or an admin may change its aliases`)
}

export function createWorkflowManageHandlers(s: { store: Store; jobs: JobsService }): Handlers {
  return {
    'workflows.grid': (p, actor): WorkflowGrid => {
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
      assertMayManage(s.store, actor, p)
      if (!s.store.workflows.version(p.workspace, p.name, p.version)) throw notFound('version', p.version)
      s.store.workflows.setAlias(p.workspace, p.name, p.alias, p.version)
      return { aliases: s.store.workflows.aliases(p.workspace, p.name) }
    },
    'workflows.deleteAlias': (p, actor) => {
      assertMayManage(s.store, actor, p)
      if (!s.store.workflows.removeAlias(p.workspace, p.name, p.alias)) throw notFound('alias', p.alias)
      return { aliases: s.store.workflows.aliases(p.workspace, p.name) }
    },
  }
}
