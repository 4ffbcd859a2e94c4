// choice and foreach: a parent task runs groups of sub-tasks, each with its own sub-context
// (ChoiceTaskRunner, ForeachTaskRunner, DAGWalkHelper.calculateParentStatus; rillflow.md §2.3).

import type { JobControl, Preparation } from '../../../engine/driver'
import type { NewTask, TaskRecord } from '../../../store/job.repository'
import type { ChoiceTask, Dag, ForeachTask, Task } from '../descriptor/types'
import { sortedChoices } from '../choices'
import { readPath } from '../jsonpath'
import { conditionsMatch, type MappingHooks } from '../mappings'
import { STATE_JSON_LIMIT } from '../../../store/state-json'
import { measureJson } from '../value-budget'
import { contextOf, mapOutput } from './context'
import { FANOUT_BATCH, groupCounts, setGroupStatus, type GroupStatus } from './fanout'
import { parseRoute, routeName, subContextKey, subTaskName } from './names'
import { levelTasks, specOf } from './task-specs'

type Json = Record<string, unknown>

/** Kept in the parent task's runtime, so a restart knows which groups ran. Statuses change only through setGroupStatus (fanout.ts). */
interface GroupsState {
  groups: number
  started: number
  status: Record<number, GroupStatus>
  msg?: string
}

export const EMPTY_LOOP_MSG = 'loop collection or subTasks empty'

export function groupsOf(task: TaskRecord): GroupsState | undefined {
  return task.runtime?.groups === undefined ? undefined : (task.runtime as unknown as GroupsState)
}

/** The items a foreach iterates (its collection, read from its input), or null when there are none. */
function collectionOf(def: ForeachTask, input: Json): unknown[] | null {
  let collection: unknown
  try {
    collection = readPath({ input }, def.iterationMapping.collection)
  } catch {
    collection = null
  }
  return Array.isArray(collection) && collection.length > 0 ? collection : null
}

/**
 * Starts a foreach: one sub-context per item, made now (one write of the context), and one group
 * of sub-tasks per item, started in batches; up to maxConcurrency groups at once.
 */
export function startForeach(ctl: JobControl, task: TaskRecord, dag: Dag, input: Json, hooks: MappingHooks): Preparation {
  const def = specOf(task).def as ForeachTask
  const collection = collectionOf(def, input)
  if (!collection || def.tasks.length === 0) {
    mapOutput(def.outputMappings, contextOf(ctl, specOf(task).route), { sub_context: [] }, hooks)
    return finishGroups(ctl, task, 0, EMPTY_LOOP_MSG)
  }
  const { collection: path, item = 'item', index } = def.iterationMapping
  const base = { ...input }
  const key = /^\$\.input\.(\w+)$/.exec(path)?.[1]
  if (key) delete base[key]
  const tooLarge = subContextsTooLarge(collection, base)
  if (tooLarge) return { action: 'finish', status: 'failed', error: tooLarge }
  const root = contextOf(ctl, null)
  collection.forEach((element, i) => {
    root[subContextKey(routeName(task.name, i))] = { ...base, [item]: element, ...(index ? { [index]: i } : {}) }
  })
  ctl.contextChanged()
  const state: GroupsState = { groups: collection.length, started: 0, status: {} }
  task.runtime = { ...(task.runtime ?? {}), ...state }
  startGroups(ctl, task, dag, FANOUT_BATCH)
  return { action: 'hold' }
}

/**
 * The sub-contexts of a foreach are stored with the context, each holding its item and the rest of
 * the foreach's input: refused up front, with a reason, when together they would pass the size a
 * context may have (store/state-json.ts), rather than failing the whole execution at its next save.
 */
