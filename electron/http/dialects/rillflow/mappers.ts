// Rill Flow's view of JobDesk executions: the one status table of this dialect, task names,
// progress (`process`) and the get.json shape (DAGRuntimeFacade, DAGToolConverter; rillflow.md §3, §3b, §4.2).

import type { JobStatus, TaskStatus } from '../../../../shared/status'
import { isTerminalJob } from '../../../../shared/status'
import type { TaskRecord } from '../../../store/job.repository'
import { RawJson } from '../../../store/raw-json'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { JsonPieces } from '../../json-stream'
import { groupsOf } from '../../../workflows/rillflow/runtime/groups'
import { groupOutcomes, groupOutcomesRange, type GroupOutcome, type GroupReader } from '../../../workflows/rillflow/runtime/group-progress'
import { routeName } from '../../../workflows/rillflow/runtime/names'
import { executionProgress } from '../../../workflows/rillflow/runtime/progress'
import { routeOf, specOf } from '../../../workflows/rillflow/runtime/task-specs'
import { groupMembers, type Execution } from '../../../workflows/rillflow/service'

/** JobDesk state → Rill Flow DAG status name (DESIGN.md state table). */
export const DAG_STATUS: Record<JobStatus, string> = {
  queued: 'NOT_STARTED',
  running: 'RUNNING',
  cancelling: 'RUNNING',
  succeeded: 'SUCCEED',
  failed: 'FAILED',
  cancelled: 'FAILED',
  timed_out: 'FAILED',
}

/** JobDesk task state → Rill Flow TaskStatus name. */
export const TASK_STATUS: Record<TaskStatus, string> = {
  pending: 'NOT_STARTED',
  queued: 'READY',
  running: 'RUNNING',
  cancelling: 'RUNNING',
  succeeded: 'SUCCEED',
  failed: 'FAILED',
  cancelled: 'FAILED',
  timed_out: 'FAILED',
  skipped: 'SKIPPED',
}

/** get.json renames SUCCEED to SUCCEEDED in its task view (DAGToolConverter). */
const viewStatus = (s: TaskStatus) => (s === 'succeeded' ? 'SUCCEEDED' : TASK_STATUS[s])

/**
 * The lower-case DAGStatus values (`get_execution_ids.json?type=`, the console's `status` filter,
 * callbacks) and the JobDesk states each stands for. `key_succeed` (key-path mode) is accepted and
 * stands for none: JobDesk has no key mode.
 */
export const DAG_STATUS_VALUE: Readonly<Record<string, readonly JobStatus[]>> = {
  not_started: ['queued'],
  running: ['running', 'cancelling'],
  key_succeed: [],
  succeed: ['succeeded'],
  failed: ['failed', 'cancelled', 'timed_out'],
}

/** The JobDesk states of a DAGStatus value, or undefined for a word that is none (`__proto__` included). */
export const statusesOfValue = (value: string): readonly JobStatus[] | undefined => (Object.hasOwn(DAG_STATUS_VALUE, value) ? DAG_STATUS_VALUE[value] : undefined)

/** Group states of a choice/foreach parent: one waiting for a slot is READY; one the execution ended before is NOT_STARTED. */
const GROUP_STATUS: Record<GroupOutcome, string> = {
  waiting: 'READY',
  running: 'RUNNING',
  succeeded: 'SUCCEED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  cancelled: 'FAILED',
  not_run: 'NOT_STARTED',
}

function invokeMsg(t: TaskRecord): Record<string, unknown> {
  // a large stored output is not parsed: SQLite found the fields read here (RawJson.fields)
  const out = (t.output instanceof RawJson ? (t.output.fields ?? {}) : t.output && typeof t.output === 'object' ? t.output : {}) as Record<string, unknown>
  const runtimeMsg = typeof t.runtime?.msg === 'string' ? t.runtime.msg : undefined
  return {
    input: t.input ?? null,
    output: t.output ?? null,
    code: out.error_code ?? out.code ?? null,
    msg: t.error ?? runtimeMsg ?? out.error_msg ?? out.msg ?? null,
    invoke_id: out.invoke_id ?? null,
    referenced_dag_execution_id: t.runtime?.referencedExecutionId ?? null,
    // one entry per attempt, the current one last (still open while it runs)
    invoke_time_infos: [
      ...t.attempts.map((a) => ({ start_time: a.startedAt, end_time: a.finishedAt })),
      ...(t.startedAt && (t.status === 'running' || t.status === 'cancelling') ? [{ start_time: t.startedAt, end_time: null }] : []),
    ],
  }
}

/**
 * Most groups a parent's `sub_group_index_to_status` holds when built at once; a wider one (a foreach
 * over more items) is written a page at a time (GROUP_STATUS_PAGE) by a streamed answer
 * (streamsGroups). Built at once, a 100k-item foreach's map (its rows read, 100k entries, 1.8 MB of
 * JSON) held the main thread 260-420 ms on a CPU for every get.json, ~1 s at load 11-14 (#9 §2).
 */
export const GROUP_STATUS_INLINE_MAX = 2000

/** Groups of a wide parent written per turn of the event loop (their rows read by one seek): a few ms. */
export const GROUP_STATUS_PAGE = 1000

/** Whether a view of these tasks (executionView, `streamGroups`) writes a parent's group statuses in pages: it must be streamed (http/json-stream.ts). */
export const streamsGroups = (tasks: readonly TaskRecord[]): boolean => tasks.some((t) => routeOf(t) === null && (groupsOf(t)?.groups ?? 0) > GROUP_STATUS_INLINE_MAX)

