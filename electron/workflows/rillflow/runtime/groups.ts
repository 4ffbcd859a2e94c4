// choice and foreach: a parent task runs groups of sub-tasks, each with its own sub-context
// (ChoiceTaskRunner, ForeachTaskRunner, DAGWalkHelper.calculateParentStatus; rillflow.md §2.3).

import type { JobControl, Preparation } from '../../../engine/driver'
import type { NewTask, TaskRecord } from '../../../store/job.repository'
import type { ChoiceTask, Dag, ForeachTask, Task } from '../descriptor/types'
import { sortedChoices } from '../choices'
import { PathBudgetError, PathWork, readPath } from '../jsonpath'
import { foreachBase, readCollection, weighForeach } from './nested-fanout'
import { conditionsMatch, mayWriteOutput, type MappingHooks } from '../mappings'
import { STATE_JSON_LIMIT } from '../../../store/state-json'
import { cloneWithin, copySharingReadOnly, measureJson } from '../value-budget'
import { contextOf, contextTouched, mapOutput } from './context'
import type { TaskGroups } from '../../../engine/task-groups'
import { SLICE_STEP } from '../../../engine/sliced'
import { FANOUT_BATCH, groupTable, type GroupStatus } from './fanout'
import { parseRoute, routeName, subTaskName } from './names'
import { levelTasks, routeOf, specOf } from './task-specs'
import { GATHER_BATCH, SubContextGathering } from './sub-context-gathering'
import { assignOwn } from '../safe-keys'

type Json = Record<string, unknown>

/**
 * Kept in the parent task's runtime: how many groups it has. Each group's status and sub-context
 * is a row of its own (JobControl.groups, read through fanout.ts groupTable): a group that starts or
 * ends writes that row only, never the parent (whose input holds the whole collection).
 * Executions stored before that kept `started` and `status` here (read once, by groupTable).
 */
export interface GroupsState {
  groups: number
  started?: number
  status?: Record<number, GroupStatus>
  msg?: string
}

export const EMPTY_LOOP_MSG = 'loop collection or subTasks empty'

export function groupsOf(task: TaskRecord): GroupsState | undefined {
  return task.runtime?.groups === undefined ? undefined : (task.runtime as unknown as GroupsState)
}

// The collection read from a foreach's input (a bounded copy: reading it per group made each batch
// of 100 groups copy 100k items 100 times), by the input object the task keeps while it runs.
const collections = new WeakMap<Json, unknown[] | null>()

/** The items a foreach iterates (its collection, read from its input), or null when there are none. */
function collectionOf(def: ForeachTask, input: Json, work?: PathWork): unknown[] | null {
  if (collections.has(input)) return collections.get(input)!
  const collection = readCollection(def, input, work)
  collections.set(input, collection)
  return collection
}

/** The paths of one foreach start, its input mappings and its collection, spend from one budget of this name. */
export const FOREACH_START_WORK = 'the paths of one foreach start together (input mappings, collection)'

/**
 * Starts a foreach: its input (the collection with it) is stored in this tick, and its groups are
 * planned in a later tick of its own (planForeach): reading the collection, measuring the
 * sub-contexts it makes, and ending an empty or too large loop at once. Mapping a 100k-item input,
 * serializing it, then reading and measuring the collection in one tick was one of a run's longest
 * (29-62 ms at a load under 2, 168 ms on a contended core); now 22 ms and at most 27 ms. `work` is
 * the budget of the start's paths (its input mappings spent from it already): the collection, and
 * the output mappings of an empty loop, spend from it too.
 */
export function startForeach(ctl: JobControl, task: TaskRecord, dag: Dag, hooks: MappingHooks, work = new PathWork()): Preparation {
  planLater(ctl, task.name, dag, hooks, work)
  return { action: 'hold' }
}

function planLater(ctl: JobControl, name: string, dag: Dag, hooks: MappingHooks, work: PathWork): void {
  ctl.defer(() => planForeach(ctl, name, dag, hooks, work), { alone: true })
}

