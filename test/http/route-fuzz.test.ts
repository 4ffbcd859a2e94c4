// #9.6 fuzz: every registered route of every dialect (read from fastify itself, so a new route is
// fuzzed the day it is added) gets malformed input of each class the attack used — numbers out of
// range, wrong types, negative sizes, unknown ids, hostile strings, prototype keys, repeated and
// badly escaped parameters, broken, deep, huge and mistyped bodies — with and without credentials.
// Each answer must be the route's dialect envelope with a 4xx (never a 5xx but Rill Flow's documented
// engine errors), and the app, in its own process, must still answer a status probe afterwards.
// Counts and states only (a per-request 15 s bound failed at load 12, the fuzz taking 116 s): a request
// that never gets an answer shows as the test's timeout, with the requests still open printed.
import { Agent, request } from 'node:http'
import { beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { HTTP_ROUTES, type OperationName } from '../../shared/api'
import { ROUTE_SCHEMAS } from '../../electron/http/native/schemas'
import { TUGRAPH_METHODS, TUGRAPH_PREFIX } from '../../electron/http/dialects/tugraph/envelope'
import { formatExecutionId, uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp } from '../support/app'
import { registeredRoutes, type RegisteredRoute } from '../support/routes'
import { servedProcessSuite } from '../support/served-process'

type Dialect = 'native' | 'linkis' | 'rillflow' | 'tugraph' | 'ges' | 'explorer'
const dialectOf = (url: string): Dialect =>
  url.startsWith('/api/rest_j/v1/')
    ? 'linkis'
    : /^\/(2\/)?flow\//.test(url)
      ? 'rillflow'
      : url.startsWith('/LGraphHttpService/') || url.startsWith('/:method')
        ? 'tugraph'
        : /^\/(v2|v1\.0|ges|v3)\//.test(url)
          ? 'ges'
          : url.startsWith('/api-open/')
            ? 'explorer'
            : 'native'

/**
 * TuGraph's routes take the method name as a path parameter: the prefixed route is fuzzed with every
 * method, its other forms (at the root, with a trailing slash) with one each.
 */
const tugraphMethodsOf = (url: string): readonly string[] => (url === `${TUGRAPH_PREFIX}/:method` ? TUGRAPH_METHODS : ['import_progress'])
/** Methods that would end the fuzzer's own session: they get a forged token. */
const ENDS_SESSION = /\/(logout|refresh)\/?$/

/** Rill Flow answers engine errors (unknown or finished execution, task not waiting) with HTTP 500 upstream (rillflow.md). */
const RILL_ENGINE_ERRORS = new Set([30601, 30605])

// ── hostile values ────────────────────────────────────────────────────────────────────────────
const TEXT_VALUES = ['1e20', '-1', '1.5', '__proto__', "../../../../etc/passwd\u0000<script>' OR 1=1 --", 'a'.repeat(4000)]
const PATH_VALUES = ['999999', '-1', '1e20', '99999999999999999999', 'abc', 'constructor', '..%2F..%2Fetc%2Fpasswd', '%E0%A4%A', 'a'.repeat(120)]
const BODY_VALUES: unknown[] = [null, -1, 1e308, 'x'.repeat(100_000), '../../../../etc/passwd', {}, [], { constructor: { prototype: { isAdmin: true } } }]
/**
 * Other spellings of a valid id (#9 §6): each must be refused naming the parameter, not reach the
 * job the canonical spelling names (`0x10` was job 16). Sent in the path %-encoded.
 */
const nonCanonicalIds = (id: number): string[] => [`0x${id.toString(16)}`, `+${id}`, `0${id}`, ` ${id}`, `${id} `, `${id}.0`, `${id}e0`, `${id}\t`, '9007199254740993']
/** Rill Flow's execution ids are matched by their exact text: spaces, case or another workspace:dagName name nothing. */
const nonCanonicalExecutionIds = (id: string): string[] => [` ${id}`, `${id} `, id.toUpperCase(), formatExecutionId('other', 'dag', uuidOfExecutionId(id))]
/** The numeric id parameters of each dialect, in paths and query strings (GES's and TuGraph's ids are not numbers). */
const ID_PARAMS: Partial<Record<Dialect, string[]>> = { native: ['id', 'index'], linkis: ['id', 'taskID', 'startTaskID', 'jobId'], explorer: ['workflow_id', 'job_id'] }
const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`
const WHOLE_BODIES: [label: string, contentType: string, body: string][] = [
  ['broken JSON', 'application/json', '{"a":'],
  ['JSON nested 5,000 deep', 'application/json', deep(5000)],
  ['a 17 MB body', 'application/json', `"${'x'.repeat(17 * 1024 * 1024)}"`],
  ['an unsupported content type', 'application/xml', '<a/>'],
  ['a form body', 'application/x-www-form-urlencoded', '__proto__=1&constructor=2&a=%ZZ'],
  ['an empty JSON body', 'application/json', ''],
  ['a JSON array', 'application/json', '[1,2]'],
  ['a JSON string', 'application/json', '"text"'],
  ['JSON null', 'application/json', 'null'],
  ['a huge JSON number', 'application/json', '1e400'],
  ['a __proto__ key', 'application/json', '{"__proto__":{"isAdmin":true}}'],
  ['a constructor.prototype key', 'application/json', '{"constructor":{"prototype":{"isAdmin":true}}}'],
  ['hostile text', 'text/plain', '\u0000\u202e{{7*7}}${7*7}'],
]

/** Without credentials, the bodies that would tell an unknown caller about parsing or the schema if checked before authentication. */
const ANONYMOUS_BODIES = new Set(['broken JSON', 'JSON nested 5,000 deep', 'an unsupported content type', 'a __proto__ key', 'a JSON array'])

interface Seed {
  jobId: number
  resultDir: string
  logPath: string
  executionId: string
}

/** Valid values of each parameter, so one field at a time can be made hostile while the rest pass. */
function validQuery(seed: Seed): Record<Dialect, Record<string, string>> {
  const now = String(Date.now())
  return {
    native: { status: 'succeeded', type: 'script', text: 'select', name: 'fuzz', limit: '10', offset: '0', from: '0', size: '10', task: 'main', descriptorId: 'fuzz:demo' },
    linkis: {
      userName: 'fuzz-nobody', password: 'not-the-password', proxyUser: 'admin', fromLine: '0', size: '10', distinctLevel: 'true', pageNow: '1', pageSize: '10',
      status: 'Succeed', taskID: String(seed.jobId), startDate: '0', endDate: now, startTaskID: '0', isAdminView: 'true', executeApplicationName: 'jdbc',
      engineType: 'jdbc', creator: 'IDE', runType: 'sql', brief: 'true', path: `${seed.resultDir}/_0.dolphin`, page: '1', nullValue: 'NULL', logLevel: 'all',
      outputFileType: 'csv', outputFileName: 'r', csvSeparator: ',', charset: 'utf-8', limit: '10', sheetName: 's', quoteRetouchEnable: 'false', keepNewline: 'false',
    },
    tugraph: {},
    explorer: { filter: JSON.stringify({ name: 'fuzz', status: 2, fromCreateTime: 0, toCreateTime: Number(now), orderByCreateTime: 'asc' }), page: '1', pageSize: '10', limit: '10' },
    ges: { offset: '0', limit: '10', status: 'success', graph_name: 'default', start_time: '2024-01-01', end_time: '2030-01-01', startTime: '2024-01-01', endTime: '2030-01-01', action_id: 'import-graph' },
    rillflow: {
      execution_id: seed.executionId, task_name: 'wait', descriptor_id: 'fuzz:demo', business_id: 'fuzz', feature_name: 'demo', alias: 'fuzzalias', brief: 'true',
      parent: 'wait', group_index: '0', type: 'succeed', page: '1', count: '10', time: now, service_id: 'fuzz:demo', start_time_offset: '60', add: 'true',
      gray_rule: 'true', status: 'SUCCEEDED', context: '{}', task_names: 'wait', success: 'true', degrade_current_task: 'false', degrade_following_tasks: 'false', uid: '1',
    },
  }
}

const L = '/api/rest_j/v1'
const D = '/flow/bg/manage/descriptor'
const HISTORY = ['pageNow', 'pageSize', 'status', 'taskID', 'startDate', 'endDate', 'proxyUser', 'isAdminView', 'executeApplicationName', 'engineType', 'creator', 'runType', 'startTaskID']
/** The query parameters each Linkis and Rill Flow route reads (jobapis.md §A, rillflow.md §4); others get the whole dictionary. */
const READS: Record<string, string[]> = {
  [`${L}/user/login`]: ['userName', 'password'],
  [`${L}/user/logout`]: [],
  [`${L}/user/heartbeat`]: [],
  [`${L}/user/userInfo`]: [],
  [`${L}/user/token-login`]: [],
  [`${L}/user/proxy`]: ['proxyUser'],
  [`${L}/entrance/submit`]: [],
  [`${L}/entrance/execute`]: [],
  [`${L}/entrance/:id/status`]: [],
  [`${L}/entrance/:id/progress`]: [],
  [`${L}/entrance/:id/progressWithResource`]: [],
  [`${L}/entrance/:id/pause`]: [],
  [`${L}/entrance/:id/kill`]: [],
  [`${L}/entrance/:id/killJobs`]: [],
  [`${L}/entrance/:id/log`]: ['fromLine', 'size', 'distinctLevel'],
  [`${L}/jobhistory/list`]: HISTORY,
  [`${L}/jobhistory/listundone`]: HISTORY,
  [`${L}/jobhistory/:taskID/get`]: ['brief'],
  [`${L}/filesystem/getDirFileTrees`]: ['path'],
  [`${L}/filesystem/openFile`]: ['path', 'page', 'pageSize', 'nullValue'],
  [`${L}/filesystem/openLog`]: ['path', 'logLevel'],
  [`${L}/filesystem/resultsetToExcel`]: ['path', 'outputFileType', 'nullValue', 'limit', 'outputFileName', 'csvSeparator', 'charset', 'sheetName', 'quoteRetouchEnable', 'keepNewline'],
  [`${D}/add_descriptor.json`]: ['business_id', 'feature_name', 'alias'],
  [`${D}/get_descriptor.json`]: ['descriptor_id', 'uid'],
  [`${D}/get_business.json`]: [],
  [`${D}/get_feature.json`]: ['business_id'],
  [`${D}/get_alias.json`]: ['business_id', 'feature_name'],
  [`${D}/get_version.json`]: ['business_id', 'feature_name', 'alias'],
  [`${D}/get_gray.json`]: ['business_id', 'feature_name'],
  [`${D}/modify_gray.json`]: ['add', 'business_id', 'feature_name', 'alias', 'gray_rule'],
  [`${D}/modify_alias.json`]: ['add', 'business_id', 'feature_name', 'alias'],
  '/flow/submit.json': ['descriptor_id', 'callback'],
  '/2/flow/submit.json': ['descriptor_id', 'callback'],
  '/flow/finish.json': ['execution_id', 'task_name'],
  '/flow/wakeup.json': ['execution_id', 'task_name'],
  '/flow/trigger.json': ['execution_id', 'task_name', 'status', 'context'],
  '/flow/get.json': ['execution_id', 'brief'],
  '/flow/get_context.json': ['execution_id'],
  '/flow/get_sub_context.json': ['execution_id', 'parent', 'group_index'],
  '/flow/get_by_parent.json': ['execution_id', 'parent', 'group_index'],
  '/flow/get_execution_ids.json': ['type', 'page', 'count', 'time', 'service_id'],
  '/flow/get_execution_count.json': ['service_id', 'start_time_offset', 'type'],
  '/flow/redo.json': ['execution_id', 'task_names'],
  '/flow/complete_dag.json': ['execution_id', 'success'],
  '/flow/task_degrade.json': ['execution_id', 'task_name', 'degrade_current_task', 'degrade_following_tasks'],
  '/flow/service_check.json': [],
  '/flow/mapping_evaluation.json': [],
  // the management consoles (#10)
  [`${L}/user/publicKey`]: [],
  [`${L}/user/oauth-redirect`]: [],
  [`${L}/user/baseinfo`]: [],
  [`${L}/jobhistory/listundonetasks`]: ['startDate', 'endDate', 'status', 'pageNow', 'pageSize', 'startTaskID', 'engineType', 'creator'],
  [`${L}/jobhistory/governanceStationAdmin`]: [],
  [`${L}/jobhistory/job-extra-info`]: ['jobId'],
  [`${L}/jobhistory/diagnosis-query`]: ['taskID', 'diagnosisSource'],
  [`${L}/filesystem/getUserRootPath`]: ['pathType'],
  ...Object.fromEntries(
    [
      'linkisManager/ecinfo/ecrHistoryList',
      'linkisManager/rm/userresources',
      'linkisManager/rm/allUserResource',
      'linkisManager/listAllEMs',
      'linkisManager/listAllECMHealthyStatus',
      'linkisManager/listAllNodeHealthyStatus',
      'microservice/modifiableLabelKey',
      'data-source-manager/info',
      'data-source-manager/type/all',
      'data-source-manager/env',
      'udf/managerPages',
      'udf/userDirectory',
      'configuration/engineType',
      'linkisManager/rm/engineType',
    ].map((path) => [`${L}/${path}`, []]),
  ),
  '/flow/bg/user/login.json': ['username', 'password'],
  '/flow/bg/user/currentUser.json': [],
  '/flow/bg/get_descriptor_ids.json': ['current', 'page', 'pageSize', 'business', 'feature'],
  '/flow/bg/get_business_options.json': [],
  '/flow/bg/get_execution_ids.json': ['current', 'page', 'pageSize', 'business', 'feature', 'status', 'id', 'execution_id', 'startTime', 'endTime'],
  '/flow/bg/get_execution.json': ['id'],
  '/flow/bg/get_descriptor.json': ['id'],
  '/flow/template/get_meta_data_list.json': [],
  '/flow/template/get_template_prototypes.json': ['page', 'page_size', 'pageSize', 'id', 'name', 'category', 'type', 'node_type', 'enable'],
  '/flow/template/get_task_templates.json': ['page', 'page_size', 'pageSize', 'id', 'name', 'category', 'type', 'node_type', 'enable'],
  ...Object.fromEntries(['create', 'update', 'enable', 'disable'].map((verb) => [`/flow/template/${verb}_task_template.json`, ['id']])),
}

const DESCRIPTOR = `workspace: fuzz
dagName: demo
type: flow
tasks:
  - {category: pass, name: start, next: wait}
  - category: suspense
    name: wait
    conditions: ["$.input.[?(@.go == true)]"]
`

/** A valid body of each TuGraph method (reference/tugraph.md §1); the files named do not exist, so imports fail as tasks. */
const TUGRAPH_BODIES: Record<string, unknown> = {
  login: { userName: 'fuzz-nobody', password: 'not-the-password' },
  cypher: { graph: 'default', script: 'RETURN 1' },
  gql: { graph: 'default', script: 'RETURN 1' },
  check_file: { fileName: 'fuzz.csv', flag: '2', fileSize: '1' },
  clear_cache: { flag: '0', fileName: 'fuzz.csv' },
  import_schema: { graph: 'default', description: { schema: [{ label: 'fuzzv', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] } },
  import_data: {
    graph: 'default',
    delimiter: ',',
    continueOnError: false,
    skipPackages: '0',
    taskId: '',
    flag: '1',
    schema: { files: [{ path: 'fuzz.csv', format: 'CSV', label: 'fuzzv', columns: ['id'], header: 0 }] },
  },
  import_progress: { taskId: 'fuzz-task' },
}
const UPLOAD_HEADERS = { 'File-Name': 'fuzz/chunk.bin', 'Begin-Pos': '0' }
const HOSTILE_UPLOAD_HEADERS: Record<string, string>[] = [
  ...['../../../etc/passwd', '/etc/passwd', 'C:\\x', 'a/../../b', 'admin/x', '.', 'a'.repeat(4000), '\u00ff\u00fe'].map((n) => ({ 'File-Name': n })),
  ...['-1', '1e20', '99999999999999999999', 'abc', ''].flatMap((v): Record<string, string>[] => [{ 'Begin-Pos': v }, { Size: v }]),
]

/** A valid body per route that takes one: the fields that are then made hostile one at a time. */
function validBody(url: string, seed: Seed, method?: string): { type: string; body: unknown } | undefined {
  if (method === 'upload_files' || method === 'upload_file') return { type: 'application/octet-stream', body: 'id\n1\n' }
  if (method !== undefined) return method in TUGRAPH_BODIES ? { type: 'application/json', body: TUGRAPH_BODIES[method] } : undefined
  const jsonBodies: Record<string, unknown> = {
    '/api/v1/login': { username: 'fuzz-nobody', password: 'not-the-password' },
    '/api/v1/me/password': { oldPassword: 'not-the-password', newPassword: 'still-not-the-password' },
    // Cypher jobs end at once (no process or worker per accepted submission), which keeps the fuzz fast
    '/api/v1/jobs': { type: 'script', language: 'cypher', code: 'RETURN 1', name: 'fuzz', timeoutSeconds: 30, retries: 0, variables: { a: 'b' } },
    '/api/v1/settings/server': { allowRemote: false, allowedHosts: ['jobdesk.lan'], allowedOrigins: [], rillflowRequireToken: false },
    '/api/v1/settings/linkis': { tokens: [{ name: 'FUZZ', users: ['*'], hosts: ['*'], expiresAt: null }], proxyUsers: { admin: ['*'] } },
    '/api/v1/workflows/validate': { text: DESCRIPTOR },
    '/api/v1/workflows': { text: DESCRIPTOR, alias: 'release' },
    '/api/v1/workflows/submit': { descriptorId: 'fuzz:demo', context: { n: 1 } },
    '/api/v1/executions/:id/redo': { tasks: ['wait'] },
    [`${L}/user/login`]: { userName: 'fuzz-nobody', password: 'not-the-password' },
    [`${L}/entrance/submit`]: { executionContent: { code: 'RETURN 1', runType: 'cypher' }, labels: { engineType: 'nebula-3', userCreator: 'admin-IDE' }, params: { variable: { a: 'b' } } },
    [`${L}/entrance/execute`]: { executionCode: 'RETURN 1', runType: 'cypher', executeApplicationName: 'nebula' },
    [`${L}/entrance/:id/killJobs`]: { idList: [String(seed.jobId)], taskIDList: [String(seed.jobId)] },
    '/v3/auth/tokens': { auth: { identity: { methods: ['password'], password: { user: { name: 'fuzz-nobody', password: 'not-the-password', domain: { name: 'd' } } } } } },
    '/v2/:project_id/graphs/:graph_id/import-graph': { edgeset_path: 'none/e.csv', edgeset_format: 'csv', delimiter: ',' },
    '/v1.0/:project_id/graphs/:graph_id/action': { edgesetPath: 'none/e.csv', edgesetFormat: 'csv' },
    '/ges/v1.0/:project_id/graphs/:graph_name/action': { algorithmName: 'pagerank', parameters: { alpha: 0.85, max_iterations: 5 } },
    '/api/v1/graph-workflows': { document: FUZZ_WORKFLOW },
    '/api/v1/graph-workflows/validate': { document: FUZZ_WORKFLOW },
    '/api/v1/graph-workflows/:id/versions': { document: FUZZ_WORKFLOW },
    '/api/v1/graph-workflows/:id/jobs': { version: 1, input: { WCC_1: { IS_DIRECTED: false } } },
    '/api/v1/graph-workflows/jobs/:id/rerun': { from: 'failed' },
    '/api-open/v1/connect': { address: '127.0.0.1', port: 9669 },
    '/api-open/v1/workflows/:workflow_id/jobs': { input: { WCC_1: { IS_DIRECTED: false } } },
    '/flow/mapping_evaluation.json': { mappings: [{ source: '$.context.a', target: '$.context.b' }], context: { a: 1 }, input: {}, output: {} },
  }
  if (url === `${D}/add_descriptor.json`) return { type: 'text/plain', body: DESCRIPTOR }
  if (url in jsonBodies) return { type: 'application/json', body: jsonBodies[url] }
  return dialectOf(url) === 'rillflow' ? { type: 'application/json', body: { go: false } } : undefined
}

/** A small graph workflow (shared/graph-workflows.ts) for the graph workflow routes' valid bodies. */
const FUZZ_WORKFLOW = { name: 'fuzz', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'default' } }], wires: [] }

/** Each field of a JSON value down to two levels, as a path of keys. */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || Array.isArray(value) || prefix.length >= 2) return prefix.length ? [prefix] : []
  const paths = Object.keys(value).flatMap((k) => fieldPaths((value as Record<string, unknown>)[k], [...prefix, k]))
  return prefix.length ? [prefix, ...paths] : paths
}

function withField(value: unknown, path: string[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>
  let at = copy
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[path[path.length - 1]] = replacement
  return copy
}

interface Probe {
  route: RegisteredRoute
  label: string
  credentials: boolean
  path: string
  contentType?: string
  body?: string
  headers?: Record<string, string>
  /** A non-canonical id: the answer must be a refusal naming this parameter. */
  refuses?: string
}

function buildProbes(routes: RegisteredRoute[], seed: Seed): Probe[] {
  const dictionary = validQuery(seed)
  const probes: Probe[] = []
  for (const route of routes) {
    for (const method of dialectOf(route.url) === 'tugraph' ? tugraphMethodsOf(route.url) : [undefined]) probes.push(...routeProbes(route, dictionary, seed, method))
  }
  return probes
}

/** The probes of one route; `method`: the TuGraph method its `:method` stands for. */
function routeProbes(route: RegisteredRoute, dictionary: Record<Dialect, Record<string, string>>, seed: Seed, method?: string): Probe[] {
  const probes: Probe[] = []
  const dialect = dialectOf(route.url)
  const op = (Object.keys(HTTP_ROUTES) as OperationName[]).find((k) => HTTP_ROUTES[k].path === route.url && HTTP_ROUTES[k].method === route.method)
  const schemaQuery = op ? Object.keys((ROUTE_SCHEMAS[op].querystring as { properties?: object } | undefined)?.properties ?? {}) : undefined
  const names = dialect === 'native' ? (schemaQuery ?? []) : (READS[route.url] ?? Object.keys(dictionary[dialect]))
  const query: Record<string, string> = Object.fromEntries(names.map((n) => [n, dictionary[dialect][n] ?? 'x']))
  if (route.url === `${L}/filesystem/getDirFileTrees`) query.path = seed.resultDir
  if (route.url === `${L}/filesystem/openLog`) query.path = seed.logPath
  const params = (over: Record<string, string> = {}) =>
    route.url.replace(/:(\w+)/g, (_m, name: string) => over[name] ?? (name === 'method' && method ? method : name === 'index' ? '0' : String(seed.jobId))).replace(/\*$/, 'index.html')
  const qs = (q: Record<string, string>) => {
    const text = Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
    return text ? `?${text}` : ''
  }
  const takesBody = route.method !== 'GET'
  const valid = takesBody ? validBody(route.url, seed, method) : undefined
  const encode = (b: unknown, type = valid?.type ?? 'application/json') => (type === 'application/json' ? JSON.stringify(b) : String(b))
  const uploads = method === 'upload_files' || method === 'upload_file'
  const validRequest = valid ? { contentType: valid.type, body: encode(valid.body) } : {}
  const add = (label: string, path: string, credentials: boolean, body: { contentType?: string; body?: string; headers?: Record<string, string> } = validRequest, refuses?: string) => {
    // an upload's Size says how long its body is: whatever the body, the headers are otherwise valid
    const headers = uploads ? { ...UPLOAD_HEADERS, Size: String(Buffer.byteLength(body.body ?? '')), ...body.headers } : body.headers
    probes.push({ route, label: method ? `${method}: ${label}` : label, credentials, path, ...body, ...(headers ? { headers } : {}), ...(refuses ? { refuses } : {}) })
  }

  // Rill Flow takes calls from loopback without credentials: a second pass would send the same requests
  for (const credentials of dialect === 'rillflow' ? [true] : [true, false]) {
    add('valid input', params() + qs(query), credentials)
    // whole-request classes
    if (names.length) add('a repeated parameter', params() + qs(query) + `&${encodeURIComponent(names[0])}=x`, credentials)
    add('a malformed %-escape', params() + `${qs(query) || '?'}&${names[0] ?? 'q'}x=%E0%A4%A`, credentials)
    add('prototype names', params() + `${qs(query) || '?'}&__proto__=1&constructor=1&prototype=1&hasOwnProperty=1`, credentials)
    if (takesBody) {
      for (const [label, contentType, body] of WHOLE_BODIES) {
        if (!credentials && !ANONYMOUS_BODIES.has(label)) continue
        add(label, params() + qs(query), credentials, { contentType, body })
      }
    }
    if (!credentials) continue // one field at a time needs a caller who gets past authentication
    if (uploads) {
      for (const h of HOSTILE_UPLOAD_HEADERS) add(`header ${JSON.stringify(h).slice(0, 40)}`, params(), credentials, { contentType: valid!.type, body: encode(valid!.body), headers: h })
    }
    // a path parameter's hostile values are the same for every TuGraph method: sent once
  for (const name of method === undefined || method === tugraphMethodsOf(route.url)[0] ? (route.url.match(/:\w+/g) ?? []) : []) {
      for (const v of PATH_VALUES) add(`path ${name} = ${JSON.stringify(v.slice(0, 20))}`, params({ [name.slice(1)]: v }), credentials)
    }
    // killJobs names its jobs in the body; its path id is not read (as upstream)
    for (const name of (route.url.match(/:\w+/g) ?? []).map((n) => n.slice(1)).filter((n) => ID_PARAMS[dialect]?.includes(n) && !route.url.endsWith('/killJobs'))) {
      for (const v of nonCanonicalIds(name === 'index' ? 0 : seed.jobId)) add(`path ${name} = ${JSON.stringify(v)}`, params({ [name]: encodeURIComponent(v) }), credentials, validRequest, name)
    }
    for (const name of names) {
      const reads = READS[route.url]?.includes(name) // a console stub given the whole dictionary reads none of it
      const ids = !reads ? [] : ID_PARAMS[dialect]?.includes(name) ? nonCanonicalIds(seed.jobId) : dialect === 'rillflow' && name === 'execution_id' && !route.url.startsWith('/flow/bg/') ? nonCanonicalExecutionIds(seed.executionId) : []
      // the id alone: another parameter of the dictionary may be refused first (listundonetasks' status)
      for (const v of ids) add(`query ${name} = ${JSON.stringify(v)}`, params() + qs(dialect === 'rillflow' ? { ...query, [name]: v } : { [name]: v }), credentials, validRequest, name)
      for (const v of TEXT_VALUES) add(`query ${name} = ${JSON.stringify(v.slice(0, 20))}`, params() + qs({ ...query, [name]: v }), credentials)
    }
    if (valid && valid.type === 'application/json') {
      for (const field of fieldPaths(valid.body)) {
        for (const v of BODY_VALUES) {
          const text = JSON.stringify(withField(valid.body, field, v)) ?? 'null'
          add(`body ${field.join('.')} = ${JSON.stringify(v)?.slice(0, 20)}`, params() + qs(query), credentials, { contentType: 'application/json', body: text })
        }
      }
    }
  }
  return probes
}

/** What is wrong with an answer, or undefined when it is a proper answer of the route's dialect. */
function verdict(p: Probe, status: number, contentType: string, text: string): string | undefined {
  const dialect = dialectOf(p.route.url)
  const where = `${p.route.method} ${p.route.url} [${p.label}${p.credentials ? '' : ', no credentials'}] → ${status} ${text.slice(0, 160)}`
  let body: any
  try {
    body = contentType.includes('json') ? JSON.parse(text) : undefined
  } catch {
    return `${where}: not JSON`
  }
  if (p.refuses && !refusal(p.refuses, dialect, status, body, text)) return `${where}: a non-canonical ${p.refuses} was not refused naming it`
  if (status >= 500 && !(dialect === 'rillflow' && status === 500 && RILL_ENGINE_ERRORS.has(body?.error_code))) return where
  if (dialect === 'tugraph') {
    // TuGraph answers everything with HTTP 200: {errorCode, errorMessage, data} on success, no data on errors
    if (status !== 200) return `${where}: TuGraph answers HTTP 200`
    if (!body || typeof body.errorCode !== 'string' || typeof body.errorMessage !== 'string') return `${where}: not TuGraph's envelope`
    const keys = Object.keys(body).sort().join()
    if (body.errorCode === '200' ? keys !== 'data,errorCode,errorMessage' : keys !== 'errorCode,errorMessage') return `${where}: not TuGraph's envelope`
    if (!['200', '400', '401'].includes(body.errorCode)) return `${where}: errorCode ${body.errorCode}`
    return undefined
  }
  if (dialect === 'ges') {
    if (status < 400) return undefined
    // v2 {error_code, error_msg}; v1.0 and the data plane {errorCode, errorMessage}; IAM's token call Keystone's {error: {code, title, message}};
    // a refused credential API Gateway's {error_code: APIGW.*, error_msg, request_id} on every path
    const v2 = p.route.url.startsWith('/v2/')
    const iam = p.route.url.startsWith('/v3/')
    const gateway = status === 401 && typeof body?.error_code === 'string' && body.error_code.startsWith('APIGW.') && typeof body.error_msg === 'string'
    const ok = gateway
      ? true
      : iam
      ? body?.error && typeof body.error.code === 'number' && typeof body.error.title === 'string' && typeof body.error.message === 'string' && Object.keys(body).length === 1
      : v2
        ? typeof body?.error_code === 'string' && typeof body.error_msg === 'string'
        : typeof body?.errorCode === 'string' && typeof body.errorMessage === 'string'
    if (!ok) return `${where}: not GES's error body`
    if (/internal error/.test(body.error_msg ?? body.errorMessage ?? body.error?.message ?? '')) return `${where}: a generic internal error`
    return undefined
  }
  if (dialect === 'explorer') {
    // Explorer's envelope: {code: 0, message: "Success", data} or {code: <8 digits>, message: "<ErrName>: …"} with the code's HTTP status
    if (!body || typeof body.code !== 'number' || typeof body.message !== 'string') return `${where}: not Explorer's envelope`
    if (status < 400) return body.code === 0 ? undefined : `${where}: an error code with HTTP ${status}`
    if (Object.keys(body).sort().join() !== 'code,message' || !/^\d{8}$/.test(String(body.code))) return `${where}: not Explorer's error body`
    if (Math.floor(body.code / 100_000) !== status) return `${where}: the HTTP status is not the code's`
    if (/^ErrInternal/.test(body.message)) return `${where}: a generic internal error`
    return undefined
  }
  if (dialect === 'linkis' && body !== undefined) {
    // Linkis answers every call in its Message envelope, errors with status ≠ 0 (HTTP 4xx, or 200 inside killJobs)
    if (!body || typeof body.method !== 'string' || typeof body.message !== 'string' || typeof body.data !== 'object' || ![0, 1, -1, 2, 3, 4].includes(body.status)) return `${where}: not a Linkis Message`
    if ((status >= 400) !== (body.status !== 0 && body.status !== 4)) return `${where}: HTTP status and Message status disagree`
    if (/operation failed/.test(body.message)) return `${where}: a generic internal error`
    return undefined
  }
  if (status < 400) return undefined
  if (body === undefined) return `${where}: an error that is not JSON`
  if (dialect === 'native') {
    if (!body.error || typeof body.error.code !== 'string' || typeof body.error.message !== 'string' || Object.keys(body).length !== 1) return `${where}: not the native envelope`
    if (body.error.kind === 'internal') return `${where}: a generic internal error`
  } else {
    if (typeof body.error_code !== 'number' || typeof body.error !== 'string') return `${where}: not Rill Flow's error body`
    if (body.error === 'internal server error') return `${where}: a generic internal error`
  }
  return undefined
}

