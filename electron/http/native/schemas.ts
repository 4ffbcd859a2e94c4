import { HTTP_ROUTES, JOB_SORT_KEYS, MAX_SCRIPT_TIMEOUT_SECONDS, SCRIPT_LANGUAGES, type OperationName } from '../../../shared/api'
import { DETAIL_TASKS, JOB_KINDS, RIGHTS, ROLES } from '../../../shared/model'
import { MAX_DATE_MS, TOKEN_CODE_MIN_LENGTH } from '../../../shared/linkis-token-rules'
import { SAVED_SCRIPT_LIMITS, type SavedScriptOperations } from '../../../shared/saved-scripts'
import { JOB_STATUSES, TASK_STATUSES } from '../../../shared/status'
import { ACCESS_KEY_ROUTE_SCHEMAS, ALGORITHM_ROUTE_SCHEMAS } from './algorithm-schemas'
import { GRAPH_ROUTE_SCHEMAS } from './graph-schemas'
import { GRAPH_WORKFLOW_ROUTE_SCHEMAS } from './graph-workflow-schemas'
import { workflowListQuery } from './workflow-list-query'

/** What a served task's attempt fields mean (shared/task-attempts.ts servedAttempts), for the API docs. */
const TASK_ATTEMPT_FIELDS =
  'A task’s `attempt` is its attempt’s number (1 its first run, each redo the next; 0 before it runs) and `try` the try within that attempt (its retries); `maxAttempts` is how many tries one attempt may make. `attempts` lists its finished tries, oldest first (the last 50), each with its `attempt` and `try` alike.'

// Request schemas of the native routes: fastify validates with them and @fastify/swagger documents them.
// Every integer has a maximum: `1e20` is an integer to JSON Schema but no row id or offset SQLite takes.

/** The largest id, index or offset a request may name (JavaScript's exact integers; SQLite's are wider). */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER
/** A search text without NUL: SQLite's LIKE ends its pattern there, so `%00` matched every line or job (atk12). */
const NO_NUL = '^[^\\u0000]*$'

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: MAX_INTEGER, description: 'the job id' } },
} as const

const resultParams = {
  type: 'object',
  required: ['id', 'index'],
  properties: { id: { type: 'integer', minimum: 1, maximum: MAX_INTEGER }, index: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, description: 'the result set’s index' } },
} as const

const userRights = { type: 'array', maxItems: 10, items: { type: 'string', enum: [...RIGHTS] }, description: '"scripts": may run shell and python jobs' } as const
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?'
const HOST_PATTERN = `^(?:${LABEL}(?:\\.${LABEL})*|\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\\]?)(?::\\d{1,5})?$`

const workflowRef = { workspace: { type: 'string', minLength: 1, maxLength: 200 }, name: { type: 'string', minLength: 1, maxLength: 200 } } as const
const aliasSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-zA-Z0-9]+$' } as const

/** A saved-script path to write at (services/saved-scripts.ts checkPath holds its limits). */
const scriptPath = { type: 'string', minLength: 1, maxLength: SAVED_SCRIPT_LIMITS.pathChars, description: 'names joined by /, e.g. reports/daily' } as const
/** A path that may name an entry already there: one an older version moved past the limits can still be reached (SAVED_SCRIPT_LIMITS.entryPathChars). */
const entryPath = { type: 'string', minLength: 1, maxLength: SAVED_SCRIPT_LIMITS.entryPathChars, description: 'names joined by /, e.g. reports/daily' } as const

/** Saved scripts (shared/saved-scripts.ts): every route acts on the caller's own tree. */
const SAVED_SCRIPT_ROUTE_SCHEMAS: Record<keyof SavedScriptOperations, RouteSchema> = {
  'savedScripts.list': { summary: 'Your saved scripts and folders (without code), by path', tags: ['saved scripts'] },
  'savedScripts.get': { summary: 'One of your saved scripts with its code', tags: ['saved scripts'], querystring: { type: 'object', required: ['path'], properties: { path: entryPath } } },
  'savedScripts.save': {
    summary: 'Save a script at a path (overwrite: replace an existing one; expect: only the one you read)',
    tags: ['saved scripts'],
    body: {
      type: 'object',
      required: ['path', 'language', 'code'],
      additionalProperties: false,
      properties: {
        path: entryPath, // a new script's path keeps the limits (checkPath)
        language: { type: 'string', enum: [...SCRIPT_LANGUAGES] },
        code: { type: 'string', maxLength: 1_000_000 },
        overwrite: { type: 'boolean' },
        expect: {
          type: 'object',
          required: ['id', 'updatedAt'],
          additionalProperties: false,
          description: 'the id and updatedAt of the script you mean to replace, as you last read it: 409 script_gone when no script is at path any more, script_changed when it is another or changed since',
          properties: { id: { type: 'integer', minimum: 1 }, updatedAt: { type: 'integer', minimum: 0 } },
        },
      },
    },
  },
  'savedScripts.createFolder': { summary: 'Create an (empty) folder', tags: ['saved scripts'], body: { type: 'object', required: ['path'], additionalProperties: false, properties: { path: scriptPath } } },
  'savedScripts.move': {
    summary: 'Rename or move a script, or a folder with everything in it',
    tags: ['saved scripts'],
    body: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: entryPath, to: scriptPath } },
  },
  'savedScripts.delete': { summary: 'Delete a script, or a folder with everything in it', tags: ['saved scripts'], querystring: { type: 'object', required: ['path'], properties: { path: entryPath } } },
  'scratch.tables': { summary: 'The tables and views of your scratch database (what SQL scripts run on), with their columns', tags: ['scripts'] },
}