/**
 * The second step of a foreach's start (startForeach): one sub-context per item, made as each group
 * starts, and one group of sub-tasks per item, started in batches; up to maxConcurrency groups at once.
 * A loop without items or sub-tasks maps an empty `sub_context` and succeeds; one whose sub-contexts
 * would be too large to store fails with the reason, as a collection that uses up `work` does.
 */
function planForeach(ctl: JobControl, name: string, dag: Dag, hooks: MappingHooks, work: PathWork): void {
  const task = ctl.task(name)
  if (task?.status !== 'running' || groupsOf(task)) return
  const def = specOf(task).def as ForeachTask
  const input = (task.input ?? {}) as Json
  let collection: unknown[] | null
  try {
    collection = collectionOf(def, input, work)
    if (!collection || def.tasks.length === 0) {
      mapOutput(def.outputMappings, contextOf(ctl, routeOf(task)), { sub_context: [] }, hooks, work)
      contextTouched(ctl, routeOf(task))
    }
  } catch (e) {
    return ctl.finish(name, 'failed', { error: (e as Error).message }) // a collection over the path budget, a mapping that failed
  }
  if (!collection || def.tasks.length === 0) {
    finishGroups(ctl, task, 0, EMPTY_LOOP_MSG)
    return ctl.finish(name, 'succeeded', { output: {} })
  }
  const base = foreachBase(def, input)
  const tooLarge = subContextsTooLarge(`foreach over ${collection.length} items`, `each item with the ${Object.keys(base).length} other input keys`, collection.length, base, collection)
  if (tooLarge) return ctl.finish(name, 'failed', { error: tooLarge })
  // weighed whole before any group starts, with the nested foreaches whose collections are known now
  // (nested-fanout.ts); others are weighed as they start
  // Its own groups' tasks are reserved once accepted (a throttled one adds them a few at a time, and
  // another foreach of its user started meanwhile is weighed with them); its nested foreaches' are not:
  // each reserves its own at its start, so that none is counted twice
  const whole = weighForeach(def, input, collection, ctl.heldRoom())
  if (!ctl.roomFor(whole.tasks, whole.shape, { task: name, tasks: collection.length * def.tasks.length })) return
  const state: GroupsState = { groups: collection.length }
  task.runtime = { ...(task.runtime ?? {}), ...state }
  ctl.taskChanged(name)
  // the first batch too starts in a later tick: this one already copied and measured the collection
  startLater(ctl, task, dag)
}

/**
 * The sub-context of a foreach's group `i`: its item (and index) with the rest of the foreach's input,
 * a copy made when the group starts (as a choice's are): its sub-tasks write into it (`$.context.it.x`),
 * and sharing objects with the foreach's input and its sibling groups let one group's writes show in
 * another's and in the stored input (atk27). Their size together is bounded (subContextsTooLarge).
 */
function foreachSubContext(def: ForeachTask, input: Json, i: number): Json {
  const { item = 'item', index } = def.iterationMapping
  return copySharingReadOnly({ ...foreachBase(def, input), [item]: collectionOf(def, input)?.[i], ...(index ? { [index]: i } : {}) }) as Json // a shared constant in the input: not copied per item
}

/**
 * Why `groups` sub-contexts, each a copy of `shared` (with one of `items`, a foreach's collection),
 * are too many to make, or null. Each group's copy is made when it starts (a foreach's) or at once (a
 * choice's), and they end up together in the parent's output (a foreach's `sub_context`, a choice's
 * merged contexts): refused up front, with a reason naming the parent (`parent`: "foreach over 3 items")
 * and what each copy holds (`each`), when together they would pass the size a stored value may have
 * (store/state-json.ts), rather than copying them or failing at the end. A `shared` that cannot be
 * measured (it holds itself) is refused too.
 */
