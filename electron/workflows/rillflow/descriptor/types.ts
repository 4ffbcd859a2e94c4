// The Rill Flow DAG descriptor as JobDesk holds it after parsing (rillflow.md §1).
// Field names are upstream's JSON names so a parsed DAG serialises back to a descriptor
// upstream would accept; string-typed upstream fields stay strings here (timeline values,
// version, maxConcurrency) even when the YAML wrote a number.

export const DAG_TYPES = ['flow', 'resource'] as const
export type DagType = (typeof DAG_TYPES)[number]

// The categories live in shared/ so the renderer's palette offers exactly what the parser reads.
export { TASK_CATEGORIES, type TaskCategory } from '../../../../shared/workflows'

export const FUNCTION_PATTERNS = ['task_sync', 'task_async', 'task_scheduler', 'flow_sync', 'flow_async'] as const
export type FunctionPattern = (typeof FUNCTION_PATTERNS)[number]

export const TASK_IO_TYPES = ['block', 'stream'] as const
export type TaskIoType = (typeof TASK_IO_TYPES)[number]

/** Mapping.java: a JSONPath (or constant) source copied to a JSONPath target. */
export interface Mapping {
  source?: string
  target?: string
  /** Aviator script run with `source` bound; its result replaces the value. */
  transform?: string
  /** `false` makes a failing rule fail the task; absent/true swallows the error. */
  tolerance?: boolean
  /** Name of a `commonMapping` list that replaces this rule at submit time. */
  reference?: string
  /** Used by `progress.args`: the variable the evaluated source is bound to. */
  variable?: string
}

/** Timeline.java: every value is a string upstream. */
export interface Timeline {
  timeoutInSeconds?: string
  skipOnTimeout?: string
  suspenseIntervalSeconds?: string
  suspenseTimestamp?: string
}

export interface Progress {
  weight?: number
  calculation?: string
  args?: Mapping[]
}

export interface Degrade {
  followings?: boolean
  current?: boolean
}

/** Retry.java; note the key is `intervalInSeconds`. */
export interface Retry {
  intervalInSeconds?: number
  maxRetryTimes?: number
  multiplier?: number
  conditions?: string[]
}

/** BaseResource.java: a named resource (top-level `resources`) or an inline function resource. */
export interface BaseResource {
  name?: string
  category?: string
  inputMappings?: Mapping[]
}

/** CallbackConfig: the DAG-finished callback. */
export interface CallbackConfig {
  resourceName?: string
  fullDAGInfo?: boolean
  fullContext?: boolean
  inputMappings?: Mapping[]
}

/** BaseTask.java fields shared by every category. */
export interface TaskCommon {
  name: string
  title?: string
  description?: string
  /** Comma-separated names of tasks of the same level that run after this one. */
  next?: string
  tolerance?: boolean
  inputMappings?: Mapping[]
  outputMappings?: Mapping[]
  progress?: Progress
  degrade?: Degrade
  timeline?: Timeline
  /** Upstream's JSON creators name it `isKeyCallback`; both spellings are read. */
  keyCallback?: boolean
  keyExp?: string
  parameters?: Record<string, unknown>
  templateId?: string
  outputSchema?: string
  /** `input` shorthand: key → `$.task.path` string or a full Mapping object (§1.4). */
  input?: Record<string, unknown>
  inputType?: TaskIoType
  outputType?: TaskIoType
}

export interface FunctionTask extends TaskCommon {
  category: 'function'
  resourceName?: string
  resourceProtocol?: string
  resource?: BaseResource
  requestType?: string
  pattern: FunctionPattern
  successConditions?: string[]
  failConditions?: string[]
  retry?: Retry
}

export interface Choice {
  condition?: string
  tasks: Task[]
}

export interface ChoiceTask extends TaskCommon {
  category: 'choice'
  choices: Choice[]
}

export interface IterationMapping {
  collection: string
  item?: string
  index?: string
  identity?: string
}

export interface Synchronization {
  conditions?: string[]
  maxConcurrency?: string
}

export interface ForeachTask extends TaskCommon {
  category: 'foreach'
  iterationMapping: IterationMapping
  synchronization?: Synchronization
  /** The sub-DAG run once per item. */
  tasks: Task[]
}

export interface PassTask extends TaskCommon {
  category: 'pass'
}

export interface ReturnTask extends TaskCommon {
  category: 'return'
  conditions?: string[]
}

export interface SuspenseTask extends TaskCommon {
  category: 'suspense'
  conditions?: string[]
  interruptions?: string[]
}

export interface Switch {
  condition?: string
  next?: string
  break?: boolean
}

/** `next` is derived: the comma-join of the switches' `next` (SwitchTask.java). */
export interface SwitchTask extends TaskCommon {
  category: 'switch'
  switches: Switch[]
}

export type Task = FunctionTask | ChoiceTask | ForeachTask | PassTask | ReturnTask | SuspenseTask | SwitchTask

/**
 * DAG.java after alias resolution: `namespace` → workspace, `service` → dagName,
 * `callback_config`/`callbackConfig` → callback. The DAG-level timeline key is `timer`.
 */
export interface Dag {
  version?: string
  workspace: string
  dagName: string
  type: DagType
  timer?: Timeline
  /** Empty only for `type: resource` DAGs. */
  tasks: Task[]
  resources?: BaseResource[]
  callback?: CallbackConfig
  defaultContext?: Record<string, string>
  commonMapping?: Record<string, Mapping[]>
  /** JSON-encoded array describing the submit form. */
  inputSchema?: string
  output?: Record<string, unknown>
  /** Read by the descriptor service (which alias to point at the new version), not by the engine. */
  alias?: string
  /** Set by rewriteInputShorthand when it appended the synthetic end task. */
  endTaskName?: string
}
