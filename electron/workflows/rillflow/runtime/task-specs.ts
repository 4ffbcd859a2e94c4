import type { NewTask } from '../../../store/job.repository'
import type { Dag, Mapping, Task } from '../descriptor/types'
import { splitNext } from '../descriptor/walk'
import { expandReferences } from '../mappings'
import { timeoutMsOf } from './deadlines'
import { subTaskName } from './names'

/** What the driver keeps on each engine task of a Rill Flow execution (task.spec). */
export interface RillTaskSpec {
  /** The descriptor's task, with commonMapping references already expanded. */
  def: Task
  /** The group this task belongs to (`foreachNode_0`), or null at the top level. */
  route: string | null
  /** Where the execution reports back, and its id in Rill Flow's form. */
  executionId: string
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
    const spec: RillTaskSpec = { def, route, executionId }
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

function expandTask(task: Task, common: Record<string, Mapping[]> | undefined): Task {
  const expand = (rules: Mapping[] | undefined) => (rules ? expandReferences(rules, common) : rules)
  return { ...task, inputMappings: expand(task.inputMappings), outputMappings: expand(task.outputMappings) } as Task
}

export const specOf = (task: { spec: Record<string, unknown> }): RillTaskSpec => task.spec as unknown as RillTaskSpec