/**
 * `sub_group_index_to_status` of `t`: null without groups; a map by index when built at once; for a
 * wide parent with `streamGroups`, the same map's JSON text a page at a time (JsonPieces), each page's
 * statuses read when its turn comes (the groups as they are then, not as of the view's start).
 */
function groupStatusesView(t: TaskRecord, groups: GroupReader, membersOf: (route: string) => readonly TaskRecord[], streamGroups: boolean): unknown {
  const count = groupsOf(t)?.groups ?? 0
  if (!streamGroups || count <= GROUP_STATUS_INLINE_MAX) {
    const outcomes = groupOutcomes(t, groups, membersOf)
    return outcomes ? Object.fromEntries(outcomes.map((o, i) => [i, GROUP_STATUS[o]])) : null
  }
  return new JsonPieces(async function* () {
    for (let from = 0; from < count; from += GROUP_STATUS_PAGE) {
      if (from > 0) await nextTurn()
      const page = groupOutcomesRange(t, groups, membersOf, from, Math.min(count, from + GROUP_STATUS_PAGE))
      yield (from === 0 ? '{' : ',') + page.map((o, k) => `"${from + k}":"${GROUP_STATUS[o]}"`).join(',')
    }
    yield '}'
  })
}

function taskView(t: TaskRecord, all: Map<string, TaskRecord>, groups: GroupReader, membersOf: (route: string) => readonly TaskRecord[], streamGroups = false): Record<string, unknown> {
  const def = specOf(t).def
  return {
    name: t.name,
    status: viewStatus(t.status),
    contains_sub: def.category === 'choice' || def.category === 'foreach',
    next: [...all.values()].filter((o) => o.dependsOn.includes(t.name)).map((o) => o.name),
    invoke_msg: invokeMsg(t),
    sub_group_index_to_status: groupStatusesView(t, groups, membersOf, streamGroups),
    sub_group_key_judgement_mapping: null,
    sub_group_index_to_identity: null,
    task: def,
  }
}

/**
 * The execution's own invoke message (DAGInvokeMsg), set from the start as upstream's submit does:
 * `invoke_time_infos: [{start_time, end_time}]` (end_time null while it runs; the console's
 * execution-detail modal reads element 0), `msg` (why it failed, else null).
 */
export function dagInvokeMsg(ex: Execution): Record<string, unknown> {
  return {
    invoke_time_infos: [{ start_time: ex.job.startedAt ?? ex.job.createdAt, end_time: ex.job.finishedAt }],
    msg: ex.job.error,
  }
}

/** get.json's `process`: 100 once the execution ended, else the weighted completion (dagProgressCalculate). */
export function progressOf(ex: Execution): number {
  return isTerminalJob(ex.job.status) ? 100 : executionProgress(ex.tasks, Date.now(), (t) => ex.groups.ended(t))
}

/**
 * The `ret` of get.json: only top-level tasks; children come from get_by_parent.json. `streamGroups`:
 * a wide parent's `sub_group_index_to_status` is JsonPieces (groupStatusesView), for an answer that is
 * streamed (jsonStream) when streamsGroups(ex.tasks).
 */
export function executionView(ex: Execution, brief: boolean, streamGroups = false): Record<string, unknown> {
  const all = new Map(ex.tasks.map((t) => [t.name, t]))
  const view: Record<string, unknown> = {
    workspace: ex.dag.workspace,
    dag_name: ex.dag.dagName,
    version: ex.dag.version ?? null,
    type: ex.dag.type ?? 'flow',
    input_schema: ex.dag.inputSchema ?? null,
    dag_invoke_msg: dagInvokeMsg(ex),
    dag_status: DAG_STATUS[ex.job.status],
    execution_id: ex.job.labels.executionId,
    process: progressOf(ex),
    // an execution read with its context as text (service.execution's 'text') answers that text as it is
    context: ex.storedContext !== undefined ? (ex.storedContext ?? {}) : visibleContext(ex.job.context),
    invoke_summary: {},
  }
  if (!brief) {
    const tasks: Record<string, unknown> = {}
    const members = groupMembers(ex)
    for (const t of ex.tasks) if (routeOf(t) === null) tasks[t.name] = taskView(t, all, ex.groups, members, streamGroups)
    view.tasks = tasks
  }
  return view
}

/** The context as upstream returns it: without the `__<route>` sub-context entries. */
export function visibleContext(context: Record<string, unknown> | null): Record<string, unknown> {
  const visible: Record<string, unknown> = {}
  for (const k of Object.keys(context ?? {})) if (!k.startsWith('__')) visible[k] = context![k] // (`__proto__` is skipped too)
  return visible
}

/** get.json of an unknown execution: HTTP 200 with `tasks` as the string "{}" (makeDAGInfoMap's null branch). */
export const UNKNOWN_EXECUTION_VIEW = { tasks: '{}', context: {}, invoke_summary: {} }

/** The tasks of one group of a choice/foreach parent (get_by_parent.json). */
export function groupView(ex: Execution, parent: string, group: number): Record<string, unknown> {
  const route = routeName(parent, group)
  const all = new Map(ex.tasks.map((t) => [t.name, t]))
  const tasks: Record<string, unknown> = {}
  const members = groupMembers(ex)
  for (const t of members(route)) tasks[t.name] = taskView(t, all, ex.groups, members)
  return tasks
}
