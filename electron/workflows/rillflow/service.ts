// The workflow service: descriptors (versions by md5, aliases) and executions of Rill Flow DAGs,
// which are JobDesk jobs of kind "workflow". Dialect-neutral: errors are AppErrors.

import { randomUUID } from 'node:crypto'
import { AppError, conflict, invalid, notFound } from '../../../shared/errors'
import { nameCharProblem } from '../../../shared/hidden-chars'
import { checkJsonShape, type JsonShape } from '../../../shared/json-limits'
import { isTerminalJob, isTerminalTask } from '../../../shared/status'
import type { JobItems } from '../../../shared/model'
import { TickBudget } from '../../engine/budget'
import type { ContextPatchWeight, Engine } from '../../engine/engine'
import type { JobRecord, TaskRecord } from '../../store/job.repository'
import { rawJson, type RawJson } from '../../store/raw-json'
import { finishedValue } from '../../store/finished-values'
import { keptTextShape, liveValueView, stateJson } from '../../store/state-json'
import type { DefinitionRecord, WorkflowRecord } from '../../store/workflow.repository'
import type { Store } from '../../store'
import {
  aliasProblem,
  badDescriptor,
  callbackUrlProblem,
  DescriptorError,
  descriptorMd5,
  formatDescriptorId,
  parseDescriptorId,
  parseForStorage,
  type Dag,
  type StoredDescriptor,
} from './descriptor'
import { readCallback } from './descriptor/parts'
import { FieldReader } from './descriptor/reader'
import { parseSource } from './mappings'
import { cloneWithin, copyContainers } from './value-budget'
import { assignOwn, setOwn } from './safe-keys'
import { compileAviator } from './aviator'
import { SETTING_KEYS } from '../../store/setting-keys'
import { callbackConfigOf, sendCompletionCallback } from './completion-callback'
import type { RillActions } from './runtime/driver'
import { isStaleCallback } from './runtime/deadlines'
import { executionIdOfJob, executionNotFound, formatExecutionId, uuidOfExecutionId } from './runtime/names'
import { jobItems, liveForeachItems, storedGroups, tasksByRoute, type GroupReader } from './runtime/group-progress'
import { levelTasks, specOf } from './runtime/task-specs'
import type { WorkflowChange } from '../../../shared/events'
import { assertGrayRuleSize, GRAY_LIMITS, grayRulesOf, pickGrayAlias, putGrayRule } from './gray-rules'
import { assertMayUseWorkflow, DESKTOP_CALLER, mayUseWorkflow, workflowListOwner, type WorkflowCaller, type WorkflowUse } from './ownership'
import { RILLFLOW_LOOPBACK_USER } from '../../store/workflow.repository'
import { formatCount } from '../../../shared/number-format'
import { listPage, type WorkflowListQuery } from '../../../shared/workflow-limits'
import { ANY_ROOM, type WorkflowRoom } from '../../workflow-room'
import { assertRoomForAlias, assertRoomForVersion } from './workflow-bounds'
import type { WorkflowSummary } from '../../../shared/workflows'

type Json = Record<string, unknown>
export const DEFAULT_ALIAS = 'release'

/** Throws invalid `bad_alias` naming the alias field unless `alias` is an alias name (Rill Flow answers it as 400 30109). */
function assertAlias(alias: string): void {
  // named by its character, not echoed: the alias would not read as what it is
  const chars = nameCharProblem(alias)
  if (chars) throw invalid('bad_alias', `alias ${chars}; an alias is letters and digits only`, 'alias')
  const problem = aliasProblem(alias)
  if (problem) throw invalid('bad_alias', `${problem}: "${alias.length > 40 ? `${alias.slice(0, 40)}…` : alias}"`, 'alias')
}
/** Sub-flow executions one submitted execution may start at all depths, unless the setting says otherwise. */
export const DEFAULT_MAX_DESCENDANTS = 256
export const WORKFLOW_DIALECT = 'rillflow'

/**
 * The longest submit `callback` (a CallbackConfig's JSON text), in UTF-8 bytes. It comes as a query
 * parameter, so Node's 16 KiB header limit bounds it already; bounded here too, so a job's labels
 * (64 KiB, shared/job-labels.ts) always hold it, however it came.
 */
export const MAX_CALLBACK_BYTES = 16 * 1024
/** Redos that may wait, stored, for one execution's cancel to end (redo): each is a row kept until then. */
export const MAX_PENDING_REDOS = 16

export interface Execution {
  job: JobRecord
  /** The tasks asked for (see TaskScope): an execution may have 100k, and a view rarely needs all. */
  tasks: TaskRecord[]
  dag: Dag
  /** The tasks of one group (route `parent_i`) and below, read when `tasks` does not carry them. */
  groupTasks(route: string): TaskRecord[]
  /** The statuses of the groups of its choice/foreach tasks (stored one row per group). */
  groups: GroupReader
  /**
   * Set when the job was read without its input and context (`job.context` is then null): the stored
   * context's JSON text (null when it has none), to answer as it is (store/raw-json.ts).
   */
  storedContext?: RawJson | null
}

export type WorkflowService = ReturnType<typeof createWorkflowService>

