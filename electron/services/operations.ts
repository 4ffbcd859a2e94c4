import type { LinkisSettings, OperationName, Params, Result, ServerSettingsView } from '../../shared/api'
import { AppError, notFound } from '../../shared/errors'
import { SETTING_KEYS } from '../store/setting-keys'
import { assertAdmin, assertMayReach, assertMayRun, type Actor } from './access'
import type { AuthService } from './auth.service'
import type { GraphService } from '../graph/graph.service'
import type { AlgorithmService } from '../graph/algorithms/algorithm.service'
import { algorithmCatalog } from '../../shared/algorithms'
import type { JobSummary } from '../../shared/model'
import type { AccessKeys } from './access-keys'
import type { GraphWorkflowService } from './graph-workflows.service'
import { requireJobGraphWrites } from '../graph/job-graph-writes'
import { createGraphHandlers } from './graph-operations'
import { createPreferenceHandlers } from './preferences'
import { createSavedScriptHandlers } from './saved-scripts'
import { createWorkflowManageHandlers } from './workflow-manage'
import { toUserView } from './auth.service'
import { withDeviceCookie } from './device-cookies'
import type { JobsService } from './jobs.service'
import { readLinkisTokens, saveLinkisTokens, toTokenView } from './linkis-tokens'
import { saveProxyGrants } from './run-rights'
import type { Store } from '../store'
import type { UsersService } from './users.service'
import { withTotal } from '../../shared/listed-total'
import { WORKFLOW_DIALECT, type TaskScope, type WorkflowService } from '../workflows/rillflow/service'
import { parseDescriptorForStorage } from './descriptor-parser'
import { executionView, validateText, workflowDetail } from '../workflows/rillflow/views'
import { tokenRequiredByUsers } from '../workflows/rillflow/ownership'

/**
 * `actor` is the caller as their credential grants them (see access.ts); `client` their address, when
 * known; `signal` aborts when the client hangs up (HTTP), so work done for nobody stops.
 */
export type Handler<K extends OperationName> = (params: Params<K>, actor: Actor, client?: string, signal?: AbortSignal) => Result<K> | Promise<Result<K>>
export type Handlers = { [K in OperationName]: Handler<K> }

export interface Services {
  auth: AuthService
  users: UsersService
  jobs: JobsService
  workflows: WorkflowService
  /** Graphs, uploaded files and imports (electron/graph). */
  graph: GraphService
  /** Algorithm jobs (electron/graph/algorithms). */
  algorithms: AlgorithmService
  /** AK/SK pairs for signed requests (the GES dialect). */
  accessKeys: AccessKeys
  /** Explorer-style graph workflows (electron/graph/workflows). */
  graphWorkflows: GraphWorkflowService
  store: Store
  /** Where the users' scratch SQLite databases are (executors/sql.ts). */
  scratchRoot: string
  /** The data folder: whose disk's reserve a saved script's growth is refused under (disk-reserve.ts). */
  dataDir: string
  version: string
  startedAt: number
  /** Whether a restart's recovery is still taking up unfinished jobs (Engine.isRecovering); never, when not given. */
  recovering?: () => boolean
}

