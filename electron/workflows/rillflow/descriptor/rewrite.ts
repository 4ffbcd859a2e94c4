// The `input` shorthand and DAG `output` rewrite of DAGDescriptorConverterImpl (add_descriptor
// time, rillflow.md §1.4). A task's `input: {k: "$.taskA.data.id"}` becomes the inputMapping
// {source: "$.context.taskA.data.id", target: "$.input.k"} and taskA gets the outputMapping
// {source: "$.output.data.id", target: "$.context.taskA.data.id"}. A DAG `output` becomes a
// trailing pass task `endTask` fed the same way, and every task it reads from gets `endTask`
// in its next: the only edge ever derived from mappings.

import { pathElements, pathHead } from '../../../../shared/rillflow-paths'
import { fail } from './error'
import { isRecord, prune } from './reader'
import type { Dag, Mapping, PassTask, Task } from './types'
import { END_TASK_NAME } from './validate'
import { splitNext } from './walk'

/** Pure: returns a rewritten copy. Applying it twice gives the same DAG as applying it once. */
export function rewriteInputShorthand(dag: Dag): Dag {
  const out = structuredClone(dag)
  const addedEndTask = appendEndTask(out)
  const hadInput = out.tasks.some(hasInput)
  if (!addedEndTask && !hadInput) return out
  out.tasks.forEach(expandInput)
  const byName = new Map(out.tasks.map((task) => [task.name, task]))
  const produced: { task: Task; path: string }[] = []
  for (const task of out.tasks) {
    for (const mapping of task.inputMappings ?? []) {
      const ref = taskReference(mapping.source, byName)
      if (!ref || mapping.source === undefined) continue
      mapping.source = `$.context${mapping.source.slice(1)}`
      produced.push(ref)
      if (task.name === out.endTaskName) addNext(ref.task, task.name)
    }
  }
  produced.forEach(({ task, path }) => addOutputMapping(task, { source: `$.output${path}`, target: `$.context.${task.name}${path}` }))
  return out
}

function hasInput(task: Task): boolean {
  return task.input !== undefined && Object.keys(task.input).length > 0
}

/** Appends the pass task for a non-empty DAG `output`; false when there is none (or it exists). */
function appendEndTask(dag: Dag): boolean {
  const output = dag.output
  if (!output || Object.keys(output).length === 0 || dag.endTaskName !== undefined) return false
  const clash = dag.tasks.findIndex((task) => task.name === END_TASK_NAME)
  if (clash >= 0) {
    fail({ path: ['tasks', clash], task: END_TASK_NAME }, `"${END_TASK_NAME}" is reserved when the DAG has an output; rename the task`, ['name'])
  }
  const endTask: PassTask = {
    category: 'pass',
    name: END_TASK_NAME,
    input: { ...output },
    outputMappings: Object.keys(output).map((key) => ({ source: `$.output.${key}`, target: `$.context.${key}` })),
  }
  dag.tasks.push(endTask)
  dag.endTaskName = END_TASK_NAME
  return true
}

/** Each input entry becomes an inputMapping targeting `$.input.<key>` (replacing one written before). */
function expandInput(task: Task): void {
  if (!task.input || !hasInput(task)) return
  const mappings = [...(task.inputMappings ?? [])]
  for (const [key, value] of Object.entries(task.input)) {
    if (value === null || value === undefined) continue
    const target = `$.input.${key}`
    const mapping = isRecord(value) ? { ...toMapping(value), target } : { source: sourceText(value), target }
    const existing = mappings.findIndex((m) => m.target === target)
    if (existing >= 0) mappings.splice(existing, 1)
    mappings.push(mapping)
  }
  task.inputMappings = mappings
}

function sourceText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function toMapping(value: Record<string, unknown>): Mapping {
  const str = (key: string): string | undefined => (typeof value[key] === 'string' ? value[key] : undefined)
  return prune({
    source: typeof value.source === 'number' || typeof value.source === 'boolean' ? String(value.source) : str('source'),
    transform: str('transform'),
    tolerance: typeof value.tolerance === 'boolean' ? value.tolerance : undefined,
    reference: str('reference'),
    variable: str('variable'),
  })
}

/** `$.taskA.data[0].id` where taskA is a top-level task → taskA and `.data[0].id`. */
function taskReference(source: string | undefined, byName: Map<string, Task>): { task: Task; path: string } | undefined {
  const head = pathHead(source)
  const task = head === undefined ? undefined : byName.get(head)
  if (!task || !source) return undefined
  return { task, path: renderPath(pathElements(source)!.slice(1)) }
}

/** DAGDescriptorConverterImpl.processPathElements: dotted names are bracketed, indexes kept. */
function renderPath(elements: readonly string[]): string {
  return elements
    .map((el) => {
      if (/^\[(\d+|\*)\]$/.test(el)) return el
      return el.includes('.') ? `['${el}']` : `.${el}`
    })
    .join('')
}

function addNext(task: Task, name: string): void {
  const names = splitNext(task.next)
  if (!names.includes(name)) names.push(name)
  task.next = names.join(',')
}

function addOutputMapping(task: Task, mapping: Mapping): void {
  if (task.category === 'switch') return // SwitchTask has no output and ignores outputMappings
  const mappings = task.outputMappings ?? []
  if (!mappings.some((m) => m.target === mapping.target)) mappings.push(mapping)
  task.outputMappings = mappings
}