function subContextsTooLarge(parent: string, each: string, groups: number, shared: Json, items: unknown[] = []): string | null {
  try {
    const one = measureJson(shared)
    const all = measureJson(items)
    // measured bytes are the JSON text's UTF-8 bytes (brackets, quotes, separators counted), which
    // STATE_JSON_LIMIT counts: each group adds its wrapper
    const estimate = groups * (one.bytes + 32) + all.bytes
    if (estimate <= STATE_JSON_LIMIT) return null
    return `${parent}: its sub-contexts (${each}) would hold about ${estimate} bytes of JSON; a context holds at most ${STATE_JSON_LIMIT} bytes`
  } catch (e) {
    return `${parent}: its input: ${(e as Error).message}`
  }
}

/**
 * Starts up to FANOUT_BATCH waiting groups of a running foreach while its concurrency allows; if
 * groups still wait below the limit, the next batch starts in a later tick (startLater).
 */
function startGroups(ctl: JobControl, parent: TaskRecord, dag: Dag): void {
  const def = specOf(parent).def as ForeachTask
  const state = groupsOf(parent)
  if (!state || parent.status !== 'running') return
  const input = (parent.input ?? {}) as Json
  const limit = concurrencyLimit(def, input, state.groups)
  const groups = groupTable(ctl, parent)
  const tasks: NewTask[] = []
  // a foreach's groups start in index order: those with a row are those started, and a group that
  // has one is never started again (its tasks' names are taken)
  let i = nextUnstarted(groups, state.groups)
  for (let n = 0; n < FANOUT_BATCH && i < state.groups && groups.count('running') < limit; n++) {
    groups.set(i, { status: 'running', context: foreachSubContext(def, input, i) })
    tasks.push(...levelTasks(def.tasks, routeName(parent.name, i), dag, specOf(parent).executionId))
    i = nextUnstarted(groups, state.groups)
  }
  if (tasks.length > 0) {
    for (const t of ctl.addTasks(tasks, parent.name)) if (t.dependsOn.length === 0 && t.status === 'pending') ctl.enqueue(t.name)
  }
  if (i < state.groups && groups.count('running') < limit) startLater(ctl, parent, dag)
}

// By groups: the lowest index that may have no row yet (every group below it has one), so that finding
// the next group to start is no pass over the 100k before it.
const unstartedFrom = new WeakMap<TaskGroups, number>()

/** The lowest index of `groups` without a row (a group not started), or `count` when every group has one. */
function nextUnstarted(groups: TaskGroups, count: number): number {
  let i = Math.max(unstartedFrom.get(groups) ?? 0, 0)
  while (i < count && groups.status(i) !== undefined) i++
  unstartedFrom.set(groups, i)
  return i
}

// Foreach groups with a batch start already deferred: groups that end in the meantime wait for it
// rather than each starting one more group (one store write per group, 100k for a wide foreach).
const startPending = new WeakSet<object>()

/** Starts the next batch of a foreach's waiting groups in a later tick, once however many ask. */
function startLater(ctl: JobControl, parent: TaskRecord, dag: Dag): void {
  const groups = groupTable(ctl, parent)
  if (startPending.has(groups)) return
  startPending.add(groups)
  ctl.defer(() => {
    startPending.delete(groups)
    // a redo since reset the foreach: its groups are new ones, whose own start is planned (planForeach)
    const current = ctl.task(parent.name)
    if (current?.status === 'running' && ctl.groups(current.name) === groups) startGroups(ctl, current, dag)
  })
}

/**
 * At activation (a restart): running foreach tasks go on starting the groups they had not started,
 * with those groups' tasks reserved again (JobControl.reserve);
 * one stopped between the two steps of its start (its input stored, its groups not planned yet) is
 * planned now, with `hooksOf` its mapping hooks. A sliced loop (engine/sliced.ts): yields every
 * SLICE_STEP tasks (a restart on a foreach's 100k waiting tasks).
 */
export function* resumeForeachGroups(ctl: JobControl, dag: Dag, hooksOf: (task: TaskRecord) => MappingHooks): Generator<void, void, void> {
  let i = 0
  for (const t of ctl.tasks()) {
    if (++i % SLICE_STEP === 0) yield
    if (t.status !== 'running' || specOf(t).def.category !== 'foreach') continue
    const state = groupsOf(t)
    if (!state) planLater(ctl, t.name, dag, hooksOf(t), new PathWork(FOREACH_START_WORK))
    else if (groupTable(ctl, t).size < state.groups) {
      // it was accepted at its start: what its groups not started will add is reserved again
      ctl.reserve(t.name, (state.groups - groupTable(ctl, t).size) * (specOf(t).def as ForeachTask).tasks.length)
      startLater(ctl, t, dag)
    }
  }
}

