// DAG-wide rules of FlowDAGValidator / ResourceDAGValidator: task presence, nesting depth,
// name syntax and uniqueness, `next` targets and cycles. Per-category rules live in
// validate-tasks.ts. Checks run in upstream's order so the first error matches.

import { cycleMessage } from '../../../../shared/dag-cycle'
import { nameCharProblem } from '../../../../shared/hidden-chars'
import { aliasProblem, NAME_MAX_LENGTH, NAME_PATTERN, reservedTaskNameProblem } from '../../../../shared/rillflow-names'
import { callbackUrlProblem } from './callback-url'
import { fail, formatField, type Site } from './error'
import { DESCRIPTOR_LIMITS } from './limits'
import type { LineIndex, YamlPath } from './lines'
import type { Dag, Task } from './types'
import { validatePatterns } from './validate-patterns'
import { validateTaskRules } from './validate-tasks'
import { allLevels, allTasks, siteOf, splitNext, type TaskRef } from './walk'

export { aliasProblem, NAME_MAX_LENGTH, NAME_PATTERN }
/** SystemConfig.taskMaxDepth: top-level tasks are depth 1. */
export const TASK_MAX_DEPTH = 3
/** Name of the synthetic task appended for a DAG `output` (DAGDescriptorConverterImpl). */
export const END_TASK_NAME = 'endTask'

const NAME_RULE = `must match ${NAME_PATTERN.source} and be at most ${NAME_MAX_LENGTH} characters`

export function validateDag(dag: Dag, lines?: LineIndex): void {
  const root: Site = { path: [], lines }
  validateDagName(dag.workspace, 'workspace', root)
  validateDagName(dag.dagName, 'dagName', root)
  const callbackProblem = callbackUrlProblem(dag.callback?.resourceName)
  if (callbackProblem) fail(root, callbackProblem, ['callback', 'resourceName'])
  if (dag.type === 'resource') return validateResourceDag(dag, root)
  if (dag.tasks.length === 0) fail(root, 'tasks is required and must not be empty', ['tasks'])
  const tasks = allTasks(dag.tasks)
  if (tasks.length > DESCRIPTOR_LIMITS.maxTasks) {
    fail(root, `the descriptor has ${tasks.length} tasks (all levels counted); at most ${DESCRIPTOR_LIMITS.maxTasks} are accepted`, ['tasks'])
  }
  tasks.forEach((ref) => validateDepth(ref, lines))
  validateTaskNames(dag, tasks, lines)
  allLevels(dag.tasks).forEach((level) => validateRoutes(level, lines))
  validateTaskRules(dag, tasks, lines)
  validatePatterns(dag, lines)
}

function isValidName(name: string): boolean {
  return name.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(name)
}

/**
 * `<key> contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4; names must match …` for a name with a
 * control or invisible character (the name itself is not repeated: it would not read as what it is),
 * else undefined.
 */
function hiddenCharMessage(name: string, key: string): string | undefined {
  const chars = nameCharProblem(name)
  return chars ? `${key} ${chars}; names ${NAME_RULE}` : undefined
}

function validateDagName(name: string, key: string, root: Site): void {
  const hidden = hiddenCharMessage(name, key)
  if (hidden) fail(root, hidden, [key])
  if (!isValidName(name)) fail(root, `${key} "${name}" is invalid: names ${NAME_RULE}`, [key])
}

function validateDepth(ref: TaskRef, lines: LineIndex | undefined): void {
  if (ref.route.length > TASK_MAX_DEPTH) {
    fail(siteOf(ref, lines), `nesting depth exceeds ${TASK_MAX_DEPTH}: ${ref.route.join('->')}`, ['name'])
  }
}