/** A route's schema: fastify validates `params`, `querystring` and `body`; @fastify/swagger shows `summary` and `description` (a longer note). */
type RouteSchema = { summary: string; description?: string; tags: string[]; params?: object; querystring?: object; body?: object }

export const ROUTE_SCHEMAS: Record<OperationName, RouteSchema> = {
  ...GRAPH_ROUTE_SCHEMAS,
  ...ALGORITHM_ROUTE_SCHEMAS,
  ...ACCESS_KEY_ROUTE_SCHEMAS,
  ...GRAPH_WORKFLOW_ROUTE_SCHEMAS,
  'session.me': { summary: 'The signed-in user', tags: ['session'] },
  'session.changePassword': {
    summary: 'Change the signed-in user’s password',
    tags: ['session'],
    body: {
      type: 'object',
      required: ['oldPassword', 'newPassword'],
      additionalProperties: false,
      properties: { oldPassword: { type: 'string', maxLength: 1024 }, newPassword: { type: 'string', minLength: 8, maxLength: 1024 } },
    },
  },
  'jobs.list': {
    summary: 'List jobs, newest first unless sorted otherwise',
    tags: ['jobs'],
    querystring: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: [...JOB_STATUSES] },
        type: { type: 'string', enum: [...JOB_KINDS] },
        text: { type: 'string', maxLength: 200, pattern: NO_NUL, description: 'matches name or uuid as a substring, or id (`12`, `#12`) or uuid exactly; exact matches first' },
        name: { type: 'string', maxLength: 300, description: 'exact job name' },
        from: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, description: 'submitted at or after (epoch ms)' },
        to: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, description: 'submitted before (epoch ms)' },
        sort: { type: 'string', enum: [...JOB_SORT_KEYS], default: 'id' },
        order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
        parent: {
          type: 'string',
          pattern: '^(none|all|[1-9][0-9]{0,15})$',
          description: 'which jobs by their parent: `all` (the default: every job, sub-flows included), `none` (top-level jobs only), or a job id (its sub-flows)',
        },
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        offset: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, default: 0 },
      },
    },
  },
  'jobs.get': {
    summary: 'A job with its tasks',
    description: TASK_ATTEMPT_FIELDS,
    tags: ['jobs'],
    params: idParams,
  },
  'jobs.tasks': {
    summary: 'A page of a job’s tasks, in the order they were made, with how many there are (of that state)',
    description: TASK_ATTEMPT_FIELDS,
    tags: ['jobs'],
    params: idParams,
    querystring: {
      type: 'object',
      properties: {
        offset: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, default: 0, description: 'tasks skipped before the page' },
        limit: { type: 'integer', minimum: 1, maximum: DETAIL_TASKS, default: 100 },
        status: { type: 'string', enum: [...TASK_STATUSES], description: 'only the tasks in this state' },
      },
    },
  },
  'jobs.submit': {
    summary: 'Submit a script job',
    tags: ['jobs'],
    body: {
      type: 'object',
      required: ['type', 'language', 'code'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['script'] },
        language: { type: 'string', enum: [...SCRIPT_LANGUAGES] },
        code: { type: 'string', minLength: 1, maxLength: 1_000_000 },
        name: { type: 'string', maxLength: 200 },
        // no type or range here: the service's one check (isTimeoutSeconds) answers every bad value alike, bad_timeout
        timeoutSeconds: { description: `seconds: a number greater than 0 and at most ${MAX_SCRIPT_TIMEOUT_SECONDS} (7 days); a day when absent` },
        retries: { type: 'integer', minimum: 0, maximum: 10 },
        variables: { type: 'object', additionalProperties: { type: 'string' } },
        // checked by the service (bad_graph), as an IPC call's is
        graph: { description: 'cypher only: the graph the script runs on (default `default`)' },
      },
    },
  },
  'jobs.logs': {
    summary: 'A page of a job’s log lines, with how many match',
    tags: ['jobs'],
    params: idParams,
    querystring: {
      type: 'object',
      properties: {
        from: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, default: 0, description: 'first sequence number' },
        before: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, description: 'the lines just before this sequence number (earlier lines)' },
        tail: { type: 'boolean', description: 'the last lines of the log' },
        size: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 },
        task: { type: 'string', maxLength: 300, description: 'only this task’s lines (and its groups’)' },
        text: { type: 'string', maxLength: 200, pattern: NO_NUL, description: 'only lines containing this text' },
      },
    },
  },
  'jobs.logText': {
    summary: 'A job’s whole stored log as text (for a download)',
    tags: ['jobs'],
    params: idParams,
    querystring: { type: 'object', properties: { task: { type: 'string', maxLength: 300 } } },
  },
  'jobs.cancel': { summary: 'Cancel a job (kills its processes)', tags: ['jobs'], params: idParams },
  'jobs.results': { summary: 'A job’s result sets (one per statement, plus stdout)', tags: ['jobs'], params: idParams },
  'jobs.resultPage': {
    summary: 'A page of rows of one result set',
    tags: ['jobs'],
    params: resultParams,
    querystring: {
      type: 'object',
      properties: {
        offset: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, default: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 5000, default: 100 },
        sort: { type: 'integer', minimum: 0, maximum: 100_000, description: 'sort the whole result set by this column (0-based)' },
        order: { type: 'string', enum: ['asc', 'desc'], description: 'with sort: ascending (default) or descending' },
        filter: { type: 'string', maxLength: 1000, description: 'keep the rows with a cell containing this text (case-insensitive)' },
      },
    },
  },
  'jobs.exportResult': {
    summary: 'One result set as CSV text',
    tags: ['jobs'],
    params: resultParams,
    querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 100_000 }, sort: { type: 'integer', minimum: 0, maximum: 100_000, description: 'export the rows sorted by this column (0-based), as the result table shows them' }, order: { type: 'string', enum: ['asc', 'desc'] }, filter: { type: 'string', maxLength: 1000, description: 'export only the rows with a cell containing this text' } } },
  },
  'jobs.exportXlsx': {
    summary: 'One result set as an .xlsx workbook, base64-encoded in JSON',
    tags: ['jobs'],
    params: resultParams,
    querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100_000, default: 100_000 }, sort: { type: 'integer', minimum: 0, maximum: 100_000, description: 'export the rows sorted by this column (0-based), as the result table shows them' }, order: { type: 'string', enum: ['asc', 'desc'] }, filter: { type: 'string', maxLength: 1000, description: 'export only the rows with a cell containing this text' } } },
  },
  'jobs.code': { summary: 'What a job runs again on a rerun: a script’s code, variables substituted, or each graph workflow component’s query or algorithm', tags: ['jobs'], params: idParams },
  'jobs.rerun': { summary: 'Run a job’s tasks again as a new job', tags: ['jobs'], params: idParams },
  'jobs.delete': { summary: 'Delete a finished job with its tasks, log and results (cancel an unfinished one first)', tags: ['jobs'], params: idParams },
  'system.health': { summary: 'Liveness and version', tags: ['system'] },
  'settings.server.get': { summary: 'How the REST endpoint is exposed (admins only)', tags: ['settings'] },
  'settings.server.set': {
    summary: 'Change how the REST endpoint is exposed (admins only; applies at the next start; no network while an admin has the default password)',
    tags: ['settings'],
    body: {
      type: 'object',
      required: ['allowRemote', 'allowedHosts', 'allowedOrigins', 'rillflowRequireToken'],
      additionalProperties: false,
      properties: {
        allowRemote: { type: 'boolean' },
        // a host name (RFC 1123 labels), an IPv4 or IPv6 address (bracketed or not), an optional port
        allowedHosts: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 253, pattern: HOST_PATTERN } },
        allowedOrigins: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^https?://[^\\s/]+$' } },
        rillflowRequireToken: { type: 'boolean' },
      },
    },
  },
  'settings.linkis.get': { summary: 'Linkis tokens (codes masked) and proxy users (admins only)', tags: ['settings'] },
  'settings.linkis.set': {
    summary: 'Replace the Linkis tokens and proxy users (admins only); a token given by id without a code keeps its code',
    tags: ['settings'],
    body: {
      type: 'object',
      required: ['tokens', 'proxyUsers'],
      additionalProperties: false,
      properties: {
        tokens: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'object',
            required: ['users', 'hosts', 'expiresAt'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', pattern: '^[\\w-]{1,64}$' },
              code: { type: 'string', pattern: '^[\\w.-]{1,128}$', description: `the Token-Code (a secret): a new code has at least ${TOKEN_CODE_MIN_LENGTH} characters, after admin- for an admin code; omit to keep the code of the token with this id` },
              users: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
              hosts: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
              expiresAt: { type: ['integer', 'null'], minimum: 0, maximum: MAX_DATE_MS, description: 'when the token expires (ms since 1970), a time to come and a date (at most 8.64e15); null: never' },
            },
          },
        },
        proxyUsers: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } } },
      },
    },
  },
  'users.list': { summary: 'Every user with role, rights and state (admins only)', tags: ['users'] },
  'users.create': {
    summary: 'Create a user (admins only); they change the password at first sign-in',
    tags: ['users'],
    body: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 64 },
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        role: { type: 'string', enum: [...ROLES] },
        rights: userRights,
      },
    },
  },
  'users.update': {
    summary: 'Change a user’s role or rights, disable or enable them, or reset their password (admins only)',
    tags: ['users'],
    params: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 64 } } },
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        role: { type: 'string', enum: [...ROLES] },
        disabled: { type: 'boolean' },
        rights: userRights,
        password: { type: 'string', minLength: 1, maxLength: 1024, description: 'a new password; the user must change it at the next sign-in' },
      },
    },
  },
  'workflows.list': { summary: 'A page of workflow descriptors with their versions and aliases, most recently stored first (X-Total-Count: how many in all)', tags: ['workflows'], querystring: workflowListQuery },
  'workflows.get': {
    summary: 'A descriptor version: text, graph, versions, aliases',
    tags: ['workflows'],
    querystring: { type: 'object', required: ['descriptorId'], properties: { descriptorId: { type: 'string', minLength: 1 } } },
  },
  'workflows.validate': {
    summary: 'Validate descriptor text without storing it',
    tags: ['workflows'],
    body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', maxLength: 4_000_000 } } },
  },
  'workflows.save': {
    summary: 'Store a descriptor version (its md5) and point an alias at it',
    tags: ['workflows'],
    body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: 4_000_000 }, alias: { type: 'string', pattern: '^[a-zA-Z0-9]+$' } } },
  },
  'workflows.submit': {
    summary: 'Start an execution of a descriptor with a context',
    tags: ['workflows'],
    body: { type: 'object', required: ['descriptorId'], additionalProperties: false, properties: { descriptorId: { type: 'string', minLength: 1 }, context: { type: 'object' } } },
  },
  'workflows.grid': {
    summary: 'Recent executions of a workflow × its top-level tasks (the run grid), newest first',
    description:
      'A cell’s `attempt` is its attempt’s number (1 its first run, each redo the next; 0 before it runs) and `try` the try within that attempt (its retries), as a task’s in the job routes; a row inside a foreach or choice gives the highest attempt of its runs, with that run’s try.',
    tags: ['workflows'],
    querystring: { type: 'object', required: ['workspace', 'name'], properties: { ...workflowRef, limit: { type: 'integer', minimum: 1, maximum: 50, default: 20 } } },
  },
  'workflows.setAlias': {
    summary: 'Point an alias at a stored version (owner of the workflow or admin)',
    tags: ['workflows'],
    body: {
      type: 'object',
      required: ['workspace', 'name', 'alias', 'version'],
      additionalProperties: false,
      properties: { ...workflowRef, alias: aliasSchema, version: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'the md5 version' } },
    },
  },
  'workflows.deleteAlias': {
    summary: 'Delete an alias (owner of the workflow or admin)',
    tags: ['workflows'],
    querystring: { type: 'object', required: ['workspace', 'name', 'alias'], properties: { ...workflowRef, alias: aliasSchema } },
  },
  'workflows.delete': {
    summary: 'Delete a workflow: its versions, aliases and gray rules (owner of the workflow or admin; refused while executions of it are kept)',
    tags: ['workflows'],
    querystring: { type: 'object', required: ['workspace', 'name'], properties: workflowRef },
  },
  ...SAVED_SCRIPT_ROUTE_SCHEMAS,
  'preferences.get': { summary: 'Your preferences', tags: ['session'] },
  'preferences.set': {
    summary: 'Change your preferences (the ones given)',
    tags: ['session'],
    body: { type: 'object', additionalProperties: false, properties: { notifyJobEnds: { type: 'boolean', description: 'a desktop notification when a job you started ends' } } },
  },
  'workflows.execution': { summary: 'An execution’s tasks, statuses and context', tags: ['workflows'], params: idParams },
  'workflows.redo': {
    summary: 'Run the failed (or the named) tasks again, and everything after them',
    tags: ['workflows'],
    params: idParams,
    body: { type: 'object', additionalProperties: false, properties: { tasks: { type: 'array', items: { type: 'string', minLength: 1 } } } },
  },
}

// Keeps the two tables in step: an operation with a route must have a schema entry.
export const NATIVE_OPERATIONS = Object.keys(HTTP_ROUTES) as OperationName[]