function concurrencyLimit(def: ForeachTask, input: Json, groups: number): number {
  const sync = def.synchronization
  // its conditions and maxConcurrency path are read together, once per batch: one budget for both
  const work = new PathWork('the synchronization of one foreach batch together (conditions, maxConcurrency)')
  if (!sync?.maxConcurrency || !conditionsMatch(sync.conditions ?? [], { input }, 'all', work)) return groups
  let max = Number(sync.maxConcurrency)
  if (!Number.isFinite(max) && sync.maxConcurrency.startsWith('$')) {
    try {
      max = Number(readPath({ input }, sync.maxConcurrency, work))
    } catch (err) {
      if (err instanceof PathBudgetError) throw err
      max = NaN
    }
  }
  return Number.isFinite(max) && max > 0 ? Math.min(Math.floor(max), groups) : groups
}

/** Starts a choice: every choice whose condition matches its input runs, with a copy of the input as its sub-context. */
export function startChoice(ctl: JobControl, task: TaskRecord, dag: Dag, input: Json, hooks: MappingHooks): Preparation {
  const def = specOf(task).def as ChoiceTask
  const choices = sortedChoices(def)
  const work = new PathWork('the conditions of one choice task together')
  const matched = choices.flatMap((choice, i) => (choice.condition && conditionsMatch([choice.condition], { input }, 'all', work) ? [i] : []))
  if (matched.length === 0) {
    mapOutput(def.outputMappings, contextOf(ctl, routeOf(task)), {}, hooks)
    return finishGroups(ctl, task, 0)
  }
  // each branch taken gets its own copy of the input, all made now: bounded as a foreach's are
  const tooLarge = subContextsTooLarge(`choice with ${matched.length} branches taken`, 'a copy of its input each', matched.length, input)
  if (tooLarge) return { action: 'finish', status: 'failed', error: tooLarge }
  const state: GroupsState = { groups: choices.length }
  task.runtime = { ...(task.runtime ?? {}), ...state }
  ctl.taskChanged(task.name)
  const groups = groupTable(ctl, task)
  choices.forEach((_, i) => {
    if (!matched.includes(i)) groups.set(i, { status: 'skipped' })
  })
  for (const i of matched) {
    groups.set(i, { status: 'running', context: copySharingReadOnly(input) as Json })
    const added = ctl.addTasks(levelTasks(choices[i].tasks, routeName(task.name, i), dag, specOf(task).executionId))
    for (const t of added) if (t.dependsOn.length === 0 && t.status === 'pending') ctl.enqueue(t.name)
  }
  return { action: 'hold' }
}

function finishGroups(ctl: JobControl, task: TaskRecord, started: number, msg?: string): Preparation {
  task.runtime = { ...(task.runtime ?? {}), groups: 0, started, ...(msg ? { msg } : {}) }
  ctl.taskChanged(task.name)
  return { action: 'finish', status: 'succeeded', output: {} }
}

/**
 * Called when a sub-task of `route` settles: once nothing of the group can still run, the group
 * is done; the next waiting group starts; when all are done the parent finishes.
 */
