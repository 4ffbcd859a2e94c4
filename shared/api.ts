// The contract between the renderer and the main process: operation name → params → result.
// IPC, the native HTTP routes and the renderer client all derive from this one map.
import type { JobDetail, JobKind, JobSummary, LogLine, Page, UserView } from './model'
import type { JobStatus } from './status'

export interface SubmitScriptJob {
  type: 'script'
  language: 'shell'
  code: string
  name?: string
  timeoutSeconds?: number
  retries?: number
}

export interface JobListQuery {
  status?: JobStatus
  type?: JobKind
  text?: string
  limit?: number
  offset?: number
}

export interface JobRef {
  id: number
  uuid: string
  status: JobStatus
}

export interface Operations {
  'session.me': { params: Record<string, never>; result: UserView }
  'session.changePassword': { params: { oldPassword: string; newPassword: string }; result: UserView }
  'jobs.list': { params: JobListQuery; result: Page<JobSummary> }
  'jobs.get': { params: { id: number }; result: JobDetail }
  'jobs.submit': { params: SubmitScriptJob; result: JobRef }
  'jobs.logs': { params: { id: number; from?: number; size?: number }; result: { lines: LogLine[]; next: number } }
  'jobs.cancel': { params: { id: number }; result: JobSummary }
  'jobs.rerun': { params: { id: number }; result: JobRef }
  'system.health': { params: Record<string, never>; result: { status: 'ok'; version: string; uptimeSeconds: number } }
}
export type OperationName = keyof Operations
export type Params<K extends OperationName> = Operations[K]['params']
export type Result<K extends OperationName> = Operations[K]['result']

/** How each operation is reached over the native REST API; `:id` segments are filled from params. */
export const HTTP_ROUTES: { [K in OperationName]: { method: 'GET' | 'POST'; path: string; status?: number } } = {
  'session.me': { method: 'GET', path: '/api/v1/me' },
  'session.changePassword': { method: 'POST', path: '/api/v1/me/password' },
  'jobs.list': { method: 'GET', path: '/api/v1/jobs' },
  'jobs.get': { method: 'GET', path: '/api/v1/jobs/:id' },
  'jobs.submit': { method: 'POST', path: '/api/v1/jobs', status: 201 },
  'jobs.logs': { method: 'GET', path: '/api/v1/jobs/:id/logs' },
  'jobs.cancel': { method: 'POST', path: '/api/v1/jobs/:id/cancel' },
  'jobs.rerun': { method: 'POST', path: '/api/v1/jobs/:id/rerun', status: 201 },
  'system.health': { method: 'GET', path: '/api/v1/health' },
}

export const LOGIN_PATH = '/api/v1/login'
export const EVENTS_PATH = '/api/v1/events'

/** The bridge the preload exposes on `window.jobdesk` (Electron only). */
export interface DesktopBridge {
  invoke<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>>
  onEvent(listener: (event: import('./events').AppEvent) => void): () => void
}
