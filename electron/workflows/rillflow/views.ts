// Renderer-facing views of descriptors and executions (shared/workflows.ts).

import { checkJsonShape } from '../../../shared/json-limits'
import { servedAttempts } from '../../../shared/task-attempts'
import type { DescriptorProblem, ExecutionView, ValidationResult, WorkflowDetail } from '../../../shared/workflows'
import type { WorkflowRecord } from '../../store/workflow.repository'
import type { Store } from '../../store'
import { DescriptorError, descriptorLines, formatDescriptorId, parseDescriptor, type Dag } from './descriptor'
import { formatField } from './descriptor/error'
import type { YamlPath } from './descriptor/lines'
import { allTasks } from './descriptor/walk'
import { graphOf } from './graph'
import { groupOutcomes, itemProgress } from './runtime/group-progress'
import { routeOf, specOf } from './runtime/task-specs'
import { groupMembers, type Execution } from './service'
import { unmatchedSources } from './unmatched-sources'

function inputSchemaOf(dag: Dag): ValidationResult['inputSchema'] {
  if (!dag.inputSchema) return undefined
  try {
    checkJsonShape(dag.inputSchema, 'inputSchema') // the descriptor's text: too deep or too many lists reads as no schema, as bad JSON does
    const fields: unknown = JSON.parse(dag.inputSchema)
    return Array.isArray(fields) ? (fields as NonNullable<ValidationResult['inputSchema']>).filter((f) => typeof f?.name === 'string') : undefined
  } catch {
    return undefined
  }
}

/** Parses and validates without storing: the editor's inline errors and the drawn DAG. */
/**
 * The editor's check of descriptor text: its problem (line, field) when invalid; when valid, its
 * graph and its warnings (descriptorWarnings): with `subflowMissing` (service.ts subflowTargetMissing)
 * for sub-flow tasks whose `rillflow://` target names no stored workflow, alias or version yet (a
 * target naming the workflow itself is not: saving stores it).
 */
export function validateText(text: string, subflowMissing?: (target: string) => string | null): ValidationResult {
  try {
    const dag = parseDescriptor(text)
    const inputSchema = inputSchemaOf(dag)
    const warnings = descriptorWarnings(text, dag, inputSchema, subflowMissing)
    return {
      ok: true,
      workspace: dag.workspace,
      dagName: dag.dagName,
      nodes: graphOf(dag.tasks),
      inputSchema,
      ...(warnings.length ? { warnings } : {}),
    }
  } catch (e) {
    if (!(e instanceof DescriptorError)) throw e
    return { ok: false, problem: { message: e.message, line: e.details.line, field: e.details.field } }
  }
}

/** An output mapping's source under `$.input`: Rill Flow runs output mappings on `{context, input: {}, output}`. */
const INPUT_SOURCE = /^\$\.input(?:$|[.[])/

/**
 * What a valid descriptor does that its writer likely did not mean, in document order, each naming its
 * task, field and line (`{message, field, line}`): an output mapping reading `$.input…`, which is empty
 * there (Rill Flow's FunctionTaskRunner and PassTaskRunner apply output mappings to `{context, input: {},
 * output}`, runtime/context.ts too: the rule writes nothing), with `missing`, a sub-flow task whose
 * target is not stored yet, and a mapping whose source matches nothing (unmatchedSources: the run's
 * context read from `schema`, the inputSchema's fields). Ordered by line, those on one line in that order.
 */
function descriptorWarnings(text: string, dag: Dag, schema: ValidationResult['inputSchema'], missing?: (target: string) => string | null): DescriptorProblem[] {
  const self = `${dag.workspace}:${dag.dagName}`
  const found: { field: YamlPath; message: string }[] = []
  for (const ref of allTasks(dag.tasks)) {
    const task = ref.task
    for (const [i, rule] of (task.outputMappings ?? []).entries()) {
      if (typeof rule.source !== 'string' || !INPUT_SOURCE.test(rule.source)) continue
      const message = `task ${task.name}: outputMappings[${i}] reads ${rule.source}, which is always empty there: output mappings read the task's output ($.output…) and the context ($.context…); read its input in inputMappings`
      found.push({ field: [...ref.path, 'outputMappings', i, 'source'], message })
    }
    if (!missing || task.category !== 'function' || (task.pattern !== 'flow_sync' && task.pattern !== 'flow_async')) continue
    const target = /^rillflow:\/\/(.+)$/.exec(task.resourceName ?? '')?.[1]
    if (!target || target === self || target.startsWith(`${self}:`)) continue
    const why = missing(target)
    if (why) found.push({ field: [...ref.path, 'resourceName'], message: `task ${task.name}: its sub-flow’s ${why} (yet); a run of the task needs it` })
  }
  found.push(...unmatchedSources(dag, schema?.map((f) => f.name)))
  if (!found.length) return []
  const lines = descriptorLines(text) // parsed again only when there is something to point at
  const problems: DescriptorProblem[] = found.map(({ field, message }) => {
    const line = lines.lineOf(field)
    return { message, field: formatField(field), ...(line !== undefined ? { line } : {}) }
  })
  return problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)) // stable: one line's in the order found

}

export function workflowDetail(store: Store, wf: WorkflowRecord): WorkflowDetail {
  const dag = wf.parsed as Dag
  return {
    workspace: wf.workspace,
    name: wf.name,
    version: wf.version,
    descriptorId: formatDescriptorId(wf.workspace, wf.name, wf.version),
    source: wf.source,
    aliases: store.workflows.aliases(wf.workspace, wf.name),
    versions: store.workflows.versions(wf.workspace, wf.name),
    nodes: graphOf(dag.tasks),
    inputSchema: inputSchemaOf(dag),
  }
}

export function executionView(ex: Execution): ExecutionView {
  const members = groupMembers(ex)
  return {
    jobId: ex.job.id,
    executionId: ex.job.labels.executionId,
    descriptorId: ex.job.labels.descriptorId,
    status: ex.job.status,
    // the engine's figure (its driver's: by weights and items, as get.json's `process`), the one the Jobs page shows
    progress: ex.job.progress,
    error: ex.job.error,
    context: ex.job.context ?? {},
    tasks: ex.tasks.map((t) => {
      const { def } = specOf(t)
    const route = routeOf(t)
      const outcomes = groupOutcomes(t, ex.groups, members)
      const { attempt, try: tryNo, attempts } = servedAttempts(t)
      return {
        name: t.name,
        attempts,
        category: def.category,
        route,
        status: t.status,
        attempt,
        try: tryNo,
        input: t.input,
        output: t.output,
        error: t.error,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        ...(outcomes ? { items: itemProgress(outcomes) } : {}),
      }
    }),
  }
}

