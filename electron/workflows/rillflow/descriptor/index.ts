// Entry point for Rill Flow descriptors: text → validated Dag, with every error carrying
// the task, field and YAML line. See types.ts for the model and
// rillflow.md §1 for the upstream behaviour mirrored here.

import { constructFromEvents, parseEvents, YAMLException } from 'js-yaml'
import { DescriptorError } from './error'
import { buildLineIndex, type LineIndex } from './lines'
import { checkDocumentSize, checkTextSize } from './limits'
import { normalizeDag } from './normalize'
import type { Dag } from './types'
import { rewriteInputShorthand } from './rewrite'
import { validateDag } from './validate'

export { badDescriptor, DescriptorError, type DescriptorErrorDetails } from './error'
export { DESCRIPTOR_LIMITS } from './limits'
export { callbackUrlProblem } from './callback-url'
export { LineIndex, type YamlPath } from './lines'
export { descriptorMd5, formatDescriptorId, parseDescriptorId, type DescriptorId } from './id'
export { rewriteInputShorthand } from './rewrite'
export { aliasProblem, END_TASK_NAME, NAME_MAX_LENGTH, NAME_PATTERN, TASK_MAX_DEPTH, validateDag } from './validate'
export type * from './types'

/**
 * YAML or JSON descriptor text → normalised, validated DAG (aliases resolved, switch `next`
 * derived). The `input`/`output` shorthand is left as written: apply rewriteInputShorthand
 * to get what add_descriptor stores.
 */
export function parseDescriptor(text: string): Dag {
  const { value, lines } = loadYaml(text)
  const dag = normalizeDag(value, lines)
  validateDag(dag, lines)
  return dag
}

/** What add_descriptor stores of a descriptor text: who it is, and its DAG (input shorthand rewritten) as JSON text. */
export interface StoredDescriptor {
  workspace: string
  dagName: string
  alias?: string
  /** JSON of the rewritten Dag: the workflow's stored parsed form. */
  json: string
}

/**
 * parseDescriptor, the input shorthand rewritten, as add_descriptor stores it. Plain data (it
 * crosses to the main thread from a worker). Throws DescriptorError as parseDescriptor does.
 */
export function parseForStorage(text: string): StoredDescriptor {
  const dag = rewriteInputShorthand(parseDescriptor(text))
  return { workspace: dag.workspace, dagName: dag.dagName, ...(dag.alias !== undefined ? { alias: dag.alias } : {}), json: JSON.stringify(dag) }
}

/** Line index of a descriptor text, for validateDag on a DAG parsed from it. */
export function descriptorLines(text: string): LineIndex {
  return loadYaml(text).lines
}

function loadYaml(text: string): { value: unknown; lines: LineIndex } {
  if (text.trim() === '') throw new DescriptorError('dag descriptor empty', {})
  checkTextSize(text)
  try {
    const events = parseEvents(text, {})
    checkDocumentSize(text, events) // before anything is built: aliases may expand a small text enormously
    const documents = constructFromEvents(events, { source: text })
    if (documents.length !== 1) {
      throw new DescriptorError(`a descriptor must be one YAML document, found ${documents.length}`, {})
    }
    return { value: documents[0], lines: buildLineIndex(text, events) }
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    const line = error.mark ? error.mark.line + 1 : undefined
    const where = line === undefined ? '' : ` (line ${line})`
    throw new DescriptorError(`invalid YAML: ${error.reason}${where}`, line === undefined ? {} : { line })
  }
}