/**
 * Whether an answer refuses the request, naming parameter `name`: an error status in the dialect's
 * envelope (Linkis: a Message whose status is not 0). Rill Flow answers as it answers an unknown
 * execution: an error body, complete_dag's code -1 or get.json's empty view (no tasks, no
 * execution_id), whose messages name the execution id's value rather than the parameter.
 */
function refusal(name: string, dialect: Dialect, status: number, body: any, text: string): boolean {
  if (dialect === 'rillflow') return (status >= 400 && typeof body?.error_code === 'number') || String(body?.code) === '-1' || (body?.ret?.tasks === '{}' && body.ret.execution_id === undefined)
  if (dialect === 'linkis' && body?.status !== 0 && body?.status !== undefined) return text.includes(name)
  if (status < 400 || status >= 500) return false
  return dialect === 'native' ? body?.error?.field === name : text.includes(name)
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 })

/**
 * One request over a kept-alive socket, with node:http rather than fetch: a server refuses a 17 MB
 * upload from its Content-Length with 413 and closes the connection, which a client only sees if
 * it reads while it sends. So a large body waits briefly for such an early answer before it is
 * written. An event stream is answered by its status.
 */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false
    const length = body === undefined ? 0 : Buffer.byteLength(body)
    const req = request(url, { method, headers: { ...headers, 'content-length': String(length) }, agent }, (res) => {
      answered = true
      const contentType = String(res.headers['content-type'] ?? '')
      if (contentType.includes('event-stream')) {
        res.destroy()
        return resolve({ status: res.statusCode ?? 0, contentType, text: '' })
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', (e) => {
      if (!answered) reject(e) // after the answer arrived, a reset upload is the server refusing the rest
    })
    if (length < 1024 * 1024) return req.end(body)
    req.flushHeaders()
    const started = Date.now()
    const wait = () => (answered ? req.destroy() : Date.now() - started > 3000 ? req.end(body) : setTimeout(wait, 20))
    wait()
  })
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++])
  }))
}

