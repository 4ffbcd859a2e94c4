// The contract between the renderer and the main process: operation name → params → result.
// IPC, the native HTTP routes and the renderer client all derive from this one map.
import type { JobDetail, JobKind, JobSummary, LogLine, Page, UserView } from './model'
import type { JobStatus } from './status'
import type { ExecutionView, ValidationResult, WorkflowDetail, WorkflowSummary } from './workflows'

export const SCRIPT_LANGUAGES = ['shell', 'python', 'sql', 'cypher'] as const
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number]

export interface SubmitScriptJob {
  type: 'script'
  language: ScriptLanguage
  code: string
  name?: string
  timeoutSeconds?: number
  retries?: number
  /** `${name}` in the code is replaced by these (and the built-in run_date etc.). */
  variables?: Record<string, string>
}

export interface ResultSetInfo {
  index: number
  kind: 'table' | 'text'
  columns: { name: string; type: string }[]
  rowCount: number
  task: string | null
}

export interface ResultPage {
  index: number
  columns: { name: string; type: string }[]
  rows: unknown[][]
  total: number
  offset: number
}

/**
 * Which lines of a job's log to read: forward `from` a seq (the default, from 0), the `size`
 * lines `before` a seq (to load earlier lines), or the last `size` lines (`tail`, to open at
 * the end). Seqs have gaps where a long log was cut, so page by `next` and by the first
 * line's seq, never by counting.
 */
export interface LogQuery {
  id: number
  from?: number
  before?: number
  tail?: boolean
  /** Lines per page, at most 5000. */
  size?: number
  /** Only this task's lines and those of the tasks of its groups (`task_0-…`). */
  task?: string
  /** Only lines containing this text (case-insensitive for ASCII letters). */
  text?: string
}

export interface LogPage {
  lines: LogLine[]
  /** Where the following page starts (`from`). */
  next: number
  /** How many stored lines match the task and text filters. */
  total: number
}

export interface JobListQuery {
  status?: JobStatus
  type?: JobKind
  text?: string
  /** Exact job name (a workflow's `workspace:dagName`). */
  name?: string
  limit?: number
  offset?: number
}

/** Linkis token auth (Token-Code + Token-User) and proxy users, as kept in Settings. */
export interface LinkisSettings {
  tokens: { name: string; users: string[]; hosts: string[]; expiresAt: number | null }[]
  /** login user → the users it may act as ('*' for any). */
  proxyUsers: Record<string, string[]>
}

/** How the REST endpoint is exposed; read at start, so changes apply after a restart. */
export interface ServerSettings {
  /** Listen on every network interface instead of loopback only. */
  allowRemote: boolean
  /** Host names (besides loopback) requests may address. */
  allowedHosts: string[]
  /** Web origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[]
  /** Make Rill Flow's API want a bearer token even from loopback. */
  rillflowRequireToken: boolean
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
  'jobs.logs': { params: LogQuery; result: LogPage }
  /** The whole stored log as text, one line per log line: `time LEVEL [task] text` (for a download). */
  'jobs.logText': { params: { id: number; task?: string }; result: { fileName: string; text: string; lines: number } }
  'jobs.cancel': { params: { id: number }; result: JobSummary }
  'jobs.results': { params: { id: number }; result: ResultSetInfo[] }
  'jobs.resultPage': { params: { id: number; index: number; offset?: number; limit?: number }; result: ResultPage }
  /** A result set as CSV text (for a download); capped at `limit` rows. */
  'jobs.exportResult': { params: { id: number; index: number; limit?: number }; result: { fileName: string; csv: string; truncated: boolean } }
  'jobs.rerun': { params: { id: number }; result: JobRef }
  'system.health': { params: Record<string, never>; result: { status: 'ok'; version: string; uptimeSeconds: number } }
  'settings.server.get': { params: Record<string, never>; result: ServerSettings }
  /** Admins only; applies at the next start. */
  'settings.server.set': { params: ServerSettings; result: ServerSettings }
  'settings.linkis.get': { params: Record<string, never>; result: LinkisSettings }
  /** Admins only. */
  'settings.linkis.set': { params: LinkisSettings; result: LinkisSettings }
  'workflows.list': { params: Record<string, never>; result: WorkflowSummary[] }
  'workflows.get': { params: { descriptorId: string }; result: WorkflowDetail }
  'workflows.validate': { params: { text: string }; result: ValidationResult }
  'workflows.save': { params: { text: string; alias?: string }; result: { descriptorId: string } }
  'workflows.submit': { params: { descriptorId: string; context?: Record<string, unknown> }; result: { executionId: string; jobId: number } }
  'workflows.execution': { params: { id: number }; result: ExecutionView }
  /** Runs the failed (or the named) tasks of an execution again, and everything after them. */
  'workflows.redo': { params: { id: number; tasks?: string[] }; result: ExecutionView }
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
  'jobs.logText': { method: 'GET', path: '/api/v1/jobs/:id/logs/text' },
  'jobs.cancel': { method: 'POST', path: '/api/v1/jobs/:id/cancel' },
  'jobs.results': { method: 'GET', path: '/api/v1/jobs/:id/results' },
  'jobs.resultPage': { method: 'GET', path: '/api/v1/jobs/:id/results/:index' },
  'jobs.exportResult': { method: 'GET', path: '/api/v1/jobs/:id/results/:index/csv' },
  'jobs.rerun': { method: 'POST', path: '/api/v1/jobs/:id/rerun', status: 201 },
  'system.health': { method: 'GET', path: '/api/v1/health' },
  'settings.server.get': { method: 'GET', path: '/api/v1/settings/server' },
  'settings.server.set': { method: 'POST', path: '/api/v1/settings/server' },
  'settings.linkis.get': { method: 'GET', path: '/api/v1/settings/linkis' },
  'settings.linkis.set': { method: 'POST', path: '/api/v1/settings/linkis' },
  'workflows.list': { method: 'GET', path: '/api/v1/workflows' },
  'workflows.get': { method: 'GET', path: '/api/v1/workflows/descriptor' },
  'workflows.validate': { method: 'POST', path: '/api/v1/workflows/validate' },
  'workflows.save': { method: 'POST', path: '/api/v1/workflows', status: 201 },
  'workflows.submit': { method: 'POST', path: '/api/v1/workflows/submit', status: 201 },
  'workflows.execution': { method: 'GET', path: '/api/v1/executions/:id' },
  'workflows.redo': { method: 'POST', path: '/api/v1/executions/:id/redo' },
}

export const LOGIN_PATH = '/api/v1/login'
export const EVENTS_PATH = '/api/v1/events'

/** The bridge the preload exposes on `window.jobdesk` (Electron only). */
export interface DesktopBridge {
  invoke<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>>
  onEvent(listener: (event: import('./events').AppEvent) => void): () => void
}
