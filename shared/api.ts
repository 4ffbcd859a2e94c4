// The contract between the renderer and the main process: operation name → params → result.
// IPC, the native HTTP routes and the renderer client all derive from this one map.
import { ACCESS_KEY_HTTP_ROUTES, type AccessKeyOperations } from './access-keys'
import { ALGORITHM_HTTP_ROUTES, type AlgorithmOperations } from './algorithms'
import { GRAPH_HTTP_ROUTES, type GraphOperations } from './graph-api'
import { GRAPH_WORKFLOW_HTTP_ROUTES, type GraphWorkflowOperations } from './graph-workflows'
import type { JobDetail, JobKind, JobSummary, LogLine, Page, Right, Role, TaskCode, TaskView, UserAccount, UserChanged, UserView } from './model'
import type { JobStatus, TaskStatus } from './status'
import { PREFERENCE_HTTP_ROUTES, type PreferenceOperations } from './preferences'
import { SAVED_SCRIPT_HTTP_ROUTES, type SavedScriptOperations } from './saved-scripts'
import { WORKFLOW_MANAGE_HTTP_ROUTES, type WorkflowManageOperations } from './workflow-manage'
import type { ExecutionView, ValidationResult, WorkflowDetail, WorkflowSummary } from './workflows'
import type { WorkflowListQuery } from './workflow-limits'

export const SCRIPT_LANGUAGES = ['shell', 'python', 'sql', 'cypher'] as const
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number]

/** The longest `timeoutSeconds` a script job may ask for: 7 days. */
export const MAX_SCRIPT_TIMEOUT_SECONDS = 7 * 24 * 3600
/** What a script job's timeout may be, as the words after the field's name in every refusal of one. */
export const TIMEOUT_SECONDS_RANGE = `must be a number of seconds greater than 0 and at most ${MAX_SCRIPT_TIMEOUT_SECONDS} (7 days)`
/**
 * The one check of a script job's timeout (native API, IPC, Linkis's jobRunningTimeout, the app's
 * forms): true for a finite number above 0 and at most MAX_SCRIPT_TIMEOUT_SECONDS. A refusal says
 * TIMEOUT_SECONDS_RANGE after the field's name, with the code `bad_timeout` where codes are kept.
 */
export function isTimeoutSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_SCRIPT_TIMEOUT_SECONDS
}
/**
 * A script job without `timeoutSeconds` ends timed_out after a day, so nothing holds a slot for
 * good unnoticed (a batch scheduler's default time limit, as Slurm's DefaultTime).
 */
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 24 * 3600

export interface SubmitScriptJob {
  type: 'script'
  language: ScriptLanguage
  code: string
  name?: string
  /** Seconds, above 0 and at most MAX_SCRIPT_TIMEOUT_SECONDS; DEFAULT_SCRIPT_TIMEOUT_SECONDS when left out. */
  timeoutSeconds?: number
  retries?: number
  /** `${name}` in the code is replaced by these (and the built-in run_date etc.). */
  variables?: Record<string, string>
  /** Cypher only: the graph the script runs on (default `default`). */
  graph?: string
}

/**
 * How complete a result set is: `writing` while its statement runs; `complete`; `truncated` when the
 * row cap cut it (the rows kept are the first ones) or a cell was cut to the cell or row cap (its head
 * kept, ending with a note of how much was cut: electron/store/result-cells.ts); `partial` when the job was stopped (cancel,
 * timeout, kill, a crash) or failed while the rows were being written, so some are missing.
 */
export const RESULT_SET_STATES = ['writing', 'complete', 'truncated', 'partial'] as const
export type ResultSetState = (typeof RESULT_SET_STATES)[number]

export interface ResultSetInfo {
  index: number
  kind: 'table' | 'text'
  columns: { name: string; type: string }[]
  rowCount: number
  task: string | null
  state: ResultSetState
}

export interface ResultPage {
  index: number
  columns: { name: string; type: string }[]
  rows: unknown[][]
  /** Rows the read covers: the whole set's, or with a `filter` those matching it; pages run over these. */
  total: number
  offset: number
  state: ResultSetState
  /** With a sort or filter: each row's 1-based number in the stored set (the order it was produced in). */
  rowNumbers?: number[]
  /** The most characters of JSON rows a page carries (2 MB): a page of wide rows stops there, whatever `limit` asks. */
  pageByteCap: number
  /** True when the page stopped at pageByteCap before `limit` rows: more rows follow from `offset` + the rows returned. */
  shortPage: boolean
}

/**
 * A page of a result set, read from the whole set sorted by column `sort` (0-based; NULLs last,
 * numbers by value before text, text without regard to ASCII case) and keeping only rows with a cell
 * containing `filter` (case-insensitive for ASCII letters; NULL reads as "null", at most 1000 characters).
 */