export function groupSettled(ctl: JobControl, route: string, dag: Dag, hooks: MappingHooks): void {
  const { parent: parentName, group } = parseRoute(route)
  const parent = ctl.task(parentName)
  const state = parent && groupsOf(parent)
  if (!parent || parent.status !== 'running' || !state) return
  const groups = groupTable(ctl, parent)
  if (groups.status(group) !== 'running') return
  // a group's members follow from its definition: `<route>-<name>` for each sub-task
  const tasks = subTasksOf(specOf(parent).def, group).flatMap((t) => ctl.task(subTaskName(route, t.name)) ?? [])
  if (tasks.some((t) => t.status === 'queued' || t.status === 'running' || t.status === 'cancelling')) return
  const failed = tasks.some((t) => t.status === 'failed' || t.status === 'timed_out' || t.status === 'cancelled')
  groups.set(group, { status: failed ? 'failed' : 'succeeded' })
  const def = specOf(parent).def as ChoiceTask | ForeachTask
  const unstarted = nextUnstarted(groups, state.groups) < state.groups
  if (def.category === 'foreach' && unstarted) startLater(ctl, parent, dag)
  if (unstarted || groups.count('running') > 0) return
  if (groups.count('failed') > 0) return ctl.finish(parent.name, 'failed', { error: 'sub tasks failed' })
  if (def.category === 'foreach' && state.groups > FANOUT_BATCH) return finishWideForeach(ctl, parent, hooks)
  finishParent(ctl, parent, hooks)
}

/** Once every group of a choice/foreach has ended: it fails if one failed, else maps its output and succeeds. */
function finishParent(ctl: JobControl, parent: TaskRecord, hooks: MappingHooks): void {
  const output = collectOutput(ctl, parent)
  if (!output) return
  if (!mapParentOutput(ctl, parent, output, hooks)) return
  // A foreach keeps no copy of its sub-contexts as its output: each is its group's row already
  // (get_sub_context.json), and a 100k-item copy made the finishing commit, and every later read of
  // the execution's top-level tasks, write or parse megabytes (#9).
  ctl.finish(parent.name, 'succeeded', { output: specOf(parent).def.category === 'foreach' ? {} : output })
}

/**
 * A wide foreach (more groups than a batch) ends over later ticks, so that no one tick holds the event
 * loop for more than one step of the work that grows with its item count: its sub-contexts are
 * gathered GATHER_BATCH groups a step (sub-context-gathering.ts), as many steps a tick as the tick's
 * budget allows; a tick of its own maps them into the context (JSONPath reads, the copy written);
 * another saves the context (its commit); a last one ends the task (its save, with its input, and
 * the execution's end). Gathering, mapping and saving in one tick made a 100k-item run's longest
 * turn (45-69 ms at a load under 2, e.g. 10, 30 and 28 ms; 439 ms on a contended core); now each of
 * these ticks is at most 27 ms. A restart before the end finds every group ended and the task
 * running: resettleGroups ends it then, in one go.
 */
function finishWideForeach(ctl: JobControl, parent: TaskRecord, hooks: MappingHooks): void {
  const running = () => {
    const current = ctl.task(parent.name)
    return current?.status === 'running' ? current : undefined
  }
  const end = () => {
    const last = running()
    if (last) ctl.finish(last.name, 'succeeded', { output: {} })
  }
  // without output mappings nothing reads the sub-contexts: no pass over every group
  if (!specOf(parent).def.outputMappings?.length) return ctl.defer(end)
  const gathering = new SubContextGathering(groupTable(ctl, parent), groupsOf(parent)!.groups)
  // still running, with the groups gathered (a redo between two steps makes them afresh)
  const current = () => {
    const task = running()
    return task && groupTable(ctl, task) === gathering.groups ? task : undefined
  }
  const gather = () => {
    if (!current()) return
    gathering.step(GATHER_BATCH)
    ctl.defer(gathering.done ? map : gather, { alone: gathering.done })
  }
  const map = () => {
    const task = current()
    if (!task) return
    const output = ownOutput(ctl, task, { sub_context: gathering.result() })
    if (output && mapParentOutput(ctl, task, output, hooks, false)) ctl.defer(save, { alone: true })
  }
  const save = () => {
    const task = current()
    if (!task) return
    contextTouched(ctl, routeOf(task))
    ctl.defer(end)
  }
  ctl.defer(gather)
}

