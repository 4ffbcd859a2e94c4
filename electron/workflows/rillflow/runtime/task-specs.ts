import type { NewTask } from '../../../store/job.repository'
import type { Dag, Mapping, Task } from '../descriptor/types'
import { splitNext } from '../descriptor/walk'
import { expandReferences } from '../mappings'
import { timeoutMsOf } from './deadlines'
import { subTaskName } from './names'

/** What the driver keeps on each engine task of a Rill Flow execution (task.spec). */
export interface RillTaskSpec {
  /**
   * The descriptor's task, with commonMapping references already expanded: one object for every engine
   * task made from the same descriptor task (expandTask), never changed, so the store keeps it once per
   * execution (store/jobs/task-rows.ts, migration 027: a shared one from TASK_SPEC_SHARED_PART_MIN
   * characters), not once per foreach item, and a restart reads it back as one object for all of them.
   */
  def: Task
  /** Where the execution reports back, and its id in Rill Flow's form. */
  executionId: string
}

/**
 * The group a task belongs to (`foreachNode_0` for `foreachNode_0-executor`), or null at the top level:
 * its name before the last `-` (names.ts; a descriptor's task names are letters and digits). Not kept in
 * the spec, so that the sub-tasks of a foreach's N groups share one spec (levelTasks); specs stored
 * before kept it as `route`, the same.
 */
export function routeOf(task: { name: string }): string | null {
  const at = task.name.lastIndexOf('-')
  return at < 0 ? null : task.name.slice(0, at)
}

export const FUNCTION_EXECUTOR = 'rillflow.function'
export const CONTROL_EXECUTOR = 'rillflow.control'

/**
 * Engine tasks for one level of a descriptor: edges come only from `next` (rillflow.md §2.2).
 * References to commonMapping are replaced here, at submit time, as upstream does.
 */
export function levelTasks(tasks: readonly Task[], route: string | null, dag: Pick<Dag, 'commonMapping'>, executionId: string): NewTask[] {
  const deps = new Map<string, string[]>(tasks.map((t) => [t.name, []]))
  for (const t of tasks) for (const n of splitNext(t.next)) deps.get(n)?.push(t.name)
  return tasks.map((t) => {
    const def = expandTask(t, dag.commonMapping)
    const spec = specFor(def, executionId)
    return {
      name: subTaskName(route, t.name),
      executor: def.category === 'function' ? FUNCTION_EXECUTOR : CONTROL_EXECUTOR,
      dependsOn: deps.get(t.name)!.map((d) => subTaskName(route, d)),
      spec: spec as unknown as Record<string, unknown>,
      timeoutMs: def.category === 'function' ? timeoutMsOf(def.timeline) : undefined,
      maxAttempts: 1, // Rill's retry policy is the driver's, not the engine's default
    }
  })
}

// The expanded form of a descriptor's task (or of a stored parent's sub-task, after a restart), by the
// task and the commonMapping it was expanded with: the groups of a foreach share it, where each made
// its own, and each was serialized and stored again (#9: ~200 ms at a wide foreach's start).
const expandedTasks = new WeakMap<Task, { common: Record<string, Mapping[]> | undefined; def: Task }>()

/** `task` with its commonMapping references expanded (one object per task and `common`: not to be changed). */
function expandTask(task: Task, common: Record<string, Mapping[]> | undefined): Task {
  const known = expandedTasks.get(task)
  if (known && known.common === common) return known.def
  const expand = (rules: Mapping[] | undefined) => (rules ? expandReferences(rules, common) : rules)
  const def = { ...task, inputMappings: expand(task.inputMappings), outputMappings: expand(task.outputMappings) } as Task
  expandedTasks.set(task, { common, def })
  return def
}

// The spec of an expanded definition in the execution that made it last: the tasks made from it, a
// wide foreach's 100k sub-tasks, share it (one object each was ~8 MiB of a 100k-item foreach's heap).
// Executions of one descriptor that fan out at once each make their own, a batch at a time at worst.
const specs = new WeakMap<Task, RillTaskSpec>()

/** The spec of engine tasks made from `def` in execution `executionId`: one object for all of them, not to be changed. */
function specFor(def: Task, executionId: string): RillTaskSpec {
  const known = specs.get(def)
  if (known?.executionId === executionId) return known
  const spec: RillTaskSpec = { def, executionId }
  specs.set(def, spec)
  return spec
}

/** A Rill Flow task's spec (read-only, shared by the tasks made from one definition: levelTasks); its group is routeOf's. */
export const specOf = (task: { spec: Record<string, unknown> }): RillTaskSpec => task.spec as unknown as RillTaskSpec