export interface ResultPageQuery {
  id: number
  index: number
  offset?: number
  /** Rows per page, 1–5000 (default 100); a page also stops at about 2 MB of rows (ResultPage.shortPage). */
  limit?: number
  sort?: number
  order?: 'asc' | 'desc'
  filter?: string
}

/**
 * A result set to export: all its rows in stored order, or with `sort`/`order`/`filter` (as
 * ResultPageQuery) the rows a result table shows, in its order ("Export visible rows"); at most `limit`.
 */
export interface ResultExportQuery {
  id: number
  index: number
  limit?: number
  sort?: number
  order?: 'asc' | 'desc'
  filter?: string
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

/**
 * A page of a job's tasks (jobs.tasks), in the order they were made: `limit` (at most DETAIL_TASKS)
 * after the first `offset`, of one `status` or of every state. The page's `total` is how many there
 * are of that state, or in all.
 */
export interface JobTasksQuery {
  id: number
  offset?: number
  limit?: number
  status?: TaskStatus
}

export interface LogPage {
  lines: LogLine[]
  /** Where the following page starts (`from`). */
  next: number
  /** How many stored lines match the task and text filters. */
  total: number
}

/** Columns the jobs list sorts by (`duration`: finished or now, minus started; not started last). */
export const JOB_SORT_KEYS = ['id', 'name', 'kind', 'status', 'createdAt', 'duration'] as const
export type JobSortKey = (typeof JOB_SORT_KEYS)[number]

export interface JobListQuery {
  status?: JobStatus
  type?: JobKind
  /** Matches name or uuid as a substring, or id or uuid exactly (`12` or `#12`): exact matches list first. */
  text?: string
  /** Exact job name (a workflow's `workspace:dagName`). */
  name?: string
  /** Submitted at or after this time (epoch ms). */
  from?: number
  /** Submitted before this time (epoch ms). */
  to?: number
  /** Default `id` (newest first); ties go by id in the same direction. */
  sort?: JobSortKey
  /** Default `desc`. */
  order?: 'asc' | 'desc'
  /**
   * Which jobs by their parent (Rill Flow sub-flows, JobSummary.parentJobId): `all` (the default, as
   * before sub-flows were told apart: clients rely on it), `none` (top-level jobs only: the Jobs page's
   * default view), or a job id (that job's sub-flows). Over HTTP the id comes as its digits.
   */
  parent?: JobParentFilter
  limit?: number
  offset?: number
}

/** JobListQuery.parent: every job, top-level jobs only, or the sub-flows of the job of this id. */
export type JobParentFilter = 'all' | 'none' | number

/**
 * A `parent` as given (JobListQuery.parent, or its query-string text) as the list takes it: undefined
 * for every job, `none`, or a positive job id. Throws nothing: undefined for a value that is none of
 * them too, which the caller refuses (isJobParentFilter).
 */
export function jobParentFilter(value: unknown): 'none' | number | undefined {
  if (value === 'none') return 'none'
  const id = typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : value
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined
}

/** Whether `value` is a JobListQuery.parent (`all`, `none` or a positive job id, as a number or its digits), or unset. */
export const isJobParentFilter = (value: unknown): boolean => value === undefined || value === 'all' || jobParentFilter(value) !== undefined

/** A Linkis token as Settings shows it: the code (the secret Token-Code) is never sent back, only masked. */
export interface LinkisTokenView {
  /** Stable handle of the token (not the code). */
  id: string
  /** The code, masked (`admin-••••••`, `••••••k3Q`). */
  masked: string
  /** An `admin-…` code: may pick executeUser, and is admin when its Token-User is an admin. */
  admin: boolean
  /** Users the token may act as ('*' for any). */
  users: string[]
  /** Client addresses allowed ('*' for any). */
  hosts: string[]
  expiresAt: number | null
}

/** One token in a save: `id` without `code` keeps that token's code; a `code` sets a (new) one. */
export interface LinkisTokenEdit {
  id?: string
  code?: string
  users: string[]
  hosts: string[]
  expiresAt: number | null
}

/** Linkis token auth (Token-Code + Token-User) and proxy users, as kept in Settings. */
export interface LinkisSettings {
  tokens: LinkisTokenView[]
  /** login user → the users it may act as ('*' for any). */
  proxyUsers: Record<string, string[]>
}

export interface NewUser {
  username: string
  password: string
  role?: Role
  rights?: Right[]
}

/** Changes to a user; `password` resets it (the user must change it at the next sign-in). */
export interface UserChange {
  name: string
  role?: Role
  disabled?: boolean
  rights?: Right[]
  password?: string
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

/** The server settings as read: with what follows from the users, whatever was set. */
export interface ServerSettingsView extends ServerSettings {
  /** Rill Flow wants a bearer token from loopback too, now, because there is more than one user. */
  rillflowTokenRequiredByUsers: boolean
}

export interface JobRef {
  id: number
  uuid: string
  status: JobStatus
}

/** Every operation; each area's map (GraphOperations: shared/graph-api.ts) is merged in here. */
export interface Operations extends GraphOperations, AlgorithmOperations, AccessKeyOperations, GraphWorkflowOperations, WorkflowManageOperations, SavedScriptOperations, PreferenceOperations {
  'session.me': { params: Record<string, never>; result: UserView }
  'session.changePassword': { params: { oldPassword: string; newPassword: string }; result: UserView }
  'jobs.list': { params: JobListQuery; result: Page<JobSummary> }
  'jobs.get': { params: { id: number }; result: JobDetail }
  /** A page of a job's tasks: a wide job's detail carries its first DETAIL_TASKS only. */
  'jobs.tasks': { params: JobTasksQuery; result: Page<TaskView> }
  'jobs.submit': { params: SubmitScriptJob; result: JobRef }
  'jobs.logs': { params: LogQuery; result: LogPage }
  /** The whole stored log as text, one line per log line: `time LEVEL [task] text` (for a download). */
  'jobs.logText': { params: { id: number; task?: string }; result: { fileName: string; text: string; lines: number } }
  'jobs.cancel': { params: { id: number }; result: JobSummary }
  'jobs.results': { params: { id: number }; result: ResultSetInfo[] }
  'jobs.resultPage': { params: ResultPageQuery; result: ResultPage }
  /**
   * A result set as CSV text (for a download); capped at `limit` rows (default 100,000) and at
   * `byteCap` bytes (32 MiB): `rows` it holds, `truncated` when a cap left rows out. Over HTTP the
   * answer is streamed (chunked), its fields in this order.
   */
  'jobs.exportResult': { params: ResultExportQuery; result: { fileName: string; rowCap: number; byteCap: number; csv: string; rows: number; truncated: boolean } }
  /**
   * A result set as an .xlsx workbook (base64, for a download); capped at `limit` rows (default and at
   * most 100,000) and at `byteCap` bytes of sheet data before compression (its notes sheet says so).
   */
  'jobs.exportXlsx': { params: ResultExportQuery; result: { fileName: string; rowCap: number; byteCap: number; base64: string; rows: number; truncated: boolean } }
  /**
   * What a job runs, for reading before a rerun, which runs it again (TaskCode): a script's code,
   * variables substituted (one task); a graph workflow's components, each its query or algorithm
   * with the run's values (componentRunText), one per task. Owner or admin; another kind of job is
   * refused (invalid, not_a_script).
   */
  'jobs.code': { params: { id: number }; result: TaskCode[] }
  'jobs.rerun': { params: { id: number }; result: JobRef }
  /** Deletes a finished job with its tasks, log and result sets (owner or admin); an unfinished one must be cancelled first. */
  'jobs.delete': { params: { id: number }; result: { id: number; deleted: true } }
  // recovering: a restart is still taking up the jobs an earlier run left unfinished (their tasks start once it is over)
  'system.health': { params: Record<string, never>; result: { status: 'ok'; version: string; uptimeSeconds: number; recovering: boolean } }
  /** Admins only. */
  'settings.server.get': { params: Record<string, never>; result: ServerSettingsView }
  /** Admins only; applies at the next start. Refuses allowRemote while an admin has the default password. */
  'settings.server.set': { params: ServerSettings; result: ServerSettingsView }
  /** Admins only; token codes come back masked. */
  'settings.linkis.get': { params: Record<string, never>; result: LinkisSettings }
  /** Admins only. */
  'settings.linkis.set': { params: { tokens: LinkisTokenEdit[]; proxyUsers: Record<string, string[]> }; result: LinkisSettings }
  /** Admins only. */
  'users.list': { params: Record<string, never>; result: UserAccount[] }
  /** Admins only; the new user must change the password at first sign-in. */
  'users.create': { params: NewUser; result: UserAccount }
  /** Admins only: role, disable/enable, rights, password reset. Disabling or a reset ends the user's sessions. */
  'users.update': { params: UserChange; result: UserChanged }
  /** A page of the caller's workflows (an admin: everyone's), most recently stored first; over HTTP the X-Total-Count header says how many there are. */
  'workflows.list': { params: WorkflowListQuery; result: WorkflowSummary[] }
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

/**
 * How an operation is reached over the native REST API. `:name` segments are filled from params;
 * the rest go in the query (GET) or the JSON body. `body: 'raw'` routes take the operation's `data`
 * as the raw request body (application/octet-stream) and the other params in the query.
 */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  status?: number
  body?: 'raw'
}

/** How each operation is reached over the native REST API. */
export const HTTP_ROUTES: { [K in OperationName]: HttpRoute } = {
  ...GRAPH_HTTP_ROUTES,
  ...ALGORITHM_HTTP_ROUTES,
  ...GRAPH_WORKFLOW_HTTP_ROUTES,
  ...ACCESS_KEY_HTTP_ROUTES,
  ...WORKFLOW_MANAGE_HTTP_ROUTES,
  ...SAVED_SCRIPT_HTTP_ROUTES,
  ...PREFERENCE_HTTP_ROUTES,
  'session.me': { method: 'GET', path: '/api/v1/me' },
  'session.changePassword': { method: 'POST', path: '/api/v1/me/password' },
  'jobs.list': { method: 'GET', path: '/api/v1/jobs' },
  'jobs.get': { method: 'GET', path: '/api/v1/jobs/:id' },
  'jobs.tasks': { method: 'GET', path: '/api/v1/jobs/:id/tasks' },
  'jobs.submit': { method: 'POST', path: '/api/v1/jobs', status: 201 },
  'jobs.logs': { method: 'GET', path: '/api/v1/jobs/:id/logs' },
  'jobs.logText': { method: 'GET', path: '/api/v1/jobs/:id/logs/text' },
  'jobs.cancel': { method: 'POST', path: '/api/v1/jobs/:id/cancel' },
  'jobs.results': { method: 'GET', path: '/api/v1/jobs/:id/results' },
  'jobs.resultPage': { method: 'GET', path: '/api/v1/jobs/:id/results/:index' },
  'jobs.exportResult': { method: 'GET', path: '/api/v1/jobs/:id/results/:index/csv' },
  'jobs.exportXlsx': { method: 'GET', path: '/api/v1/jobs/:id/results/:index/xlsx' },
  'jobs.code': { method: 'GET', path: '/api/v1/jobs/:id/code' },
  'jobs.rerun': { method: 'POST', path: '/api/v1/jobs/:id/rerun', status: 201 },
  'jobs.delete': { method: 'DELETE', path: '/api/v1/jobs/:id' },
  'system.health': { method: 'GET', path: '/api/v1/health' },
  'settings.server.get': { method: 'GET', path: '/api/v1/settings/server' },
  'settings.server.set': { method: 'POST', path: '/api/v1/settings/server' },
  'settings.linkis.get': { method: 'GET', path: '/api/v1/settings/linkis' },
  'settings.linkis.set': { method: 'POST', path: '/api/v1/settings/linkis' },
  'users.list': { method: 'GET', path: '/api/v1/users' },
  'users.create': { method: 'POST', path: '/api/v1/users', status: 201 },
  'users.update': { method: 'POST', path: '/api/v1/users/:name' },
  'workflows.list': { method: 'GET', path: '/api/v1/workflows' },
  'workflows.get': { method: 'GET', path: '/api/v1/workflows/descriptor' },
  'workflows.validate': { method: 'POST', path: '/api/v1/workflows/validate' },
  'workflows.save': { method: 'POST', path: '/api/v1/workflows', status: 201 },
  'workflows.submit': { method: 'POST', path: '/api/v1/workflows/submit', status: 201 },
  'workflows.execution': { method: 'GET', path: '/api/v1/executions/:id' },
  'workflows.redo': { method: 'POST', path: '/api/v1/executions/:id/redo' },
}

/**
 * An HttpRoute's `path` with its `:name` segments filled from `params` (%-encoded), and the params
 * left for the query or body (`rest`, a copy).
 */
export function fillRoutePath(path: string, params: Readonly<Record<string, unknown>>): { url: string; rest: Record<string, unknown> } {
  const rest = { ...params }
  const url = path.replace(/:(\w+)/g, (_m, key: string) => {
    const v = rest[key]
    delete rest[key]
    return encodeURIComponent(String(v))
  })
  return { url, rest }
}

/** `fields` as a query string (`?a=1&b=x`; '' for none), leaving out undefined and empty ones. */
export function routeQuery(fields: Readonly<Record<string, unknown>>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') q.set(k, String(v))
  return [...q].length ? `?${q}` : ''
}

export const LOGIN_PATH = '/api/v1/login'
export const LOGOUT_PATH = '/api/v1/logout'
export const EVENTS_PATH = '/api/v1/events'
/** Swagger UI of the native API (electron/http/server.ts); Rill Flow users look for it at this path. */
export const API_DOCS_PATH = '/swagger-ui.html'

/** The API docs' absolute address on the REST server at `serverUrl` (e.g. `http://127.0.0.1:8080`). */
export const apiDocsUrl = (serverUrl: string): string => new URL(API_DOCS_PATH, serverUrl).href

/** The bridge the preload exposes on `window.jobdesk` (Electron only). */
export interface DesktopBridge {
  invoke<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>>
  onEvent(listener: (event: import('./events').AppEvent) => void): () => void
  /** The app's REST server: its address and whether it is listening (the window itself needs no server). */
  serverLink(): Promise<import('./ipc').ServerLink>
}