/** The output a parent's mappings read (`sub_context` of a foreach, a choice's merged contexts), its own (ownOutput); undefined after failing the parent when a group failed or the copy could not be made. */
function collectOutput(ctl: JobControl, parent: TaskRecord): Json | undefined {
  const state = groupsOf(parent)!
  const groups = groupTable(ctl, parent)
  if (groups.count('failed') > 0) {
    ctl.finish(parent.name, 'failed', { error: 'sub tasks failed' })
    return undefined
  }
  // one pass over the rows (a 100k-group foreach: no two lookups by index for each)
  const subs: (Json | undefined)[] = new Array<Json | undefined>(state.groups).fill(undefined)
  for (const row of groups.all()) {
    if (row.index >= 0 && row.index < state.groups && row.status !== 'skipped') subs[row.index] = row.context ?? undefined
  }
  const shared = specOf(parent).def.category === 'foreach' ? { sub_context: subs.map((s) => s ?? {}) } : subs.reduce<Json>((all, sub) => assignOwn(all, sub), {}) // own keys: a sub-context's `__proto__` key is not the output's prototype
  return ownOutput(ctl, parent, shared)
}

/**
 * `output`, read from the groups' sub-contexts and sharing their objects, as the parent's own: always a
 * choice's (it is stored as the choice's output), a foreach's when its output mappings may write into it
 * (`$.output.sub_context[0].it.x`; else it is only read, and not stored: 100k groups are not copied for
 * nothing). A write into a shared object landed in a group's sub-context, and the group that settled
 * last was saved with it in the same tick. The copy is bounded (value-budget.ts cloneWithin, within
 * VALUE_LIMITS, measured before it is built) and a choice's is charged to the tick as every stored output
 * is (engine setOutput); one over the limits fails the parent with the reason: undefined then.
 */
function ownOutput(ctl: JobControl, parent: TaskRecord, output: Json): Json | undefined {
  const def = specOf(parent).def as ChoiceTask | ForeachTask
  if (def.category === 'foreach' && !mayWriteOutput(def.outputMappings)) return output
  try {
    return cloneWithin(output) as Json
  } catch (e) {
    ctl.finish(parent.name, 'failed', { error: `the output of ${def.category} ${parent.name}: ${(e as Error).message}` })
    return undefined
  }
}

/**
 * Applies the parent's outputMappings to its context; false after failing the parent when a mapping
 * failed. `touch: false` leaves the context's save to the caller (contextTouched in a later tick).
 */
function mapParentOutput(ctl: JobControl, parent: TaskRecord, output: Json, hooks: MappingHooks, touch = true): boolean {
  const def = specOf(parent).def as ChoiceTask | ForeachTask
  const parentRoute = routeOf(parent)
  try {
    mapOutput(def.outputMappings, contextOf(ctl, parentRoute), output, hooks)
  } catch (e) {
    ctl.finish(parent.name, 'failed', { error: (e as Error).message })
    return false
  }
  if (touch) contextTouched(ctl, parentRoute)
  return true
}

/**
 * After a restart: the groups a parent still counts as running are settled again from their
 * sub-tasks, which recovery may have ended (an interrupted call fails) without anyone telling the
 * group. A group found done lets the next waiting one start, and the parent finish.
 */
export function* resettleGroups(ctl: JobControl, parent: TaskRecord, dag: Dag, hooks: MappingHooks): Generator<void, void, void> {
  const state = groupsOf(parent)
  if (parent.status !== 'running' || !state) return
  const groups = groupTable(ctl, parent)
  for (let i = 0; i < state.groups; i++) {
    if (groups.status(i) === 'running') groupSettled(ctl, routeName(parent.name, i), dag, hooks)
    if (i % SLICE_STEP === SLICE_STEP - 1) yield // a sliced loop (engine/sliced.ts): 100k groups at a restart
  }
  // every group had ended before the restart, but the task had not (a wide foreach ends over two ticks)
  const current = ctl.task(parent.name)
  if (current?.status === 'running' && groups.size === state.groups && state.groups > 0 && groups.count('running') === 0) finishParent(ctl, current, hooks)
}

/** The sub-task definitions of one group: a foreach's tasks, or the n-th choice (in upstream's order). */
function subTasksOf(def: Task, group: number): Task[] {
  if (def.category === 'foreach') return def.tasks
  if (def.category === 'choice') return sortedChoices(def)[group]?.tasks ?? []
  return []
}
