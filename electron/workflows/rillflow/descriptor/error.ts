// The one error type of descriptor parsing and validation. Messages read like
// `task "b": next "zz" is not a task of this level (line 12)`; the same facts are in
// `details` for callers that render their own message (an HTTP dialect, the editor).

import { AppError } from '../../../../shared/errors'
import type { LineIndex, YamlPath } from './lines'

export interface DescriptorErrorDetails {
  /** Task name (or `tasks[1]` when the task has no usable name). */
  task?: string
  /** Field inside the task (or the DAG), e.g. `next`, `retry.maxRetryTimes`, `inputMappings[0].reference`. */
  field?: string
  /** 1-based line in the descriptor text, when known. */
  line?: number
}

export class DescriptorError extends Error {
  constructor(
    message: string,
    readonly details: DescriptorErrorDetails
  ) {
    super(message)
    this.name = 'DescriptorError'
  }
}

/** A bad descriptor as the error every transport answers: invalid `bad_descriptor`, with its field and line. */
export const badDescriptor = (e: DescriptorError): AppError => new AppError('invalid', 'bad_descriptor', e.message, { field: e.details.field, line: e.details.line })

/** Where a check is looking: a task (or the DAG root) and the YAML path of that object. */
export interface Site {
  path: YamlPath
  /** Label of the enclosing task; absent at DAG level. */
  task?: string
  lines?: LineIndex
}

/**
 * Throw a DescriptorError for `reason`, located at `field` (a path relative to the site).
 * `bare` leaves out the `task "x": ` prefix for messages with a fixed upstream form.
 */
export function fail(site: Site, reason: string, field: YamlPath = [], bare = false): never {
  const line = site.lines?.lineOf([...site.path, ...field])
  const prefix = site.task === undefined || bare ? '' : `task "${site.task}": `
  const suffix = line === undefined ? '' : ` (line ${line})`
  const details: DescriptorErrorDetails = {}
  if (site.task !== undefined) details.task = site.task
  if (field.length > 0) details.field = formatField(field)
  if (line !== undefined) details.line = line
  throw new DescriptorError(`${prefix}${reason}${suffix}`, details)
}

/** ['retry', 'conditions', 0] → `retry.conditions[0]`. */
export function formatField(field: YamlPath): string {
  return field.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`
    return out === '' ? part : `${out}.${part}`
  }, '')
}
