// Builds typed tasks from the loaded YAML, one category at a time (the Jackson subtypes of
// ObjectMapperFactory). Only shape and JSON types are checked here; cross-task rules
// (names, next, cycles, resources, references) belong to validate.ts.

import { formatField, type Site } from './error'
import type { LineIndex, YamlPath } from './lines'
import {
  amountText,
  readDegrade,
  readMappings,
  readProgress,
  readResource,
  readRetry,
  readTaskInput,
  readTimeline,
} from './parts'
import { FieldReader, prune } from './reader'
import {
  FUNCTION_PATTERNS,
  TASK_CATEGORIES,
  TASK_IO_TYPES,
  type Choice,
  type Switch,
  type Task,
  type TaskCategory,
  type TaskCommon,
} from './types'

/** Read the task list under `key` of `r`; absent reads as an empty list. */
export function readTaskList(r: FieldReader, key: string, lines: LineIndex | undefined): Task[] {
  const fullPath = [...r.site.path, ...r.path(key)]
  return (r.list(key) ?? []).map((item, i) => readTask(item, [...fullPath, i], lines))
}

export function readTask(value: unknown, path: YamlPath, lines: LineIndex | undefined): Task {
  const named = FieldReader.of(value, { path, lines }, [], `task ${formatField(path)}`)
  const name = named.raw('name')
  // Until the name is known to be a string, errors name the task by its position.
  const site: Site = { path, lines, task: typeof name === 'string' ? name : formatField(path) }
  const r = FieldReader.of(value, site, [], 'a task')
  const category = readCategory(r)
  rejectMisplacedSubTasks(r, category)
  const common = readCommon(r)
  switch (category) {
    case 'function':
      return readFunction(r, common)
    case 'choice':
      return prune({ ...common, category, tolerance: undefined, choices: readChoices(r, lines) })
    case 'foreach':
      return readForeach(r, common, lines)
    case 'pass':
      return prune({ ...common, category, tolerance: undefined, timeline: withoutTimeout(common) })
    case 'return':
      return prune({ ...common, category, tolerance: undefined, timeline: withoutTimeout(common), conditions: r.strList('conditions') })
    case 'suspense':
      return prune({ ...common, category, conditions: r.strList('conditions'), interruptions: r.strList('interruptions') })
    case 'switch':
      return readSwitch(r, common)
  }
}

function readCategory(r: FieldReader): TaskCategory {
  const category = r.requiredStr('category', `field "category" is required (one of ${TASK_CATEGORIES.join(', ')})`)
  if ((TASK_CATEGORIES as readonly string[]).includes(category)) return category as TaskCategory
  return r.fail('category', `unknown category "${category}" (expected one of ${TASK_CATEGORIES.join(', ')})`)
}

/** Only choice (under choices[].tasks) and foreach (under tasks) carry sub-tasks. */
function rejectMisplacedSubTasks(r: FieldReader, category: TaskCategory): void {
  if (category !== 'foreach' && r.has('tasks')) {
    const where = category === 'choice' ? 'a choice lists its sub-tasks under choices[].tasks' : 'only choice and foreach tasks may contain sub-tasks'
    r.fail('tasks', where)
  }
  if (category !== 'choice' && r.has('choices')) r.fail('choices', 'only choice and foreach tasks may contain sub-tasks')
}

function readCommon(r: FieldReader): TaskCommon {
  return prune({
    name: r.requiredStr('name'),
    title: r.text('title'),
    description: r.text('description'),
    next: r.str('next'),
    tolerance: r.bool('tolerance'),
    inputMappings: readMappings(r, 'inputMappings'),
    outputMappings: readMappings(r, 'outputMappings'),
    progress: readProgress(r.object('progress')),
    degrade: readDegrade(r.object('degrade')),
    timeline: readTimeline(r.object('timeline')),
    keyCallback: r.bool('keyCallback') ?? r.bool('isKeyCallback'),
    keyExp: r.str('keyExp'),
    parameters: r.map('parameters'),
    templateId: r.text('templateId'),
    outputSchema: r.text('outputSchema'),
    input: readTaskInput(r),
    inputType: r.enumOf('inputType', TASK_IO_TYPES),
    outputType: r.enumOf('outputType', TASK_IO_TYPES),
  })
}

