import type { OperationName, Params, Result } from '../../shared/api'
import type { UserRecord } from '../store/user.repository'
import type { AuthService } from './auth.service'
import { toUserView } from './auth.service'
import type { JobsService } from './jobs.service'

export type Handler<K extends OperationName> = (params: Params<K>, actor: UserRecord) => Result<K> | Promise<Result<K>>
export type Handlers = { [K in OperationName]: Handler<K> }

export interface Services {
  auth: AuthService
  jobs: JobsService
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
    'jobs.logs': (p) => s.jobs.logs(p.id, p.from, p.size),
    'jobs.cancel': (p, actor) => s.jobs.cancel(p.id, actor),
    'jobs.rerun': (p, actor) => s.jobs.rerun(p.id, actor),
    'system.health': () => ({ status: 'ok', version: s.version, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) }),
  }
}

export function dispatch<K extends OperationName>(handlers: Handlers, name: K, params: Params<K>, actor: UserRecord): Promise<Result<K>> {
  const handler = handlers[name] as Handler<K> | undefined
  if (!handler) return Promise.reject(new Error(`unknown operation ${String(name)}`))
  return Promise.resolve().then(() => handler(params, actor))
}
