// import_schema, import_data and import_progress (reference/tugraph.md §1.7–§1.9) on the graph
// service. Imports are JobDesk jobs of kind `import`: the task id is the job's uuid, so the same
// import shows on the Jobs page and can be cancelled through the native API.

import type { Actor } from '../../../services/access'
import type { GraphService } from '../../../graph/graph.service'
import { isAppError } from '../../../../shared/errors'
import { TuGraphError, notSpecified } from './envelope'
import { progressData } from './mappers'
import { objectOrJsonText, optionalBoolean, optionalInteger, optionalText, requiredString, type Body } from './request'

/** import_schema: `description` (TuGraph's code) or `schema` (its docs), an object or its JSON text. Creates what is missing; data "". */
export async function importSchema(graph: GraphService, actor: Actor, body: Body): Promise<void> {
  const name = requiredString(body, 'graph')
  const field = body.description !== undefined && body.description !== null ? 'description' : body.schema !== undefined && body.schema !== null ? 'schema' : undefined
  if (!field) throw notSpecified('description')
  const description = objectOrJsonText(body, field)
  await graph.graphSummary(name, { user: actor.username }) // "Graph [x] does not exist." before anything else
  await graph.importSchema(name, description, actor)
}

/**
 * import_data: starts the import of `schema.files` (paths in the caller's upload folder) and answers
 * the task id at once; the files are checked when the task runs, whose failure import_progress
 * reports (as TuGraph does), but a path the upload folder cannot hold (absolute, `..`, through a file,
 * a link out, NUL, too long) is refused now, "400" naming `schema.files[i].path`. flag "1" deletes the files once the import succeeded. An existing
 * `taskId` resumes that import after its committed packages.
 */
export async function importData(graph: GraphService, actor: Actor, body: Body): Promise<{ taskId: string; jobId: number }> {
  const name = requiredString(body, 'graph')
  if (body.schema === undefined || body.schema === null) throw notSpecified('schema')
  const schema = objectOrJsonText(body, 'schema')
  if (schema.files === undefined || schema.files === null) throw notSpecified('schema.files')
  const delimiter = requiredString(body, 'delimiter')
  const continueOnError = optionalBoolean(body, 'continueOnError') ?? false
  const skipPackages = optionalInteger(body, 'skipPackages') ?? 0
  if (skipPackages < 0) throw new TuGraphError('`skipPackages` must not be negative')
  const taskId = optionalText(body, 'taskId')
  const flag = optionalInteger(body, 'flag')
  await graph.graphSummary(name, { user: actor.username })
  return graph
    .startImport(
      { graph: name, files: schema.files, delimiter, continueOnError, skipPackages, deleteFiles: flag === 1 },
      actor,
      { taskId: taskId === '' ? undefined : taskId, deferChecks: true, pathField: (i) => `schema.files[${i}].path`, filesField: 'schema.files' },
    )
    .catch((e: unknown) => {
      // the envelope has no field slot and the graph's texts go out whole (toTuGraph): a path's says which file
      if (isAppError(e) && PATH_CODES.has(e.code) && e.field && !e.message.includes(e.field)) throw new TuGraphError(`${e.message} (${e.field})`)
      throw e
    })
}

/** The path check's refusals (upload-paths.ts resolveUploadPath). */
const PATH_CODES = new Set(['path_invalid', 'path_escapes'])

/** import_progress: TuGraph's state and progress, plus JobDesk's counts and failed lines (mappers.ts). The caller's imports only, or any for an admin. */
export async function importProgress(graph: GraphService, actor: Actor, body: Body): Promise<Record<string, unknown>> {
  const taskId = optionalText(body, 'taskId')
  if (taskId === undefined) throw notSpecified('taskId')
  return progressData(await graph.importStatus(taskId, actor))
}