/** Every operation of the shared contract, for any transport: IPC and the native HTTP routes call these. */
export function createHandlers(s: Services): Handlers {
  /** A workflow execution by job id, when the caller may reach it. */
  // `scope` 'none': the job only (its tasks unread: a redo needs none, and a foreach may have 100k)
  const ownExecution = (id: number, actor: Actor, scope?: TaskScope) => {
    const ex = s.workflows.executionByJob(id, scope)
    assertMayReach(actor, ex.job, () => notFound('execution', id)) // as executionByJob answers an unknown id
    return ex
  }
  const handlers: Handlers = {
    ...createGraphHandlers(s.graph),
    ...createWorkflowManageHandlers(s),
    ...createSavedScriptHandlers(s),
    ...createPreferenceHandlers(s),
    'algorithms.catalog': () => algorithmCatalog(),
    'algorithms.start': (p, actor) => s.algorithms.start(p, actor),
    'algorithms.job': (p, actor) => s.algorithms.view(p.id, actor, p.offset, p.limit),
    'graphWorkflows.list': (p, actor) => withTotal(s.graphWorkflows.list(actor, p)),
    'graphWorkflows.create': (p, actor, _client, signal) => s.graphWorkflows.create(p.document, actor, signal),
    'graphWorkflows.get': (p, actor) => s.graphWorkflows.get(p.id, actor, p.version),
    'graphWorkflows.save': (p, actor, _client, signal) => s.graphWorkflows.save(p.id, p.document, actor, signal),
    'graphWorkflows.validate': (p, actor, _client, signal) => s.graphWorkflows.validate(p.document, actor, signal),
    'graphWorkflows.run': async (p, actor, _client, signal) => {
      const job = await s.graphWorkflows.run(p.id, actor, { version: p.version, input: p.input, signal })
      return { id: job.id, uuid: job.uuid, status: job.status }
    },
    'graphWorkflows.job': (p, actor) => s.graphWorkflows.job(p.id, actor),
    'graphWorkflows.rerun': (p, actor) => s.graphWorkflows.rerun(p.id, p.from ?? 'failed', actor),
    'graphWorkflows.delete': (p, actor) => s.graphWorkflows.delete(p.id, actor),
    'accessKeys.list': (_p, actor) => s.accessKeys.list(actor),
    'accessKeys.create': (p, actor) => s.accessKeys.issue(actor, p.description),
    'accessKeys.revoke': (p, actor) => s.accessKeys.revoke(actor, p.accessKey),
    'session.me': (_p, actor) => toUserView(actor),
    'session.changePassword': async (p, actor, client) => {
      const { user, device } = await s.auth.changePassword(actor, p.oldPassword, p.newPassword, client)
      return withDeviceCookie(toUserView(user), device) // the HTTP route sets it (native/routes.ts)
    },
    'jobs.list': (p, actor) => {
      const page = s.jobs.list(p, actor)
      // a running Rill Flow row's foreach items, from the engine's memory (a map lookup or two per row)
      const withItems = (j: JobSummary): JobSummary => {
        if (j.status !== 'running' || j.labels.dialect !== WORKFLOW_DIALECT) return j
        const foreachItems = s.workflows.foreachItemsOfRunning(j.id)
        return foreachItems ? { ...j, foreachItems } : j
      }
      return { ...page, items: page.items.map(withItems) }
    },
    'jobs.get': (p, actor) => {
      const detail = s.jobs.get(p.id, actor)
      // a Rill Flow job's foreach items, made or not (its tasks are only those made so far)
      return detail.labels.dialect === WORKFLOW_DIALECT ? { ...detail, items: s.workflows.itemsOfJob(p.id) } : detail
    },
    'jobs.tasks': (p, actor) => s.jobs.tasks(p, actor),
    'jobs.submit': (p, actor) => s.jobs.submitScript(p, actor),
    'jobs.logs': (p, actor) => s.jobs.logs(p, actor),
    'jobs.logText': (p, actor) => s.jobs.logText(p.id, actor, p.task),
    'jobs.cancel': (p, actor) => s.jobs.cancel(p.id, actor),
    'jobs.results': (p, actor) => s.jobs.results(p.id, actor),
    'jobs.resultPage': (p, actor, _client, signal) => s.jobs.resultPage(p, actor, signal),
    'jobs.exportResult': (p, actor) => s.jobs.exportResult(p.id, actor, p.index, p.limit, p),
    'jobs.exportXlsx': (p, actor) => s.jobs.exportXlsx(p.id, actor, p.index, p.limit, p),
    'jobs.code': (p, actor) => s.jobs.code(p.id, actor),
    'jobs.rerun': async (p, actor) => {
      // the caller must own the job, may run what it runs and may change the graphs it writes,
      // now (a graph may have changed hands since); the rerun then runs as the caller
      const old = s.jobs.owned(p.id, actor)
      const tasks = s.store.jobs.tasks(old.id)
      for (const t of tasks) assertMayRun(actor, t.executor)
      await requireJobGraphWrites(s.graph.rights, actor, tasks)
      return s.jobs.rerun(p.id, actor)
    },
    'jobs.delete': (p, actor) => s.jobs.delete(p.id, actor),
    'system.health': () => ({ status: 'ok', version: s.version, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000), recovering: s.recovering?.() ?? false }),
    'settings.server.get': (_p, actor) => {
      assertAdmin(actor, 'see the server settings')
      return serverSettings(s.store)
    },
    'settings.server.set': async (p, actor) => {
      assertAdmin(actor, 'change how the server is exposed')
      const refusal = p.allowRemote ? await s.users.networkRefusal() : undefined
      if (refusal) throw new AppError('conflict', 'default_password', refusal, { field: 'allowRemote' })
      // one transaction: all four or none (a write refused by another program's lock is tried again whole)
      s.store.transaction(() => {
        s.store.settings.set(SETTING_KEYS.allowRemote, p.allowRemote)
        s.store.settings.set(SETTING_KEYS.allowedHosts, p.allowedHosts)
        s.store.settings.set(SETTING_KEYS.allowedOrigins, p.allowedOrigins)
        s.store.settings.set(SETTING_KEYS.rillflowRequireToken, p.rillflowRequireToken)
      })
      return serverSettings(s.store)
    },
    'settings.linkis.get': (_p, actor) => {
      assertAdmin(actor, 'see the Linkis tokens and proxy users')
      return linkisSettings(s.store)
    },
    'settings.linkis.set': (p, actor) => {
      assertAdmin(actor, 'change the Linkis tokens and proxy users')
      s.store.transaction(() => {
        saveLinkisTokens(s.store, p.tokens)
        saveProxyGrants(s.store, p.proxyUsers)
      })
      return linkisSettings(s.store)
    },
    'users.list': (_p, actor) => s.users.list(actor),
    'users.create': (p, actor) => s.users.create(actor, p),
    'users.update': (p, actor) => s.users.update(actor, p),
    'workflows.list': (p, actor) => withTotal(s.workflows.list(actor, p)),
    'workflows.get': (p, actor) => workflowDetail(s.store, s.workflows.resolve(p.descriptorId, actor)),
    'workflows.validate': (p) => validateText(p.text, s.workflows.subflowTargetMissing), // warns at a sub-flow whose workflow is not stored yet
    'workflows.save': async (p, actor, _client, signal) => {
      const parsed = typeof p.text === 'string' && p.text.trim() ? await parseDescriptorForStorage(p.text, { owner: actor.username, signal }) : undefined // a long one off the main thread
      return { descriptorId: s.workflows.addDescriptor({ workspace: undefined, dagName: undefined, alias: p.alias, text: p.text, caller: actor, parsed }).descriptorId }
    },
    'workflows.submit': (p, actor) => {
      const { executionId, job } = s.workflows.submit({ descriptorId: p.descriptorId, context: p.context ?? {}, caller: actor })
      return { executionId, jobId: job.id }
    },
    'workflows.execution': (p, actor) => executionView(ownExecution(p.id, actor)),
    'workflows.redo': (p, actor) => {
      const ex = ownExecution(p.id, actor, 'none')
      s.workflows.redo(ex.job.labels.executionId, p.tasks?.join(','), undefined)
      return executionView(s.workflows.executionByJob(p.id))
    },
  }
  stores.set(handlers, s.store)
  return handlers
}