function subContextsTooLarge(collection: unknown[], base: Json): string | null {
  try {
    const each = measureJson(base)
    const items = measureJson(collection)
    const estimate = collection.length * (each.chars + 4 * each.nodes + 32) + items.chars + 4 * items.nodes
    if (estimate <= STATE_JSON_LIMIT) return null
    return `foreach over ${collection.length} items: its sub-contexts (each item with the ${Object.keys(base).length} other input keys) would hold about ${estimate} characters; a context holds at most ${STATE_JSON_LIMIT}`
  } catch (e) {
    return `foreach input: ${(e as Error).message}`
  }
}

/**
 * Starts up to `most` waiting groups of a running foreach while its concurrency allows. A batch
 * (`most` = FANOUT_BATCH) that leaves groups waiting below the limit has the next batch started in
 * a later tick; a group that ends makes room for one more (`most` = 1).
 */
function startGroups(ctl: JobControl, parent: TaskRecord, dag: Dag, most: number): void {
  const def = specOf(parent).def as ForeachTask
  const state = groupsOf(parent)
  if (!state || parent.status !== 'running') return
  const limit = concurrencyLimit(def, (parent.input ?? {}) as Json, state.groups)
  const counts = groupCounts(state.status)
  const tasks: NewTask[] = []
  for (let n = 0; n < most && state.started < state.groups && counts.running < limit; n++) {
    const i = state.started++
    setGroupStatus(state.status, i, 'running')
    tasks.push(...levelTasks(def.tasks, routeName(parent.name, i), dag, specOf(parent).executionId))
  }
  if (tasks.length > 0) {
    for (const t of ctl.addTasks(tasks)) if (t.dependsOn.length === 0 && t.status === 'pending') ctl.enqueue(t.name)
    ctl.taskChanged(parent.name)
  }
  if (most === FANOUT_BATCH && state.started < state.groups && counts.running < limit) {
    ctl.defer(() => {
      const current = ctl.task(parent.name)
      if (current) startGroups(ctl, current, dag, FANOUT_BATCH)
    })
  }
}

/** At activation (a restart): running foreach tasks go on starting the groups they had not started. */
export function resumeForeachGroups(ctl: JobControl, dag: Dag): void {
  for (const t of ctl.tasks()) {
    const state = groupsOf(t)
    if (t.status === 'running' && state && state.started < state.groups && specOf(t).def.category === 'foreach') {
      ctl.defer(() => startGroups(ctl, t, dag, FANOUT_BATCH))
    }
  }
}

function concurrencyLimit(def: ForeachTask, input: Json, groups: number): number {
  const sync = def.synchronization
  if (!sync?.maxConcurrency || !conditionsMatch(sync.conditions ?? [], { input }, 'all')) return groups
  let max = Number(sync.maxConcurrency)
  if (!Number.isFinite(max) && sync.maxConcurrency.startsWith('$')) {
    try {
      max = Number(readPath({ input }, sync.maxConcurrency))
    } catch {
      max = NaN
    }
  }
  return Number.isFinite(max) && max > 0 ? Math.min(Math.floor(max), groups) : groups
}

/** Starts a choice: every choice whose condition matches its input runs, with the input as sub-context. */
export function startChoice(ctl: JobControl, task: TaskRecord, dag: Dag, input: Json, hooks: MappingHooks): Preparation {
  const def = specOf(task).def as ChoiceTask
  const choices = sortedChoices(def)
  const state: GroupsState = { groups: choices.length, started: choices.length, status: {} }
  const root = contextOf(ctl, null)
  const matched: number[] = []
  choices.forEach((choice, i) => {
    if (choice.condition && conditionsMatch([choice.condition], { input }, 'all')) matched.push(i)
    else setGroupStatus(state.status, i, 'skipped')
  })
  task.runtime = { ...(task.runtime ?? {}), ...state }
  if (matched.length === 0) {
    mapOutput(def.outputMappings, contextOf(ctl, specOf(task).route), {}, hooks)
    return finishGroups(ctl, task, 0)
  }
  for (const i of matched) {
    root[subContextKey(routeName(task.name, i))] = structuredClone(input)
    createGroup(ctl, task, dag, choices[i].tasks, i)
  }
  ctl.contextChanged()
  return { action: 'hold' }
}