/** Below this many characters a submitted context is stored as serialized (normalized); above, as sent. */
const KEPT_TEXT_CHARS = 64 * 1024
/** JSON text of an object with at least one key (JSON's whitespace only). */
const OPENS_WITH_KEY = /^[ \t\n\r]*\{[ \t\n\r]*"/

/**
 * The stored JSON of a submitted context, from the text the client sent (#9 §2): a 4 MB context was
 * parsed, then serialized twice more to store it as the input and as the context. The input is
 * stored as sent; the context too, as the input with `flow_execution_id` added at its end
 * (contextTail: the store keeps it as that tail after the input, not as a second copy), when it is
 * exactly the input plus that (the descriptor has no defaultContext and the input does not name
 * it). Small contexts are serialized as before. The texts parse to the same values as those serialized.
 */
function submittedJson(input: unknown, text: string | undefined, dag: Dag, executionId: string): { inputJson?: string; contextTail?: string } {
  if (text === undefined || text.length < KEPT_TEXT_CHARS || input === null || typeof input !== 'object') return {}
  if (!text.trimEnd().endsWith('}')) return {}
  // whether it has a key, from its text (a JSON object's first key follows its brace): `for…in` collects all the keys of a large map first (240,000: ~90 ms)
  const keys = OPENS_WITH_KEY.test(text)
  const defaults = dag.defaultContext !== undefined && dag.defaultContext !== null && Object.keys(dag.defaultContext).length > 0
  if (!keys || defaults || Object.hasOwn(input, 'flow_execution_id')) return { inputJson: text }
  return { inputJson: text, contextTail: `,"flow_execution_id":${JSON.stringify(executionId)}}` }
}

/**
 * The JSON text of `{...input, flow_root_execution_id: root}` (a sub-flow's context), made from the
 * text the input's save keeps (store/state-json.ts stateJson) without serializing the input again,
 * with its JsonShape from that save's count when kept, or undefined for an input below
 * KEPT_TEXT_CHARS (copied and serialized as it is: cheap) or one naming another root. Throws
 * StateNotStorableError for an input that cannot be stored.
 */
function subflowContextText(input: Json, root: string): { text: string; shape?: JsonShape } | undefined {
  const text = stateJson(input, "the sub-flow's context", true)
  if (text === null || text.length < KEPT_TEXT_CHARS || !text.endsWith('}')) return undefined
  const shape = keptTextShape(input)
  if (Object.hasOwn(input, 'flow_root_execution_id')) return input.flow_root_execution_id === root ? { text, shape } : undefined
  let keys = false
  for (const _key in input) {
    keys = true
    break
  }
  // one key and its value more than the input
  return { text: `${text.slice(0, -1)}${keys ? ',' : ''}"flow_root_execution_id":${JSON.stringify(root)}}`, shape: shape && { ...shape, nodes: shape.nodes + 2 } }
}

/** A group's tasks by its route: from those the execution carries, else read from the store. */
export function groupMembers(ex: Execution): (route: string) => readonly TaskRecord[] {
  const byRoute = tasksByRoute(ex.tasks)
  return (route) => byRoute.get(route) ?? ex.groupTasks(route)
}

/** Which tasks an Execution carries: all, none, the top-level ones, or those of one group (`parent_i`) and below. */
export type TaskScope = 'all' | 'none' | 'top' | { group: string }

/** `ws:dag` of a service_id parameter, or the error naming it. */
function serviceName(serviceId: unknown): string {
  const [workspace, dagName] = typeof serviceId === 'string' ? serviceId.split(':') : []
  if (!workspace || !dagName) throw invalid('descriptor_id_format', `service_id:${String(serviceId)} format error`, 'service_id')
  return `${workspace}:${dagName}`
}

/** The top-level task names of a descriptor, in its order (those an execution starts with). */
/**
 * What a descriptor id that names no stored version answers: upstream's words first (clients match
 * them: `descriptor:<id> value empty` for a version, `alias <alias> value empty` otherwise), then
 * what is missing, which those words do not say (a first-time user read "alias release value empty"
 * for a workflow never added). `version`: the `md5_…` the id named, if it did.
 */
function notFoundWords(descriptorId: string, workspace: string, dagName: string, version: string | undefined, alias: string, exists: boolean): string {
  const workflow = `${workspace}:${dagName}`
  if (!exists) return `${version ? `descriptor:${descriptorId}` : `alias ${alias}`} value empty: no workflow ${workflow}${version ? '' : ` (alias ${alias})`}`
  return version ? `descriptor:${descriptorId} value empty: workflow ${workflow} has no version ${version}` : `alias ${alias} value empty: workflow ${workflow} has no alias ${alias}`
}

/**
 * Why a flow_sync task's sub-flow did not succeed, for the task's error: the child's workflow and job
 * number, how it ended and its own reason, e.g. "sub-flow ops:failchild (job #13) failed: task x:
 * dispatchTask http fails: bad port".
 */
function subflowFailure(child: JobRecord): string {
  const how = child.status === 'cancelled' ? 'was cancelled' : child.status === 'timed_out' ? 'timed out' : 'failed'
  return `sub-flow ${child.name} (job #${child.id}) ${how}${child.error ? `: ${child.error}` : ''}`
}

const topTaskNames = (dag: Dag): string[] => dag.tasks.map((t) => t.name)

/** What `fullDAGInfo: true` sends: the execution's statuses by task (the DAG view without definitions). */
function callbackDagInfo(job: JobRecord, tasks: TaskRecord[]): Json {
  return {
    execution_id: job.labels.executionId,
    dag_status: job.status,
    tasks: Object.fromEntries(tasks.map((t) => [t.name, { status: t.status, error: t.error }])),
  }
}

/**
 * `dagOf`: the parsed DAG of a stored version by workflow id, shared and cached (index.ts): callers
 * must not change it, and copy what of it goes into an execution's state.
 */
export function createWorkflowService(
  store: Store,
  engine: Engine,
  actions: RillActions,
  dagOf: (workflowId: number) => Dag = (id) => store.workflows.get(id)!.parsed as Dag,
  room: WorkflowRoom = ANY_ROOM,
) {
  const toAppError = (e: unknown): never => {
    if (e instanceof DescriptorError) throw badDescriptor(e)
    throw e
  }
  /** Tells event listeners (the Workflows page, wherever it is open) that a workflow changed; only its owner's streams and admins' carry it. */
  const changed = (workspace: string, name: string, change: WorkflowChange['change'], more: Pick<WorkflowChange, 'version' | 'alias'> = {}): void =>
    engine.workflowChanged({ workspace, name, owner: store.workflows.owner(workspace, name) ?? DESKTOP_CALLER.username, change, ...more })
  const missing = (name: string) => invalid('missing_param', `Required request parameter '${name}' for method parameter type String is not present`, name)

  /**
   * The version a descriptor id names (`ws:dag`, `ws:dag:alias`, `ws:dag:md5_…`), when `caller` may
   * `use` that workflow (ownership.ts). Throws missing_param, descriptor_id_format,
   * not_your_workflow (forbidden; checked before the version, so nothing of another's leaks) or
   * descriptor_not_found.
   */
  function resolve(descriptorId: unknown, caller: WorkflowCaller, use: WorkflowUse = 'read'): WorkflowRecord {
    return resolveVersion(descriptorId, caller, use).workflow
  }

  /**
   * resolve, with the gray rules it skipped as failed (gray-rules.ts pickGrayAlias): a line for the
   * log of the execution it starts, or undefined when none was (or no rule ran: the id named a version).
   */
  function resolveVersion(descriptorId: unknown, caller: WorkflowCaller, use: WorkflowUse): { workflow: WorkflowRecord; grayNote?: string } {
    if (typeof descriptorId !== 'string' || !descriptorId.trim()) throw missing('descriptor_id')
    let id
    try {
      id = parseDescriptorId(descriptorId)
    } catch {
      throw invalid('descriptor_id_format', `dagDescriptorId:${descriptorId} format error`, 'descriptor_id')
    }
    assertMayUseWorkflow(store.workflows, caller, id.workspace, id.dagName, use, { field: 'descriptor_id' })
    const gray = id.alias || id.md5 ? undefined : pickGrayAlias(grayRules(id.workspace, id.dagName), store.workflows.owner(id.workspace, id.dagName) ?? '')
    const alias = id.alias ?? gray?.alias ?? DEFAULT_ALIAS
    const version = id.md5 ?? store.workflows.alias(id.workspace, id.dagName, alias)
    const wf = version && store.workflows.version(id.workspace, id.dagName, version)
    if (wf) {
      if (!gray?.skipped.length) return { workflow: wf }
      const grayNote = `gray rules taken as not matching, as they did not evaluate within their steps (${GRAY_LIMITS.stepsPerRule} each, ${GRAY_LIMITS.stepsPerResolve} together): ${gray.skipped.join('; ')}; ran alias ${alias}`
      return { workflow: wf, grayNote }
    }
    throw new AppError('not_found', 'descriptor_not_found', notFoundWords(descriptorId, id.workspace, id.dagName, id.md5 ? `md5_${id.md5}` : undefined, alias, store.workflows.owner(id.workspace, id.dagName) !== undefined), {
      field: 'descriptor_id',
    })
  }

  const grayRules = (workspace: string, dagName: string): Record<string, string> => grayRulesOf(store, workspace, dagName)

  /**
   * What a sub-flow task's target (`ws:dag`, `ws:dag:alias`, `ws:dag:md5_…`) names that is not stored
   * yet, in words ("workflow bobs:nonexist does not exist"), or null: it is, or it is no descriptor id
   * (a run fails that with its own words). The editor's warning at save (views.ts validateText); whose
   * the workflow is, is not checked here (a run is, as the caller of its execution).
   */
  function subflowTargetMissing(target: string): string | null {
    let id
    try {
      id = parseDescriptorId(target)
    } catch {
      return null
    }
    const workflow = `${id.workspace}:${id.dagName}`
    if (store.workflows.owner(id.workspace, id.dagName) === undefined) return `workflow ${workflow} does not exist`
    if (id.md5 && !store.workflows.version(id.workspace, id.dagName, id.md5)) return `workflow ${workflow} has no version md5_${id.md5}`
    if (id.alias && !store.workflows.alias(id.workspace, id.dagName, id.alias)) return `workflow ${workflow} has no alias ${id.alias}`
    return null
  }

  /**
   * An execution by its id. `context: 'text'` carries the context's stored JSON as bytes
   * (storedContext, store/raw-json.ts) and reads an ended execution's job without its input and
   * context; `'none'` reads neither (the record's context is then null for an ended execution).
   * A running execution's record and top tasks are the engine's. Its stored context is the live one as of the
   * last commit, and every change is committed in the turn of the event loop that makes it
   * (engine.ts), so a request never sees the two differ. A context holding `__<route>` entries
   * (sub-contexts and group statuses of executions stored before #14), which the views read, is
   * parsed as before. `reader`: the user name the answer is for (none: an unauthenticated Rill Flow
   * client), whose share of the held bytes an ended execution's stored context counts against.
   */
  function execution(executionId: unknown, scope: TaskScope = 'all', context: 'parsed' | 'text' | 'none' = 'parsed', reader?: string): Execution {
    if (typeof executionId !== 'string' || !executionId) throw missing('execution_id')
    const id = store.jobs.idOfUuid(uuidOfExecutionId(executionId))
    const active = id !== undefined && engine.isActive(id)
    let storedContext: RawJson | null | undefined
    if (id !== undefined && context === 'text') {
      // serializing a live 4 MB context for every get.json held the main thread for it (#9 §2); a
      // finished execution's, which nothing rewrites, is read a slice at a time as it is written
      if (active) {
        // route keys as stored with the context (committed in the same turn as the live one), not found again each
        // read: walking a 60,000-key live context took tens of ms under load; an older row's are the live one's
        if (!store.jobs.contextHasRouteKeys(id, engine.job(id)?.context)) storedContext = rawJson(store.jobs.stateBytes(id, 'context') ?? null)
      } else {
        const head = store.jobs.getWithoutState(id)
        const stored = head && finishedValue(store, head, 'context', reader)
        if (head && !stored?.routeKeys) storedContext = rawJson(stored?.slices ?? null)
      }
    }
    // a running execution's record is the engine's (fresher, and not parsed again from a large row)
    const withoutState = storedContext !== undefined || context === 'none'
    const job = id === undefined ? undefined : active || !withoutState ? engine.job(id) : store.jobs.getWithoutState(id)
    // the id's exact text, as upstream keys executions by it: another workspace:dagName before the uuid names nothing
    if (!job || job.labels.dialect !== WORKFLOW_DIALECT || job.labels.executionId !== executionId) {
      throw executionNotFound(executionId)
    }
    // the parsed DAG (cached by version), not the version's row: it holds the descriptor's text and its
    // parsed form, megabytes for one with a large constant, read on every status poll for nothing
    const dag = dagOf(job.workflowId!)
    const tasks =
      scope === 'all'
        ? store.jobs.tasks(job.id)
        : scope === 'none'
          ? []
          : scope === 'top'
            ? topTasks(job.id, dag, context === 'text')
            : store.jobs.someTasks(job.id, { prefix: `${scope.group}-` })
    return {
      job,
      tasks,
      dag,
      groupTasks: (route) => store.jobs.someTasks(job.id, { prefix: `${route}-` }),
      groups: storedGroups(store.groups, job, (parent) => engine.liveGroups(job.id, parent)),
      ...(storedContext !== undefined ? { storedContext } : {}),
    }
  }

  /** The names of a stored version's top-level foreach tasks, by workflow id (versions never change: kept, as dagOf keeps the DAG). */
  const foreachNames = new Map<number, string[]>()
  const foreachNamesOf = (workflowId: number): string[] => {
    let names = foreachNames.get(workflowId)
    if (!names) foreachNames.set(workflowId, (names = dagOf(workflowId).tasks.filter((t) => t.category === 'foreach').map((t) => t.name)))
    return names
  }

  /**
   * The top-level tasks of an execution: a running one's live records, else as stored. `asText`
   * (a view answering stored JSON as it is, #9 §2) gives large inputs and outputs as RawJson: a
   * running one's as liveValueView serializes each value once, an ended one's read slice by slice.
   */
  function topTasks(jobId: number, dag: ReturnType<typeof dagOf>, asText: boolean): TaskRecord[] {
    const names = topTaskNames(dag)
    const live = engine.liveTasks(jobId, names)
    if (!live) return store.jobs.someTasks(jobId, { names }, asText ? 'stored-settled' : 'parsed')
    return asText ? live.map((t) => ({ ...t, input: liveValueView(t.input), output: liveValueView(t.output) })) : live
  }

  function runningTask(executionId: unknown, taskName: unknown): { job: JobRecord; task: TaskRecord } {
    const { job } = execution(executionId, 'none', 'none') // a finished one is refused: its state is not read
    if (typeof taskName !== 'string' || !taskName) throw missing('task_name')
    // a job stopped because its user was disabled is neither woken nor finished: refused naming why
    engine.assertMayResume(job)
    // a restart's recovery has yet to make it live: 503 recovering, to be tried again, not 'finished' (the client would drop it)
    engine.assertNotRecovering(job.id)
    if (!engine.isActive(job.id)) throw conflict('execution_finished', `validateDAGInfo dag executionId:${String(executionId)} is finished`)
    const task = store.jobs.task(job.id, taskName)
    if (!task) throw conflict('task_not_found', `dag ${String(executionId)} can not get task ${taskName}`)
    return { job, task }
  }

  /**
   * The task a finish/trigger callback completes. Refused with upstream's words (FunctionTaskRunner
   * .finish, 30601) when the task is not running: not started yet ("attempt finish wrong task"), or
   * already completed, e.g. failed by its timeout ("repeated finish task"); and when the callback
   * URL was issued to an earlier attempt than the running one (that attempt timed out and was retried).
   */
  function callbackTarget(executionId: unknown, taskName: unknown, issuedAt: number | undefined): { job: JobRecord; task: TaskRecord } {
    const { job, task } = runningTask(executionId, taskName)
    if (task.status === 'pending' || task.status === 'queued') throw conflict('wrong_task', `attempt finish wrong task ${task.name}`)
    if (task.status !== 'running') throw conflict('wrong_task', `repeated finish task ${task.name}`)
    if (isStaleCallback(task, issuedAt)) {
      engine.note(job.id, 'WARN', `refused a callback for task ${task.name}: its URL was issued to an attempt before the running one (attempt ${task.attempt})`)
      throw conflict('wrong_task', `repeated finish task ${task.name}`)
    }
    return { job, task }
  }

  /**
   * Refuses a wakeup upstream refuses (SuspenseTaskRunner.finish, taskInfoValid: 30601) before anything is
   * mapped: of a task that is not a suspense (a function waiting for its callback would go on waiting while
   * the caller was told it was woken) or of one that has completed. Throws conflict `wrong_task`.
   */
  function assertWakeable(task: TaskRecord): void {
    if (specOf(task).def?.category !== 'suspense') throw conflict('wrong_task', `task ${task.name} category is not suspense type`)
    if (isTerminalTask(task.status)) throw conflict('wrong_task', `repeated finish task ${task.name}`)
  }

  /** Stores and schedules an execution of one descriptor version (submit, sub-flows and reruns). */
  function start(
    workflow: WorkflowRecord,
    p: {
      context: unknown
      /** The JSON text `context` was parsed from (a submit's body as sent): stored as the input, not serialized again. */
      contextText?: string
      /** A copy of `context` sharing no map or list with it (parsed apart: http/dialects/rillflow/request.ts readJsonBody), used instead of copying it here. */
      contextCopy?: unknown
      /** contextText's nodes and containers, counted as it was parsed (shared/json-limits.ts JsonShape): what the held work weighs it by. */
      contextShape?: JsonShape
      user: string
      callback?: unknown
      /** The task that starts it as a sub-flow, and that task's attempt (labelled `parentAttempt`: recovery tells one attempt's child from another's). */
      parent?: { jobId: number; task: string; executionId: string; attempt?: number }
      labels?: Record<string, string>
    },
  ): { executionId: string; job: JobRecord } {
    const dag = dagOf(workflow.id)
    if (p.context !== undefined && p.context !== null && (typeof p.context !== 'object' || Array.isArray(p.context))) {
      throw invalid('bad_context', 'the context (request body) must be a JSON object', 'context')
    }
    if (p.callback !== undefined && p.callback !== '') checkCallbackParam(p.callback)
    const uuid = randomUUID()
    const executionId = formatExecutionId(dag.workspace, dag.dagName, uuid)
    const submitted = submittedJson(p.context, p.contextText, dag, executionId)
    const inputShape = submitted.inputJson !== undefined && submitted.inputJson === p.contextText ? p.contextShape : undefined
    // stored from the text sent, the parsed context is handed to the job record as its input (job-rows.ts):
    // the context, which tasks write into, gets copies of its lists and maps, else their writes showed in
    // the running job's input (its strings are shared: a large context is mostly text, copied for nothing)
    const copied = submitted.inputJson === undefined ? undefined : ((p.contextCopy ?? copyContainers(p.context)) as Json | null | undefined)
    const defaults = Object.entries(dag.defaultContext ?? {})
    // with no defaults before them, the submitted keys' own copy is the context: the same keys in the
    // same order as assigned one by one, without assigning them (a map of 240,000 keys: ~0.5 s, #9 §2)
    const context: Json = defaults.length === 0 && copied ? copied : {}
    // the cached DAG is shared: a value that is not text goes into the context as a copy
    for (const [k, v] of defaults) setOwn(context, k, typeof v === 'string' ? parseSource(v) : typeof v === 'object' && v !== null ? structuredClone(v) : v)
    // own keys, a `__proto__` one too (a mapping may write one into a sub-flow's input): never the context's prototype
    if (context !== copied) assignOwn(context, (copied === undefined ? p.context : copied) as Json | null | undefined)
    context.flow_execution_id = executionId
    const job = engine.submit(
      {
        uuid,
        kind: 'workflow',
        name: `${dag.workspace}:${dag.dagName}`,
        submitter: p.user,
        workflowId: workflow.id,
        parentJobId: p.parent?.jobId,
        input: p.context ?? {},
        context,
        ...submitted,
        ...(inputShape ? { inputShape } : {}),
        labels: {
          ...(typeof p.callback === 'string' && p.callback ? { callback: p.callback } : {}),
          dialect: WORKFLOW_DIALECT,
          executionId,
          descriptorId: formatDescriptorId(dag.workspace, dag.dagName, workflow.version),
          ...(p.parent ? { parentExecutionId: p.parent.executionId, parentTask: p.parent.task } : {}),
          ...(p.parent?.attempt !== undefined ? { parentAttempt: String(p.parent.attempt) } : {}),
          ...p.labels,
        },
      },
      levelTasks(dag.tasks, null, dag, executionId),
    )
    return { executionId, job }
  }

  /** A job's submitter as a caller (a sub-flow runs as the user of the execution that starts it). */
  function callerNamed(username: string): WorkflowCaller {
    if (username === RILLFLOW_LOOPBACK_USER) return DESKTOP_CALLER
    return store.users.caller(username)
  }

  const MAX_DEPTH = 3 // nested sub-flow calls (upstream's dagMaxDepth)

  /** A finished sub-flow ends its parent's flow_sync task, with the child's context as output. */
  function settleParent(child: JobRecord): void {
    const parentTask = child.labels.parentTask
    if (!child.parentJobId || !parentTask || !engine.isActive(child.parentJobId)) return
    const task = store.jobs.task(child.parentJobId, parentTask) // one row: a foreach parent may have 100k tasks
    if (task?.status !== 'running' || task.runtime?.referencedExecutionId !== child.labels.executionId) return
    const output = Object.fromEntries(Object.entries(child.context ?? {}).filter(([k]) => !k.startsWith('__')))
    if (child.status === 'succeeded') return engine.resolve(child.parentJobId, parentTask, { ok: true, output, callback: { resultType: 'SUCCESS' } })
    // the child's own reason, and which execution to open (the parent said only "result_type FAILED")
    const reason = subflowFailure(child)
    engine.note(child.parentJobId, 'WARN', `task ${parentTask}: its sub-flow ${child.labels.executionId} (job #${child.id}) ended ${child.status}`)
    engine.resolve(child.parentJobId, parentTask, { ok: true, output, callback: { resultType: 'FAILED', reason } })
  }

  /** At start: a running sub-flow task of job `id` whose child ended, or never started, while JobDesk was down. */
  function reconcileJob(id: number): void {
    const subflowDef = (t: TaskRecord) => {
      const def = (t.spec as { def?: { category?: string; pattern?: string } }).def
      return def?.category === 'function' && (def.pattern === 'flow_sync' || def.pattern === 'flow_async') ? def : undefined
    }
    // the live tasks, as recovery has just read them: reading them all again from the store held the
    // listening server 4.5 s for one waiting 100,000-item foreach (atk18)
    const running = engine.act(id, (ctl) => [...ctl.tasks()].filter((t) => t.status === 'running' && subflowDef(t)))
    for (const t of running) {
      const def = subflowDef(t)
      const ref = t.runtime?.referencedExecutionId
      // the child of this attempt: a retried task's earlier attempts started theirs (a crash between the
      // retry's dispatch and its child's start must not take the first attempt's child for it)
      const child = typeof ref === 'string' ? store.jobs.getByUuid(uuidOfExecutionId(ref)) : store.jobs.childOf(id, t.name, t.attempt, t.startedAt)
      engine.act(id, (ctl) => {
        // a crash may have come between starting the child and recording it on the parent
        if (!child) return ctl.finish(t.name, 'failed', { error: 'interrupted: JobDesk stopped before this sub-flow started' })
        if (ref === undefined) {
          ctl.task(t.name)!.runtime = { ...(t.runtime ?? {}), referencedExecutionId: child.labels.executionId }
          ctl.taskChanged(t.name)
        }
        if (def!.pattern === 'flow_async') ctl.finish(t.name, 'succeeded', { output: { execution_id: child.labels.executionId } })
      })
      if (child && def!.pattern === 'flow_sync' && isTerminalJob(child.status)) settleParent(child)
    }
  }

  /**
   * The submit `callback` parameter (a CallbackConfig JSON overriding the descriptor's), checked as
   * the descriptor's own would be: typed fields, mapping objects, an http(s) URL that parses; at most
   * MAX_CALLBACK_BYTES, refused before it is parsed: from a form body (4 MB), a map of 240,000 keys
   * was parsed on the main thread (1.6 s at load 20, atk33) only for the labels' check to refuse it.
   */
  function checkCallbackParam(text: unknown): void {
    let config: unknown
    const bytes = Buffer.byteLength(String(text))
    if (bytes > MAX_CALLBACK_BYTES) {
      throw invalid('bad_context', `callback: ${formatCount(bytes)} bytes, more than the ${formatCount(MAX_CALLBACK_BYTES)} a callback may have`, 'callback')
    }
    checkJsonShape(String(text), 'callback') // refused naming the field: too deep, or too many lists and maps
    try {
      config = JSON.parse(String(text))
    } catch {
      config = null
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw invalid('bad_context', 'callback must be a JSON object (CallbackConfig)', 'callback')
    try {
      const problem = callbackUrlProblem(readCallback(FieldReader.of(config, { path: [] }, [], 'callback'))?.resourceName)
      if (problem) throw invalid('bad_context', `callback.resourceName: ${problem}`, 'callback.resourceName')
    } catch (e) {
      if (e instanceof DescriptorError) {
        const field = e.details.field ? `callback.${e.details.field}` : 'callback'
        throw invalid('bad_context', `${field}: ${e.message}`, field)
      }
      throw e
    }
  }

  /**
   * The completion callback a rerun of `old` keeps: its own, when a submit would take it today; else
   * none, and why (`leftOut`). A job stored before callbacks were bounded may carry megabytes of one
   * (past its labels' bounds, so the rerun was refused): the rerun runs without it and its log says so.
   */
  function rerunCallback(old: JobRecord): { callback?: string; leftOut?: string } {
    const callback = old.labels.callback
    if (!callback) return {}
    try {
      checkCallbackParam(callback)
      return { callback }
    } catch (e) {
      if (e instanceof AppError && e.kind === 'invalid') return { leftOut: e.message }
      throw e
    }
  }

  /** Engine.redo of an execution's job with a context patch (merged over its context). */
  const runRedo = (jobId: number, names: string[] | null, context: Json | undefined, weight: ContextPatchWeight | undefined): void =>
    void engine.redo(jobId, names, (ctl) => {
      if (!context) return
      assignOwn((ctl.job.context ??= {}), context)
      ctl.contextChanged()
    }, context && Object.keys(context).length ? weight : undefined) // `{}` patches nothing

  /** Jobs whose stored redos wait for their cancel to end (one waiter each, however many redos). */
  const awaitingCancel = new Set<number>()
  /**
   * Runs the stored redos of `jobId` (store.pendingRedos) once it has ended, oldest first, each
   * deleted as it is run; one that fails is a line in the job's log, and deleted too (not run at
   * every start). Left stored when JobDesk stops first: the next start's reconcile runs them.
   */
  const runPendingRedosAfterCancel = (jobId: number): void => {
    if (awaitingCancel.has(jobId)) return
    awaitingCancel.add(jobId)
    engine.waitFor(jobId).then(
      () => {
        awaitingCancel.delete(jobId)
        if (!store.db.open) return // shut down: the next start runs them
        for (const r of store.pendingRedos.ofJob(jobId)) {
          try {
            runRedo(jobId, r.names, r.context === null ? undefined : (JSON.parse(r.context) as Json), r.patch)
          } catch (e) {
            backgroundFailure(jobId, 'the redo after the cancel', e)
          }
          store.pendingRedos.remove(r.id)
        }
      },
      (e: unknown) => {
        awaitingCancel.delete(jobId)
        backgroundFailure(jobId, 'the redo after the cancel', e)
      },
    )
  }

  /** What a background step of an execution could not do: a line in its log, and stderr. */
  const backgroundFailure = (jobId: number, what: string, e: unknown): void => {
    console.error(`jobdesk: job ${jobId}: ${what} failed:`, e)
    try {
      engine.note(jobId, 'ERROR', `${what} failed: ${e instanceof Error ? e.message : String(e)}`)
    } catch {
      // the store is gone (shutting down): stderr has it
    }
  }

  /**
   * What follows an execution's end (its parent's flow_sync task, its completion callback), after
   * the commit that announced it. Ends are handled a slice at a time, the rest in a later turn of
   * the event loop: a cascade of hundreds of sub-flows ending must not hold the server.
   */
  const endings: number[] = []
  /**
   * Sub-flows started by this process that ended, by job id, as the engine held them (their context
   * in memory) until handleEndings settles their parent with it: reading a 1.2 MB context back and
   * parsing it held the loop up to 1.2 s for each of 30 ends (atk30). One started before a restart
   * is read from the store.
   */
  const endedSubflows = new Map<number, JobRecord>()
  const endingBudget = new TickBudget()
  const handleEndings = (): void => {
    if (!store.db.open) return void endings.splice(0) // shut down: recovery settles parents at the next start (reconcile)
    endingBudget.start()
    while (endings.length > 0 && !endingBudget.spent(0)) {
      const jobId = endings.shift()!
      try {
        // the context (and input: megabytes each) is read and parsed only when a parent task or a
        // completion callback takes it: an execution without either ends without a stall (#9 §2)
        const head = store.jobs.getWithoutState(jobId)!
        const dag = dagOf(head.workflowId!)
        const callback = Boolean(callbackConfigOf(head, dag)?.resourceName)
        if (!head.labels.parentTask && !callback) continue
        // a parent task takes the context only: the input (as large, a sub-flow's is its context
        // as started) is not parsed for it, 30 ends of 1.2 MB sub-flows each parsed both (atk30)
        const live = endedSubflows.get(jobId)
        endedSubflows.delete(jobId)
        if (!callback) {
          settleParent(live ?? { ...head, context: JSON.parse(store.jobs.stateText(jobId, 'context') ?? '{}') as Json })
          continue
        }
        const rec = store.jobs.get(jobId)!
        if (rec.labels.parentTask) settleParent(rec)
        // the tasks are read only if the callback sends them: an execution may have 100k
        sendCompletionCallback(store, rec, dag, (tasks) => callbackDagInfo(rec, tasks)).catch((e: unknown) => backgroundFailure(jobId, 'the completion callback', e))
      } catch (e) {
        backgroundFailure(jobId, 'ending the execution (parent task, completion callback)', e)
      }
    }
    if (endings.length > 0) setImmediate(handleEndings)
  }

  /**
   * Whether a listing read (aliases, gray rules) shows `caller` the workflow: another user's reads
   * as an unknown one (nothing in it) rather than a 403, which would tell that the name exists.
   */
  const mayReadAsKnown = (caller: WorkflowCaller, workspace: string, dagName: string): boolean =>
    mayUseWorkflow(caller, store.workflows.owner(workspace, dagName))

  engine.on('job.changed', ({ job }) => {
    if (job.kind !== 'workflow' || job.labels.dialect !== WORKFLOW_DIALECT || !isTerminalJob(job.status)) return
    endings.push(job.id)
    if (endings.length === 1) setImmediate(handleEndings)
  })

  return {
    resolve,
    subflowTargetMissing,
    execution,

    /**
     * Starts a sub-flow of a running execution (`parent.job`: its live record, read for its ids,
     * submitter and root, never from the store: a parent with a 1.2 MB context was parsed whole for
     * each start, 0.5-1 s at load 20, atk30). Throws (failing the calling task) past the nesting
     * depth, or when the root execution has already started its budget of sub-flow executions
     * (a foreach that starts itself as a sub-flow multiplied one submit into hundreds). The child's
     * context is a copy of `context` (the calling task's input): its tasks write into their context,
     * and sharing its objects put their writes in the parent task's stored input. A large input is
     * stored for the child from the text its own save made (subflowContextText), and only the child's
     * context is copied from it; a small one is copied (cloneWithin: ValueTooLargeError past
     * VALUE_LIMITS). Returns the child's execution id.
     */
    startSubflow(parent: { job: JobRecord; task: string; attempt: number }, descriptorId: string, context: Json): string {
      const parentJob = parent.job
      const ancestry = store.jobs.ancestry(parentJob.id)
      if (ancestry.length >= MAX_DEPTH) throw new Error(`exceed max depth ${MAX_DEPTH} of nested sub-flows`)
      const configured = store.settings.get<unknown>(SETTING_KEYS.rillflowMaxDescendants, null)
      const budget = typeof configured === 'number' && configured >= 0 ? configured : DEFAULT_MAX_DESCENDANTS
      const started = store.jobs.descendantCount(ancestry[ancestry.length - 1])
      if (started >= budget) {
        throw new Error(`the submitted execution has started ${started} sub-flow executions, its budget (setting ${SETTING_KEYS.rillflowMaxDescendants}); no more are started`)
      }
      const root = String(parentJob.context?.flow_root_execution_id ?? parentJob.labels.executionId)
      const made = subflowContextText(context, root)
      // with its text, the child's input is read, never written (its tasks write into the context
      // start() copies from it): it may share the parent task's input, which is not written either
      const childContext = { ...((made === undefined ? cloneWithin(context) : context) as Json), flow_root_execution_id: root }
      const { executionId, job } = this.submit({
        descriptorId,
        context: childContext,
        contextText: made?.text,
        contextShape: made?.shape,
        caller: callerNamed(parentJob.submitter),
        parent: { jobId: parentJob.id, task: parent.task, executionId: parentJob.labels.executionId, attempt: parent.attempt },
      })
      // resolved after the commit that ends it, before the turn in which handleEndings takes its end
      engine.waitFor(job.id).then(
        (ended) => void endedSubflows.set(ended.id, ended),
        () => {},
      )
      return executionId
    },

    /**
     * Cancels a sub-flow nothing waits for any more (its parent's flow_sync task was stopped, redone
     * or timed out), with `why` as its error. Runs after the engine's current change is committed; a
     * child already ended is left as it is.
     */
    stopSubflow(executionId: string, why: string): void {
      queueMicrotask(() => {
        try {
          const child = store.jobs.getByUuid(uuidOfExecutionId(executionId))
          if (!child || !engine.isActive(child.id)) return
          engine.note(child.id, 'WARN', `stopping this sub-flow of execution ${child.labels.parentExecutionId ?? '(unknown)'}:`)
          engine.cancel(child.id, why)
        } catch {
          // it ended meanwhile: nothing left to stop (a background path must never throw)
        }
      })
    },

    /**
     * At start: sub-flows that ended while their parent was not listening end the parent's task now, and
     * redos taken while a cancel was under way (stored, redo) run now that recovery has ended it.
     */
    reconcile(): void {
      for (const id of store.pendingRedos.jobIds()) runPendingRedosAfterCancel(id)
      for (const id of store.jobs.unfinishedIds()) {
        if (!engine.isActive(id)) continue
        try {
          reconcileJob(id)
        } catch (e) {
          backgroundFailure(id, 'resuming its sub-flows after a restart', e)
        }
      }
    },

    /**
     * An execution by its JobDesk job id (the UI's handle), with its tasks as `scope` says; 'none' reads
     * neither its tasks nor its context (a redo's check of who may reach it: a foreach may have 100k).
     */
    /**
     * JobDetail.items of a Rill Flow job (views.ts jobItems): its top-level choice/foreach tasks'
     * items progress from their groups' counts. Reads only those tasks, as stored views (large values
     * not parsed), and none of a flow without them: reading every top-level task parsed made the
     * detail of an execution whose pass tasks hold 7.4 MB take 230–300 ms of the main thread a read
     * (attack-large-task-outputs probe). [] for another job.
     */
    itemsOfJob(jobId: number): JobItems[] {
      const job = store.jobs.getWithoutState(jobId)
      if (!job || job.labels.dialect !== WORKFLOW_DIALECT) return []
      const dag = dagOf(job.workflowId!)
      const categories = new Map(dag.tasks.filter((t) => t.category === 'foreach' || t.category === 'choice').map((t) => [t.name, t.category as string]))
      if (!categories.size) return []
      const names = [...categories.keys()]
      const tasks = engine.liveTasks(jobId, names) ?? store.jobs.someTasks(jobId, { names }, 'stored-settled')
      return jobItems(tasks, storedGroups(store.groups, job, (parent) => engine.liveGroups(job.id, parent)), (name) => categories.get(name)!)
    },

    /**
     * JobSummary.foreachItems of a running Rill Flow job (a row of the Jobs list): its top-level
     * foreach tasks' items done of all, from the engine's memory only (the live job, its live foreach
     * tasks, their live groups' counts: liveForeachItems), so a page of 200 rows reads nothing more.
     * undefined for a job not running here, another kind, or one whose foreach has not started.
     */
    foreachItemsOfRunning(jobId: number): { done: number; total: number } | undefined {
      if (!engine.isActive(jobId)) return undefined
      const job = engine.job(jobId)
      if (!job || job.status !== 'running' || job.labels.dialect !== WORKFLOW_DIALECT || job.workflowId == null) return undefined
      const names = foreachNamesOf(job.workflowId)
      if (!names.length) return undefined
      return liveForeachItems(engine.liveTasks(jobId, names) ?? [], (parent) => engine.liveGroups(jobId, parent))
    },

    executionByJob(jobId: number, scope: TaskScope = 'all'): Execution {
      const job = store.jobs.getWithoutState(jobId)
      if (!job || job.labels.dialect !== WORKFLOW_DIALECT) throw notFound('execution', jobId)
      return scope === 'none' ? execution(job.labels.executionId, 'none', 'none') : execution(job.labels.executionId, scope)
    },

    /**
     * Stores a descriptor version (its md5 is the version) and points the alias at it. The first
     * version makes `caller` the workflow's owner; a later one must come from the owner or an admin
     * (not_your_workflow, forbidden), or anyone could move `release` to their own tasks. `parsed`:
     * the text already parsed (off the main thread, services/descriptor-parser.ts); else it is parsed here.
     * Throws invalid `too_many_workflows`, `too_many_versions` or `too_many_aliases` past WORKFLOW_LIMITS
     * (workflow-bounds.ts), and for a new version what `room` throws (workflow-room.ts: forbidden
     * `workflows_too_large` past the owner's MAX_WORKFLOW_BYTES_PER_USER, unavailable `disk_nearly_full`
     * while the disk is down to its reserve); nothing is stored then.
     */
    addDescriptor(p: { workspace: unknown; dagName: unknown; alias?: unknown; text: unknown; caller: WorkflowCaller; parsed?: StoredDescriptor }): { descriptorId: string } {
      if (typeof p.text !== 'string' || !p.text.trim()) throw invalid('bad_descriptor', 'dag descriptor empty.', 'descriptor')
      let dag: StoredDescriptor
      try {
        dag = p.parsed ?? parseForStorage(p.text)
      } catch (e) {
        return toAppError(e)
      }
      for (const [field, given, own] of [['business_id', p.workspace, dag.workspace], ['feature_name', p.dagName, dag.dagName]] as const) {
        if (given !== undefined && given !== '' && given !== own) {
          throw invalid('bad_descriptor', `name not match: ${field} "${String(given)}" differs from the descriptor's "${own}"`, field)
        }
      }
      const alias = typeof p.alias === 'string' && p.alias ? p.alias : (dag.alias ?? DEFAULT_ALIAS)
      assertAlias(alias)
      const version = descriptorMd5(p.text)
      assertMayUseWorkflow(store.workflows, p.caller, dag.workspace, dag.dagName, 'change', { field: 'feature_name' })
      const known = store.workflows.owner(dag.workspace, dag.dagName) !== undefined
      const stored = known && store.workflows.version(dag.workspace, dag.dagName, version) !== undefined
      if (!stored) {
        assertRoomForVersion(store.workflows, dag.workspace, dag.dagName, known ? undefined : p.caller.username)
        // its text and parsed form, as stored (store/workflow-bytes.ts), against the owner's quota and the disk's reserve
        room({ owner: known ? store.workflows.owner(dag.workspace, dag.dagName)! : p.caller.username, exempt: p.caller.isAdmin, bytes: Buffer.byteLength(p.text) + Buffer.byteLength(dag.json), field: 'descriptor' })
      }
      const aliasWas = store.workflows.alias(dag.workspace, dag.dagName, alias)
      if (aliasWas === undefined) assertRoomForAlias(store.workflows, dag.workspace, dag.dagName, known ? store.workflows.owner(dag.workspace, dag.dagName)! : p.caller.username)
      store.workflows.add({
        workspace: dag.workspace,
        name: dag.dagName,
        version,
        format: p.text.trimStart().startsWith('{') ? 'json' : 'yaml',
        source: p.text,
        parsedJson: dag.json,
        createdBy: p.caller.username,
      })
      store.workflows.setAlias(dag.workspace, dag.dagName, alias, version)
      if (!stored || aliasWas !== version) changed(dag.workspace, dag.dagName, !known ? 'created' : !stored ? 'version' : 'alias', { version, alias })
      return { descriptorId: formatDescriptorId(dag.workspace, dag.dagName, version) }
    },

    /**
     * Starts an execution as `caller` (its submitter), who must own the workflow or be an admin:
     * defaultContext, then the submitted context, then flow_execution_id.
     */
    /**
     * `contextText`: the JSON text the context was parsed from (a submit's body), stored as sent; `contextCopy`: a copy of the
     * context sharing no map or list with it (else one is made); `contextShape`: contextText's nodes as its parse counted them (else counted here).
     */
    submit(p: { descriptorId: unknown; context: unknown; contextText?: string; contextCopy?: unknown; contextShape?: JsonShape; caller: WorkflowCaller; callback?: unknown; parent?: { jobId: number; task: string; executionId: string; attempt?: number } }): {
      executionId: string
      job: JobRecord
    } {
      const { workflow, grayNote } = resolveVersion(p.descriptorId, p.caller, 'run')
      const started = start(workflow, { ...p, user: p.caller.username })
      if (grayNote) engine.note(started.job.id, 'WARN', grayNote) // once per execution, as Rill Flow logs a rule that fails
      return started
    },

    /**
     * Runs an execution again as a new one (the Jobs page's rerun): its own execution id, the same
     * descriptor version, submitted context and completion callback, submitted by `user`, linked to
     * the job it reruns by the `rerunOf` label (a callback a submit would refuse now, kept by a job
     * stored before callbacks were bounded, is left out: rerunCallback). A sub-flow's rerun stands
     * alone: no parent waits for it.
     * Throws `invalid` for a job that is not a Rill Flow execution, not_your_workflow when `caller`
     * may not run its workflow (any more).
     */
    rerun(old: JobRecord, caller: WorkflowCaller): { executionId: string; job: JobRecord } {
      const workflow = old.labels.dialect === WORKFLOW_DIALECT && old.workflowId != null ? store.workflows.get(old.workflowId) : undefined
      if (!workflow) throw invalid('not_an_execution', `job ${old.id} is not a Rill Flow execution`, 'id')
      assertMayUseWorkflow(store.workflows, caller, workflow.workspace, workflow.name, 'run', { field: 'id' })
      const { flow_root_execution_id: _root, ...context } = (old.input ?? {}) as Json
      const { callback, leftOut } = rerunCallback(old)
      const started = start(workflow, { context, user: caller.username, callback, labels: { rerunOf: String(old.id) } })
      if (leftOut) engine.note(started.job.id, 'WARN', `rerun of job ${old.id}: its completion callback was left out (${leftOut})`)
      return started
    },

    /**
     * finish.json: result_type from the body (default SUCCESS). `issuedAt` is the signed `ts` of the
     * callback URL it came by, if any: a result for an earlier attempt is refused. Returns once the
     * task's end is saved (Engine.resolveSaved), as upstream's FunctionTaskRunner.finish stores it
     * before FlowController answers ok: an ok answered is never lost by a kill. Throws what
     * callbackTarget throws, and SQLITE_BUSY while another connection holds the database's write lock
     * (nothing changed: answered 503 for the client to send again).
     * Of a task that is not a function (a waiting suspense, a running group) it is refused (conflict
     * `wrong_task`, 30601) with nothing changed: upstream's Olympicene.finish always runs the function
     * runner (finishTaskSync(id, "function", ...)), whose FunctionTaskRunner.finish casts the task to
     * FunctionTask after its checks, a ClassCastException answered 500 "internal server error" with
     * nothing changed. Ours says why, where it ended a suspense without mapping its body (the body lost).
     */
    finish(executionId: unknown, taskName: unknown, body: Json, issuedAt?: number): void {
      const { job, task } = callbackTarget(executionId, taskName, issuedAt)
      const category = specOf(task).def?.category
      if (category !== 'function') throw conflict('wrong_task', `task ${task.name} category is not function type (it is ${category ?? 'unknown'}): a suspense task is woken with wakeup.json or trigger.json`)
      const resultType = typeof body.result_type === 'string' ? body.result_type : 'SUCCESS'
      engine.resolveSaved(job.id, task.name, { ok: true, output: body, callback: { resultType } })
    },

    /**
     * trigger.json: a suspense task is woken up (wakeup); any other is finished with `status` (the body's
     * result_type is ignored, as upstream), returning once that is saved and throwing as finish does.
     */
    trigger(executionId: unknown, taskName: unknown, status: unknown, body: Json, issuedAt?: number): void {
      const { task } = runningTask(executionId, taskName)
      if ((task.spec as { def?: { category?: string } }).def?.category === 'suspense') return this.wakeup(executionId, taskName, body)
      const { job } = callbackTarget(executionId, taskName, issuedAt)
      const resultType = typeof status === 'string' && status ? status : 'SUCCESS'
      engine.resolveSaved(job.id, task.name, { ok: true, output: body, callback: { resultType } })
    },

    /**
     * redo.json: the named tasks (or every unfinished one) and all downstream run again, with a context
     * patch. Of an execution being cancelled it is taken and runs once the cancel has ended (a failure
     * then is a line in the job's log): stored first (store.pendingRedos), so a restart before the
     * cancel settles runs it after recovery (resumePendingRedos) instead of losing it; at most
     * MAX_PENDING_REDOS wait per execution (conflict `too_many_redos` past them). Throws what
     * Engine.redo throws otherwise.
     */
    redo(executionId: unknown, taskNames: unknown, context: Json | undefined, weight?: ContextPatchWeight): void {
      // the job's id is all it needs: reading its tasks too (100k for a wide foreach) held the main thread ~2 s
      const { job } = execution(executionId, 'none', 'none')
      const names = typeof taskNames === 'string' && taskNames.trim() ? taskNames.split(',').map((n) => n.trim()).filter(Boolean) : null
      engine.assertMayResume(job) // before one is stored to run after a cancel, too
      // Being cancelled, the execution is RUNNING to Rill Flow, whose redo is taken whatever the DAG's
      // state (DAGRunner.resetTask): it runs once the calls still stopping have ended, never beside them
      if (engine.job(job.id)?.status === 'cancelling') {
        if (store.pendingRedos.count(job.id) >= MAX_PENDING_REDOS) {
          throw conflict('too_many_redos', `execution ${String(executionId)} is being cancelled and already has ${MAX_PENDING_REDOS} redos waiting for the cancel to end; redo it once it has ended`)
        }
        // its patch is held while it waits: weighed now with the user's other waiting patches (it is weighed
        // again when it runs); 16 patches of 3.5 MiB waited unweighed beside a bound of 4 MiB (#9)
        if (context && weight) engine.assertRoomForBytes(job.submitter, store.pendingRedos.patchBytesOf(job.submitter) + weight.chars + weight.extra)
        store.pendingRedos.add(job.id, names, context ? JSON.stringify(context) : null, context ? weight : undefined)
        engine.note(job.id, 'INFO', `redo of ${names?.join(', ') ?? 'every unfinished task'} waits for the cancel to end`)
        runPendingRedosAfterCancel(job.id)
        return
      }
      runRedo(job.id, names, context, weight)
    },

    /** get_gray.json: the gray rules of a workflow's aliases (owner-or-admin; another user's workflow has none, as an unknown one). */
    grayRulesOf(caller: WorkflowCaller, workspace: string, dagName: string): Record<string, string> {
      if (!mayReadAsKnown(caller, workspace, dagName)) return {}
      return grayRules(workspace, dagName)
    },

    /**
     * modify_gray.json: add or remove an alias's gray rule, of a stored workflow (not_found
     * `workflow_not_found` otherwise: a rule set under a name no one owns yet would steer the submits
     * of whoever stores it first, atk28), by its owner or an admin (not_your_workflow). An added rule's
     * alias must be an alias name (bad_alias, as modify_alias), and the rule must compile
     * (bad_gray_rule) and fit gray-rules.ts's bounds (gray_rule_too_long, too_many_gray_rules).
     * Removing takes any name, so a rule stored before these checks can still be removed.
     */
    setGrayRule(caller: WorkflowCaller, workspace: string, dagName: string, alias: string, rule: string | null): void {
      if (rule !== null) assertAlias(alias)
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, 'change', { field: 'feature_name', mustExist: true })
      if (rule !== null) {
        assertGrayRuleSize(rule)
        try {
          compileAviator(rule)
        } catch (e) {
          const shown = rule.length > 100 ? `${rule.slice(0, 100)}…` : rule
          throw invalid('bad_gray_rule', `gray_rule "${shown}" is not a valid expression: ${(e as Error).message}`, 'gray_rule')
        }
      }
      putGrayRule(store, workspace, dagName, alias, rule, caller.username)
    },

    /** complete_dag.json: end the execution now as succeeded or failed; false when it had already ended. */
    complete(executionId: unknown, success: boolean): boolean {
      const { job } = execution(executionId, 'none', 'none') // its id only, as redo
      if (!engine.isActive(job.id)) return false
      engine.complete(job.id, success)
      return true
    },

    /** task_degrade.json: skip the task, and/or everything after it, when it comes to run. */
    degrade(executionId: unknown, taskName: unknown, current: boolean, followings: boolean): void {
      const { job, task } = runningTask(executionId, taskName)
      engine.act(job.id, (ctl) => {
        const t = ctl.task(task.name)!
        t.runtime = { ...(t.runtime ?? {}), degradeCurrent: current, degradeFollowings: followings }
        ctl.taskChanged(t.name)
      })
    },

    /** Executions of a descriptor (`ws:dag`) by DAG status, newest first, submitted before `before`; only `owner`'s if given. */
    executionIds(serviceId: unknown, jobStatuses: readonly string[], before: number, page: number, count: number, owner?: string): { id: string; submitTime: number }[] {
      const name = serviceName(serviceId)
      return store.jobs
        .byName(name, 'workflow', jobStatuses, before, (page - 1) * count, count, owner)
        .map((j) => ({ id: executionIdOfJob({ name, uuid: j.uuid }), submitTime: j.createdAt }))
    },

    /** How many executions of a descriptor (`ws:dag`) are in some DAG statuses, submitted in [from, before). */
    executionCount(serviceId: unknown, jobStatuses: readonly string[], from: number, before: number, owner?: string): number {
      return store.jobs.countByName(serviceName(serviceId), 'workflow', jobStatuses, from, before, owner)
    },

    /** Throws not_your_workflow (forbidden) unless `caller` may `use` the workflow (ownership.ts), not_found `workflow_not_found` for one that does not exist. */
    assertMayUse(caller: WorkflowCaller, workspace: string, dagName: string, use: WorkflowUse): void {
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, use, { field: 'name', mustExist: true })
    },

    /**
     * A page of the workflows `caller` may see (all for an admin, their own otherwise), most recently
     * stored first, and how many there are (`page`: WORKFLOW_LIST_PAGE's defaults when not given).
     */
    list(caller: WorkflowCaller, page: WorkflowListQuery = {}): { items: WorkflowSummary[]; total: number } {
      return store.workflows.page(workflowListOwner(caller), listPage(page))
    },

    /**
     * A page of the aliases of the workflows `caller` may see (the console's definitions list), most
     * recently updated first, of one workspace (business) and name (feature) when given, and how many match.
     */
    definitions(caller: WorkflowCaller, filter: { workspace?: string; name?: string }, page: { limit: number; offset: number }): { items: DefinitionRecord[]; total: number } {
      return store.workflows.definitions({ ...filter, owner: workflowListOwner(caller) }, page)
    },

    /** The workspaces (business ids) of the workflows `caller` may see. */
    workspaces(caller: WorkflowCaller): string[] {
      return store.workflows.workspaces(workflowListOwner(caller))
    },

    /** The workflow names (feature names) of a workspace that `caller` may see. */
    names(caller: WorkflowCaller, workspace: string): string[] {
      return store.workflows.names(workspace, workflowListOwner(caller))
    },

    /** A workflow's aliases → versions (owner-or-admin; an unknown workflow, or another user's, has none). */
    aliases(caller: WorkflowCaller, workspace: string, dagName: string): Record<string, string> {
      if (!mayReadAsKnown(caller, workspace, dagName)) return {}
      return store.workflows.aliases(workspace, dagName)
    },

    /** A workflow's versions, newest first (owner-or-admin; an unknown workflow has none). */
    versions(caller: WorkflowCaller, workspace: string, dagName: string): { version: string; createdAt: number }[] {
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, 'read', { field: 'feature_name' })
      return store.workflows.versions(workspace, dagName)
    },

    /**
     * Points an alias at a version of a workflow: the given one, or with `version` undefined the newest
     * (modify_alias.json). Owner-or-admin. Throws not_found for an unknown workflow or version, and
     * invalid `too_many_aliases` for a new alias name past WORKFLOW_LIMITS.rillflowAliases.
     */
    setAlias(caller: WorkflowCaller, workspace: string, dagName: string, alias: string, version?: string): void {
      assertAlias(alias)
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, 'change', { field: 'name', mustExist: true })
      const target = version ?? store.workflows.versions(workspace, dagName)[0]?.version
      if (!target || !store.workflows.version(workspace, dagName, target)) throw notFound('version', version ?? 'latest')
      const was = store.workflows.alias(workspace, dagName, alias)
      if (was === target) return
      if (was === undefined) assertRoomForAlias(store.workflows, workspace, dagName, store.workflows.owner(workspace, dagName)!)
      store.workflows.setAlias(workspace, dagName, alias, target)
      changed(workspace, dagName, 'alias', { version: target, alias })
    },

    /**
     * Deletes a workflow: its versions, aliases and gray rules (owner-or-admin; not_found for an unknown
     * one). Throws conflict `workflow_has_executions` while executions of it are kept, as their
     * descriptors would go with it: the user deletes those jobs first.
     */
    deleteWorkflow(caller: WorkflowCaller, workspace: string, dagName: string): void {
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, 'change', { field: 'name', mustExist: true })
      const owner = store.workflows.owner(workspace, dagName)!
      const runs = store.workflows.jobCount(workspace, dagName)
      if (runs > 0) throw conflict('workflow_has_executions', `workflow ${workspace}:${dagName} has ${runs} execution${runs === 1 ? '' : 's'}; delete ${runs === 1 ? 'it' : 'them'} first`)
      store.workflows.remove(workspace, dagName) // its gray rules go with its owner row (foreign key)
      engine.workflowChanged({ workspace, name: dagName, owner, change: 'deleted' })
    },

    /** Removes an alias of a workflow (owner-or-admin); false when it had none of that name. */
    removeAlias(caller: WorkflowCaller, workspace: string, dagName: string, alias: string): boolean {
      assertMayUseWorkflow(store.workflows, caller, workspace, dagName, 'change', { field: 'name' })
      const removed = store.workflows.removeAlias(workspace, dagName, alias)
      if (removed) changed(workspace, dagName, 'alias', { alias })
      return removed
    },

    /**
     * wakeup.json (and trigger.json of a suspense): maps `body` as the task's `$.output` into the context
     * and, the task running, re-evaluates its conditions and interruptions (it stays waiting when none
     * decides). Returns once all of that is saved (Engine.actSaved): an ok answered is never lost by a
     * kill. Throws what runningTask throws, conflict `wrong_task` (30601, upstream's words in
     * SuspenseTaskRunner.finish) for a task that is not a suspense or has completed, SQLITE_BUSY while
     * another connection holds the database's write lock, and StateTooLarge when the mapped context (or
     * the body kept as the task's output) would pass its submitter's bounds or the context's own size
     * limit (as upstream's ContextDAO.checkContextLength refuses it): in
     * each case nothing is mapped and the execution is left as it was.
     */
    wakeup(executionId: unknown, taskName: unknown, body: Json): void {
      const { job, task } = runningTask(executionId, taskName)
      engine.actSaved(job.id, (ctl, weigh, putBack) => {
        assertWakeable(ctl.task(task.name) ?? task) // the live status: the stored one may lag a tick
        actions.wakeup(ctl, task.name, body, weigh, putBack)
      })
    },
  }
}
