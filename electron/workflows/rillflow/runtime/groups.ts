// choice and foreach: a parent task runs groups of sub-tasks, each with its own sub-context
// (ChoiceTaskRunner, ForeachTaskRunner, DAGWalkHelper.calculateParentStatus; rillflow.md §2.3).

import type { JobControl, Preparation } from '../../../engine/driver'
import type { TaskRecord } from '../../../store/job.repository'
import type { ChoiceTask, Dag, ForeachTask, Task } from '../descriptor/types'
import { sortedChoices } from '../choices'
import { readPath } from '../jsonpath'
import { conditionsMatch, type MappingHooks } from '../mappings'
import { contextOf, mapOutput } from './context'
import { parseRoute, routeName, subContextKey, subTaskName } from './names'
import { levelTasks, specOf } from './task-specs'

type Json = Record<string, unknown>
type GroupStatus = 'running' | 'succeeded' | 'failed' | 'skipped'

/** Kept in the parent task's runtime, so a restart knows which groups ran. */
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

/** Starts a foreach: one sub-context per item; up to maxConcurrency groups at once. */
export function startForeach(ctl: JobControl, task: TaskRecord, dag: Dag, input: Json, hooks: MappingHooks): Preparation {
  const def = specOf(task).def as ForeachTask
  const { collection: path, item = 'item', index } = def.iterationMapping
  let collection: unknown
  try {
    collection = readPath({ input }, path)
  } catch {
    collection = null
  }
  if (!Array.isArray(collection) || collection.length === 0 || def.tasks.length === 0) {
    mapOutput(def.outputMappings, contextOf(ctl, specOf(task).route), { sub_context: [] }, hooks)
    return finishGroups(ctl, task, 0, EMPTY_LOOP_MSG)
  }
  const base = { ...input }
  const key = /^\$\.input\.(\w+)$/.exec(path)?.[1]
  if (key) delete base[key]
  const root = contextOf(ctl, null)
  collection.forEach((element, i) => {
    root[subContextKey(routeName(task.name, i))] = { ...base, [item]: element, ...(index ? { [index]: i } : {}) }
  })
  ctl.contextChanged()
  const limit = concurrencyLimit(def, input, collection.length)
  const state: GroupsState = { groups: collection.length, started: 0, status: {} }
  task.runtime = { ...(task.runtime ?? {}), ...state }
  for (let i = 0; i < limit; i++) startGroup(ctl, task, dag, def.tasks)
  return { action: 'hold' }
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
    else state.status[i] = 'skipped'
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

function startGroup(ctl: JobControl, parent: TaskRecord, dag: Dag, tasks: ForeachTask['tasks']): void {
  const state = groupsOf(parent)!
  createGroup(ctl, parent, dag, tasks, state.started)
  state.started++
  ctl.taskChanged(parent.name)
}

function createGroup(ctl: JobControl, parent: TaskRecord, dag: Dag, tasks: ForeachTask['tasks'], group: number): void {
  const state = groupsOf(parent)!
  state.status[group] = 'running'
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
  state.status[group] = failed ? 'failed' : 'succeeded'
  ctl.taskChanged(parent.name)
  const def = specOf(parent).def as ChoiceTask | ForeachTask
  if (def.category === 'foreach' && state.started < state.groups) startGroup(ctl, parent, dag, def.tasks)
  if (Object.keys(state.status).length < state.groups || Object.values(state.status).includes('running')) return
  if (Object.values(state.status).includes('failed')) return ctl.finish(parent.name, 'failed', { error: 'sub tasks failed' })
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