/** Names are unique across the whole DAG, nested tasks included, and differ from workspace/dagName. */
function validateTaskNames(dag: Dag, tasks: TaskRef[], lines: LineIndex | undefined): void {
  const seen = new Map<string, string>([
    [dag.workspace, 'the workspace'],
    [dag.dagName, 'the dagName'],
  ])
  for (const ref of tasks) {
    const site = siteOf(ref, lines)
    const { name } = ref.task
    const hidden = hiddenCharMessage(name, 'name')
    if (hidden) fail(site, hidden, ['name'])
    if (!isValidName(name)) fail(site, `name ${NAME_RULE}`, ['name'])
    const reserved = reservedTaskNameProblem(name)
    if (reserved) fail(site, `${formatField([...ref.path, 'name'])} ${reserved}`, ['name'])
    const owner = seen.get(name)
    if (owner !== undefined) fail(site, `name duplicated: "${name}" is already used by ${owner}`, ['name'])
    seen.set(name, 'another task')
  }
  const hasOutput = dag.output !== undefined && Object.keys(dag.output).length > 0
  const endTask = tasks.find((ref) => ref.route.length === 1 && ref.task.name === END_TASK_NAME)
  if (hasOutput && dag.endTaskName === undefined && endTask) {
    fail(siteOf(endTask, lines), `"${END_TASK_NAME}" is reserved when the DAG has an output; rename the task`, ['name'])
  }
}

/** TASK_NEXT_INVALID for unknown targets, then "cycle found: a -> b -> a" for cycles (cycleMessage; upstream says "circle found: a->b->a"). */
function validateRoutes(level: TaskRef[], lines: LineIndex | undefined): void {
  const byName = new Map(level.map((ref) => [ref.task.name, ref]))
  for (const ref of level) {
    for (const next of splitNext(ref.task.next)) {
      if (!byName.has(next)) fail(siteOf(ref, lines), `next "${next}" is not a task of this level`, nextField(ref.task, next))
    }
  }
  const cycle = findCycle(level, byName)
  if (!cycle) return
  const closer = byName.get(cycle[cycle.length - 2] ?? '')
  if (closer) fail(siteOf(closer, lines), cycleMessage(cycle), nextField(closer.task, cycle[0] ?? ''), true)
}

/** Where a `next` name was written: a switch writes it in one of its switches. */
function nextField(task: Task, next: string): YamlPath {
  if (task.category !== 'switch') return ['next']
  const index = task.switches.findIndex((s) => splitNext(s.next).includes(next))
  return index < 0 ? ['switches'] : ['switches', index, 'next']
}

/**
 * Depth-first search over `next`; returns the cycle as a closed walk (first name repeated last).
 * Iterative and linear, so a chain of any length neither overflows the stack nor rescans it.
 */
function findCycle(level: TaskRef[], byName: Map<string, TaskRef>): string[] | undefined {
  const done = new Set<string>()
  const onPath = new Map<string, number>() // name → its index in `path`
  const path: string[] = []
  const pending: string[][] = [] // per path entry: the `next` names still to visit
  for (const ref of level) {
    if (done.has(ref.task.name)) continue
    const enter = (name: string): void => {
      onPath.set(name, path.length)
      path.push(name)
      pending.push(splitNext(byName.get(name)?.task.next).reverse())
    }
    enter(ref.task.name)
    while (path.length > 0) {
      const next = pending[pending.length - 1].pop()
      if (next === undefined) {
        const name = path.pop()!
        pending.pop()
        onPath.delete(name)
        done.add(name)
        continue
      }
      if (done.has(next)) continue
      const start = onPath.get(next)
      if (start !== undefined) return [...path.slice(start), next]
      enter(next)
    }
  }
  return undefined
}

/** ResourceDAGValidator: no tasks, a non-empty list of uniquely and validly named resources. */
function validateResourceDag(dag: Dag, root: Site): void {
  if (dag.tasks.length > 0) fail(root, 'a resource DAG does not support the tasks property', ['tasks'])
  const resources = dag.resources ?? []
  if (resources.length === 0) fail(root, 'a resource DAG requires a non-empty resources list', ['resources'])
  const names = new Set<string>()
  resources.forEach((resource, i) => {
    const name = resource.name ?? ''
    if (!isValidName(name)) fail(root, `resource name "${name}" is invalid: names ${NAME_RULE}`, ['resources', i, 'name'])
    if (names.has(name)) fail(root, `resource name duplicated: "${name}"`, ['resources', i, 'name'])
    names.add(name)
  })
}