const served = servedProcessSuite({ start: false })
let routes: RegisteredRoute[]
let seed: Seed
/** A TuGraph login of the admin (its token is a kind of its own, good only in that dialect). */
let tugraphToken: string
/** A GES IAM-style token of the admin (X-Auth-Token). */
let gesToken: string
/** An Explorer connect's token of the admin (the explorer_token cookie). */
let explorerToken: string

beforeAll(async () => {
  const listing = await startTestApp()
  routes = registeredRoutes(listing.app.server)
  await listing.close()
  await served.start()
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(`${served.url}${path}`, { method, headers: { authorization: `Bearer ${served.token}`, ...(body ? { 'content-type': type } : {}) }, body })
    return res.json() as Promise<any>
  }
  const job = await call('POST', '/api/v1/jobs', JSON.stringify({ type: 'script', language: 'sql', code: 'select 1 as x' }))
  for (let i = 0; (await call('GET', `/api/v1/jobs/${job.id}`)).status !== 'succeeded'; i++) {
    if (i > 200) throw new Error('the seed job did not finish')
    await new Promise((r) => setTimeout(r, 50))
  }
  const { task } = (await call('GET', `${L}/jobhistory/${job.id}/get`)).data
  await call('POST', `${D}/add_descriptor.json?business_id=fuzz&feature_name=demo&alias=release`, DESCRIPTOR, 'text/plain')
  const { execution_id } = await call('POST', '/flow/submit.json?descriptor_id=fuzz:demo', '{}')
  seed = { jobId: job.id, resultDir: task.resultLocation, logPath: task.logPath, executionId: execution_id }
  const login = await fetch(`${served.url}${TUGRAPH_PREFIX}/login`, { method: 'POST', body: JSON.stringify({ userName: 'admin', password: '73@TuGraph' }) })
  tugraphToken = ((await login.json()) as { data: { authorization: string } }).data.authorization
  const iam = await fetch(`${served.url}/v3/auth/tokens`, { method: 'POST', body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: '73@TuGraph' } } } } }) })
  gesToken = iam.headers.get('x-subject-token')!
  const connect = await fetch(`${served.url}/api-open/v1/connect`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from('admin:73@TuGraph').toString('base64')}` }, body: '{}' })
  explorerToken = /explorer_token=([^;]+)/.exec(connect.headers.get('set-cookie') ?? '')![1]
  // A first query starts a query worker (its Cypher parser loads for seconds, over 15 on a loaded
  // machine): started here, so the fuzz's per-request bound measures answers, not that load.
  const warm = await fetch(`${served.url}${TUGRAPH_PREFIX}/cypher`, { method: 'POST', headers: { Authorization: tugraphToken }, body: JSON.stringify({ graph: 'default', script: 'RETURN 1' }) })
  expect(((await warm.json()) as { errorCode: string }).errorCode).toBe('200')
}, 120_000)


describe('fuzz over every route of every dialect', () => {
  it('finds the routes of each dialect, login routes included', () => {
    const urls = routes.map((r) => r.url)
    expect(urls).toEqual(
      expect.arrayContaining(['/api/v1/login', '/api/v1/jobs/:id/logs', `${L}/user/login`, `${L}/entrance/:id/killJobs`, `${L}/entrance/:id/progressWithResource`, '/flow/submit.json', `${D}/add_descriptor.json`, `${TUGRAPH_PREFIX}/:method`, '/:method/']),
    )
    for (const d of ['native', 'linkis', 'rillflow'] as const) expect(routes.filter((r) => dialectOf(r.url) === d).length).toBeGreaterThan(10)
    expect(routes.filter((r) => dialectOf(r.url) === 'tugraph').length).toBe(4)
  })

  it('answers every malformed input in the route’s envelope with a 4xx, and keeps answering', async () => {
    const probes = buildProbes(routes, seed)
    const failures: string[] = []
    const exercised = new Set<string>()
    /** The requests sent and not yet answered, printed if the test times out. */
    const open = new Set<{ what: string; sent: number }>()
    onTestFailed(() => console.log(`requests still without an answer: ${JSON.stringify([...open].map((r) => `${r.what} for ${Date.now() - r.sent} ms`))}`))
    /** The slowest answers (ms), printed: no bound, a clue when the fuzz is slow. */
    const slowest: [number, string][] = []
    const started = Date.now()
    await pool(probes, 8, async (p) => {
      const headers: Record<string, string> = { ...(p.contentType ? { 'content-type': p.contentType } : {}), ...p.headers }
      // the native token works for Linkis too; Rill Flow needs none from loopback; TuGraph takes its own (raw).
      // Logout (and TuGraph's refresh) get a forged one: they would revoke ours.
      if (p.credentials && dialectOf(p.route.url) === 'ges') headers['x-auth-token'] = gesToken
      else if (p.credentials && dialectOf(p.route.url) === 'explorer') headers.cookie = `explorer_token=${explorerToken}`
      else if (p.credentials && dialectOf(p.route.url) === 'tugraph') headers.authorization = ENDS_SESSION.test(p.path.split('?')[0]) ? 'forged' : tugraphToken
      else if (p.credentials) headers.authorization = `Bearer ${/logout$/.test(p.route.url) ? 'forged' : served.token}`
      const what = `${p.route.method} ${p.path.slice(0, 120)} [${p.label}]`
      const sent = Date.now()
      const entry = { what, sent }
      open.add(entry)
      try {
        const res = await send(`${served.url}${p.path}`, p.route.method, headers, p.body)
        const wrong = verdict(p, res.status, res.contentType, res.text)
        if (wrong) failures.push(wrong)
        exercised.add(`${p.route.method} ${p.route.url}`)
      } catch (e) {
        failures.push(`${p.route.method} ${p.route.url} [${p.label}]: no answer (${(e as Error).message})`)
      } finally {
        open.delete(entry)
        slowest.push([Date.now() - sent, what])
      }
    })
    const seconds = (Date.now() - started) / 1000
    slowest.sort((a, b) => b[0] - a[0])
    console.log(`fuzz: ${probes.length} requests over ${routes.length} routes in ${seconds.toFixed(1)} s; slowest: ${JSON.stringify(slowest.slice(0, 5))}`)
    expect(failures.slice(0, 40)).toEqual([])
    expect([...routes.map((r) => `${r.method} ${r.url}`)].filter((r) => !exercised.has(r))).toEqual([])
    const health = await fetch(`${served.url}/api/v1/health`, { headers: { authorization: `Bearer ${served.token}` } })
    expect(health.status).toBe(200)
    expect(served.child.exitCode).toBeNull()
    // and what the fuzz stored does not stop the next start on the same data (recovery reads it all)
    await served.kill()
    await served.start()
    const again = await fetch(`${served.url}/api/v1/health`, { headers: { authorization: `Bearer ${served.token}` } })
    expect(again.status).toBe(200)
  }, 240_000)
})