/** Pass and return tasks null out timeoutInSeconds upstream (they never wait). */
function withoutTimeout(common: TaskCommon): TaskCommon['timeline'] {
  if (!common.timeline) return undefined
  const { timeoutInSeconds: _dropped, ...rest } = common.timeline
  return Object.keys(rest).length > 0 ? rest : undefined
}

function readFunction(r: FieldReader, common: TaskCommon): Task {
  const pattern = r.enumOf('pattern', FUNCTION_PATTERNS)
  if (pattern === undefined) r.fail('pattern', `function requires a pattern (one of ${FUNCTION_PATTERNS.join(', ')})`)
  const resourceProtocol = r.str('resourceProtocol')
  const resource = r.object('resource')
  return prune({
    ...common,
    category: 'function',
    // FunctionTaskValidator: a bare protocol stands for `<protocol>://`.
    resourceName: r.str('resourceName') || (resourceProtocol ? `${resourceProtocol}://` : undefined),
    resourceProtocol,
    resource: resource ? readResource(resource) : undefined,
    requestType: r.str('requestType'),
    pattern,
    successConditions: r.strList('successConditions'),
    failConditions: r.strList('failConditions'),
    retry: readRetry(r.object('retry')),
  })
}

function readChoices(r: FieldReader, lines: LineIndex | undefined): Choice[] {
  const items = r.list('choices')
  if (!items) return r.fail('choices', 'choice requires a non-empty choices list')
  return items.map((item, i) => {
    const c = FieldReader.of(item, r.site, r.path('choices').concat(i), `choices[${i}]`)
    if (!c.has('tasks')) c.fail('tasks', `choices[${i}] requires a non-empty tasks list`)
    return prune({ condition: c.str('condition'), tasks: readTaskList(c, 'tasks', lines) })
  })
}

function readForeach(r: FieldReader, common: TaskCommon, lines: LineIndex | undefined): Task {
  const iteration = r.object('iterationMapping')
  if (!iteration) return r.fail('iterationMapping', 'foreach requires iterationMapping.collection')
  const sync = r.object('synchronization')
  if (!r.has('tasks')) r.fail('tasks', 'foreach requires a non-empty tasks list')
  return prune({
    ...common,
    tolerance: undefined,
    category: 'foreach',
    iterationMapping: prune({
      collection: iteration.requiredStr('collection', 'foreach requires iterationMapping.collection'),
      item: iteration.str('item'),
      index: iteration.str('index'),
      identity: iteration.str('identity'),
    }),
    synchronization: sync
      ? prune({ conditions: sync.strList('conditions'), maxConcurrency: amountText(sync, 'maxConcurrency', { min: 'positive', integer: true, path: true }) })
      : undefined,
    tasks: readTaskList(r, 'tasks', lines),
  })
}

/** SwitchTask ignores a written next/outputMappings: next is the join of the switches' next. */
function readSwitch(r: FieldReader, common: TaskCommon): Task {
  const items = r.list('switches')
  if (!items) return r.fail('switches', 'switch requires a non-empty switches list')
  const switches = items.map((item, i): Switch => {
    const s = FieldReader.of(item, r.site, r.path('switches').concat(i), `switches[${i}]`)
    return prune({ condition: s.str('condition'), next: s.str('next'), break: s.bool('break') })
  })
  const next = switches.flatMap((s) => (s.next ? [s.next] : [])).join(',')
  return prune({
    ...common,
    category: 'switch',
    tolerance: undefined,
    outputMappings: undefined,
    next: next === '' ? undefined : next,
    switches,
  })
}
