import type { LinkisSettings, OperationName, Params, Result, ServerSettings } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { SETTING_KEYS } from '../store/setting-keys'
import type { UserRecord } from '../store/user.repository'
import type { AuthService } from './auth.service'
import { toUserView } from './auth.service'
import type { JobsService } from './jobs.service'
import type { Store } from '../store'
import type { WorkflowService } from '../workflows/rillflow/service'
import { executionView, validateText, workflowDetail } from '../workflows/rillflow/views'

export type Handler<K extends OperationName> = (params: Params<K>, actor: UserRecord) => Result<K> | Promise<Result<K>>
export type Handlers = { [K in OperationName]: Handler<K> }

export interface Services {
  auth: AuthService
  jobs: JobsService
  workflows: WorkflowService
  store: Store
  version: string
  startedAt: number
}

/** Every operation of the shared contract, for any transport: IPC and the native HTTP routes call these. */
export function createHandlers(s: Services): Handlers {
  return {
    'session.me': (_p, actor) => toUserView(actor),
    'session.changePassword': async (p, actor) => toUserView(await s.auth.changePassword(actor, p.oldPassword, p.newPassword)),
    'jobs.list': (p) => s.jobs.list(p),
    'jobs.get': (p) => s.jobs.get(p.id),
    'jobs.submit': (p, actor) => s.jobs.submitScript(p, actor),
    'jobs.logs': (p) => s.jobs.logs(p),
    'jobs.logText': (p) => s.jobs.logText(p.id, p.task),
    'jobs.cancel': (p, actor) => s.jobs.cancel(p.id, actor),
    'jobs.results': (p) => s.jobs.results(p.id),
    'jobs.resultPage': (p) => s.jobs.resultPage(p.id, p.index, p.offset, p.limit),
    'jobs.exportResult': (p) => s.jobs.exportResult(p.id, p.index, p.limit),
    'jobs.rerun': (p, actor) => s.jobs.rerun(p.id, actor),
    'system.health': () => ({ status: 'ok', version: s.version, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) }),
    'settings.server.get': () => serverSettings(s.store),
    'settings.server.set': (p, actor) => {
      if (!actor.isAdmin) throw new AppError('forbidden', 'admins_only', 'only an admin may change how the server is exposed')
      s.store.settings.set(SETTING_KEYS.allowRemote, p.allowRemote)
      s.store.settings.set(SETTING_KEYS.allowedHosts, p.allowedHosts)
      s.store.settings.set(SETTING_KEYS.allowedOrigins, p.allowedOrigins)
      s.store.settings.set(SETTING_KEYS.rillflowRequireToken, p.rillflowRequireToken)
      return serverSettings(s.store)
    },
    'settings.linkis.get': () => linkisSettings(s.store),
    'settings.linkis.set': (p, actor) => {
      if (!actor.isAdmin) throw new AppError('forbidden', 'admins_only', 'only an admin may change the Linkis tokens and proxy users')
      s.store.settings.set(SETTING_KEYS.linkisTokens, p.tokens)
      s.store.settings.set(SETTING_KEYS.linkisProxyUsers, p.proxyUsers)
      return linkisSettings(s.store)
    },
    'workflows.list': () => s.store.workflows.list(),
    'workflows.get': (p) => workflowDetail(s.store, s.workflows.resolve(p.descriptorId)),
    'workflows.validate': (p) => validateText(p.text),
    'workflows.save': (p, actor) => ({ descriptorId: s.workflows.addDescriptor({ workspace: undefined, dagName: undefined, alias: p.alias, text: p.text, user: actor.username }).descriptorId }),
    'workflows.submit': (p, actor) => {
      const { executionId, job } = s.workflows.submit({ descriptorId: p.descriptorId, context: p.context ?? {}, user: actor.username })
      return { executionId, jobId: job.id }
    },
    'workflows.execution': (p) => executionView(s.workflows.executionByJob(p.id)),
    'workflows.redo': (p) => {
      const ex = s.workflows.executionByJob(p.id)
      s.workflows.redo(ex.job.labels.executionId, p.tasks?.join(','), undefined)
      return executionView(s.workflows.executionByJob(p.id))
    },
  }
}

export const serverSettings = (store: Store): ServerSettings => ({
  allowRemote: store.settings.get(SETTING_KEYS.allowRemote, false),
  allowedHosts: store.settings.get(SETTING_KEYS.allowedHosts, []),
  allowedOrigins: store.settings.get(SETTING_KEYS.allowedOrigins, []),
  rillflowRequireToken: store.settings.get(SETTING_KEYS.rillflowRequireToken, false),
})

const linkisSettings = (store: Store): LinkisSettings => ({
  tokens: store.settings.get(SETTING_KEYS.linkisTokens, []),
  proxyUsers: store.settings.get(SETTING_KEYS.linkisProxyUsers, {}),
})

export function dispatch<K extends OperationName>(handlers: Handlers, name: K, params: Params<K>, actor: UserRecord): Promise<Result<K>> {
  const handler = handlers[name] as Handler<K> | undefined
  if (!handler) return Promise.reject(new Error(`unknown operation ${String(name)}`))
  return Promise.resolve().then(() => handler(params, actor))
}