function finishGroups(ctl: JobControl, task: TaskRecord, started: number, msg?: string): Preparation {
  task.runtime = { ...(task.runtime ?? {}), groups: 0, started, status: {}, ...(msg ? { msg } : {}) }
  ctl.taskChanged(task.name)
  return { action: 'finish', status: 'succeeded', output: {} }
}

function createGroup(ctl: JobControl, parent: TaskRecord, dag: Dag, tasks: ChoiceTask['choices'][number]['tasks'], group: number): void {
  const state = groupsOf(parent)!
  setGroupStatus(state.status, group, 'running')
  const added = ctl.addTasks(levelTasks(tasks, routeName(parent.name, group), dag, specOf(parent).executionId))
  for (const t of added) if (t.dependsOn.length === 0 && t.status === 'pending') ctl.enqueue(t.name)
}

/**
 * Called when a sub-task of `route` settles: once nothing of the group can still run, the group
 * is done; the next waiting group starts; when all are done the parent finishes.
 */
export function groupSettled(ctl: JobControl, route: string, dag: Dag, hooks: MappingHooks): void {
  const { parent: parentName, group } = parseRoute(route)
  const parent = ctl.task(parentName)
  const state = parent && groupsOf(parent)
  if (!parent || parent.status !== 'running' || !state || state.status[group] !== 'running') return
  // a group's members follow from its definition: `<route>-<name>` for each sub-task
  const tasks = subTasksOf(specOf(parent).def, group).flatMap((t) => ctl.task(subTaskName(route, t.name)) ?? [])
  if (tasks.some((t) => t.status === 'queued' || t.status === 'running' || t.status === 'cancelling')) return
  const failed = tasks.some((t) => t.status === 'failed' || t.status === 'timed_out' || t.status === 'cancelled')
  setGroupStatus(state.status, group, failed ? 'failed' : 'succeeded')
  ctl.taskChanged(parent.name)
  const def = specOf(parent).def as ChoiceTask | ForeachTask
  if (def.category === 'foreach' && state.started < state.groups) startGroups(ctl, parent, dag, 1)
  const counts = groupCounts(state.status)
  if (counts.known < state.groups || counts.running > 0) return
  if (counts.failed > 0) return ctl.finish(parent.name, 'failed', { error: 'sub tasks failed' })
  const root = contextOf(ctl, null)
  const subs = Array.from({ length: state.groups }, (_, i) => root[subContextKey(routeName(parent.name, i))])
  const output: Json =
    def.category === 'foreach' ? { sub_context: subs.map((s) => s ?? {}) } : Object.assign({}, ...subs.filter((s) => s !== undefined))
  try {
    mapOutput(def.outputMappings, contextOf(ctl, specOf(parent).route), output, hooks)
  } catch (e) {
    return ctl.finish(parent.name, 'failed', { error: (e as Error).message })
  }
  ctl.contextChanged()
  ctl.finish(parent.name, 'succeeded', { output })
}

/**
 * After a restart: the groups a parent still counts as running are settled again from their
 * sub-tasks, which recovery may have ended (an interrupted call fails) without anyone telling the
 * group. A group found done lets the next waiting one start, and the parent finish.
 */
export function resettleGroups(ctl: JobControl, parent: TaskRecord, dag: Dag, hooks: MappingHooks): void {
  const state = groupsOf(parent)
  if (parent.status !== 'running' || !state) return
  for (const [group, status] of Object.entries(state.status)) {
    if (status === 'running') groupSettled(ctl, routeName(parent.name, Number(group)), dag, hooks)
  }
}

/** The sub-task definitions of one group: a foreach's tasks, or the n-th choice (in upstream's order). */
function subTasksOf(def: Task, group: number): Task[] {
  if (def.category === 'foreach') return def.tasks
  if (def.category === 'choice') return sortedChoices(def)[group]?.tasks ?? []
  return []
}