// The store each createHandlers result works on: a transport retries a call refused by a lock on its connection.
const stores = new WeakMap<Handlers, Store>()

/** The store `handlers` work on (createHandlers); undefined for handlers put together otherwise. */
export const storeOf = (handlers: Handlers): Store | undefined => stores.get(handlers)

export const serverSettings = (store: Store): ServerSettingsView => ({
  allowRemote: store.settings.get(SETTING_KEYS.allowRemote, false),
  allowedHosts: store.settings.get(SETTING_KEYS.allowedHosts, []),
  allowedOrigins: store.settings.get(SETTING_KEYS.allowedOrigins, []),
  rillflowRequireToken: store.settings.get(SETTING_KEYS.rillflowRequireToken, false),
  rillflowTokenRequiredByUsers: tokenRequiredByUsers(store.users),
})

const linkisSettings = (store: Store): LinkisSettings => ({
  tokens: readLinkisTokens(store.settings).map(toTokenView),
  proxyUsers: store.settings.get(SETTING_KEYS.linkisProxyUsers, {}),
})

/** Runs operation `name` for `actor` (Handler: `client` their address, `signal` their hang-up). */
export function dispatch<K extends OperationName>(handlers: Handlers, name: K, params: Params<K>, actor: Actor, client?: string, signal?: AbortSignal): Promise<Result<K>> {
  const handler = handlers[name] as Handler<K> | undefined
  if (!handler) return Promise.reject(new Error(`unknown operation ${String(name)}`))
  return Promise.resolve().then(() => handler(params, actor, client, signal))
}
