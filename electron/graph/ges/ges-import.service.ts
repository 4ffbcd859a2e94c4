// Starting a GES import-graph: the request's files checked in the caller's upload folder (OBS
// paths `obs://bucket/key` are taken as `bucket/key` there), the graph checked, then a job of kind
// `import` whose one task is the GES converter (ges-import.executor.ts). The schema file is read and
// checked here too (in the graph request worker: a 4 MiB schema of 150,000 labels held the main
// thread 374 ms), so a label or property name the native schema API refuses is a 4xx naming it,
// before a job exists or the graph changes (the task checks it again: the file may change meanwhile).
import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import type { Engine } from '../../engine/engine'
import { newJobName } from '../../engine/job-name'
import { cutText } from '../../../shared/hidden-chars'
import type { JobRecord } from '../../store/job.repository'
import { assertGraphWriteRoom } from '../graph-room'
import { AppError, isAppError } from '../../../shared/errors'
import { graphError } from '../errors'
import { checkGraphName } from '../store/names'
import { resolveUploadPath, uploadNameParts } from '../upload-paths'
import { requireFilesInFolder, requireImportFileCount } from '../import/import-files'
import type { GraphRights, GraphUser } from '../graph-rights'
import type { GraphHost } from '../worker/graph-host'
import { GES_IMPORT_EXECUTOR, type GesImportSpec } from './ges-import.executor'
import { GES_IMPORT_FIELDS, type GesImportFieldNames } from './ges-import-fields'

export { GES_IMPORT_FIELDS, type GesImportField, type GesImportFieldNames } from './ges-import-fields'

/** An import-graph request, field names neutral (the dialect maps v2's snake_case and v1.0's camelCase). */
export interface GesImportRequest {
  graph: string
  schemaPath?: string
  vertexsetPath?: string
  edgesetPath?: string
  vertexsetFormat?: string
  edgesetFormat?: string
  delimiter?: string
  /** The body's name of each field, for errors (GES_IMPORT_FIELDS of the client's version); v2's when not given. */
  names?: GesImportFieldNames
}

/** `obs://bucket/key` or `bucket/key` → the relative name in the upload folder. */
export const fromObsPath = (path: string): string => path.replace(/^obs:\/\//i, '')

export interface GesImportDeps {
  dataDir: string
  engine: Engine
  host: Pick<GraphHost, 'request'>
  /** Owner-or-admin writes: only they import into a graph. */
  rights: Pick<GraphRights, 'requireWriter'>
}

/**
 * Checks and submits the import as `actor`. Throws invalid_request naming the field, graph_not_found,
 * not_graph_owner, path_invalid (also "" and a folder as schema_path), path_escapes, file_not_found
 * (also a folder with no files), invalid_mapping (vertexset_path and edgeset_path stand for more than
 * MAX_IMPORT_FILES files), and invalid_schema or invalid_name
 * (field schema_path) for a schema file that is malformed or names a label or property wrongly,
 * disk_nearly_full (503) when the data folder's disk is down to its reserve (graph-room.ts).
 */
export async function startGesImport(deps: GesImportDeps, req: GesImportRequest, actor: GraphUser): Promise<JobRecord> {
  const user = actor.username
  const graph = checkGraphName(req.graph)
  await deps.rights.requireWriter(graph, actor)
  assertGraphWriteRoom(deps.dataDir) // before any file is looked at; the submit meets the reserve again (app.ts admit)
  // Each path is optional in GES (its job_detail shows `"vertexset_path": null`): absent or null is
  // "not given"; a given one is judged as the native and TuGraph imports judge theirs, "" refused
  // naming its field (path_invalid, "… is empty"), not taken for "not given".
  const path = (value: string | undefined | null, field: string, what: 'file' | 'files'): string | undefined => {
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string') throw graphError('invalid_request', `${field} must be a path`, { field })
    // a path error names the request's field, not "path" (#9 gesreport LOW)
    const name = uploadNameParts(fromObsPath(value), { field }).join('/')
    // the schema is one file: a folder is refused as upload says it (it was a 500 from the schema reader)
    const file = resolveUploadPath(deps.dataDir, user, name, { mustExist: true, mustBeFile: what === 'file', field })
    if (what === 'files' && statSync(file).isDirectory()) requireFilesInFolder(file, name, field)
    return name
  }
  const names = req.names ?? GES_IMPORT_FIELDS.v2
  for (const [field, format] of [[names.vertexsetFormat, req.vertexsetFormat], [names.edgesetFormat, req.edgesetFormat]] as const) {
    // a string or nothing: String() of a JSON object or array threw (500) or passed (["csv"]) (#9 §6)
    if (format !== undefined && format !== null && (typeof format !== 'string' || format.toLowerCase() !== 'csv')) throw graphError('invalid_request', `${field} must be csv (the only format JobDesk reads)`, { field })
  }
  const delimiter = req.delimiter ?? ','
  if (typeof delimiter !== 'string' || delimiter === '' || /[\r\n"]/.test(delimiter)) throw graphError('invalid_request', 'delimiter must be a non-empty string without line breaks or quotes', { field: 'delimiter' })
  const schemaPath = path(req.schemaPath, names.schemaPath, 'file')
  const vertexPath = path(req.vertexsetPath, names.vertexsetPath, 'files')
  const edgePath = path(req.edgesetPath, names.edgesetPath, 'files')
  if (!vertexPath && !edgePath) throw graphError('invalid_request', `give ${names.vertexsetPath}, ${names.edgesetPath} or both`, { field: names.edgesetPath })
  // one import reads at most MAX_IMPORT_FILES files, as the native import (the task counts again: a folder may grow)
  const sources = [[vertexPath, names.vertexsetPath], [edgePath, names.edgesetPath]].filter((s): s is [string, string] => s[0] !== undefined)
  requireImportFileCount(deps.dataDir, user, sources.map(([p]) => ({ path: p })), { field: (i) => sources[i][1] })
  if (schemaPath) {
    const file = resolveUploadPath(deps.dataDir, user, schemaPath, { mustExist: true, mustBeFile: true, field: names.schemaPath })
    // the schema reader (ges-schema.ts) names schema_path, v2's word: the client's is named instead
    await deps.host.request('ges.schema', { file, path: schemaPath }, { user }).catch((e: unknown) => {
      throw isAppError(e) && e.field === GES_IMPORT_FIELDS.v2.schemaPath ? new AppError(e.kind, e.code, e.message, { field: names.schemaPath }) : e
    })
  }
  await deps.host.request('graphs.summary', { graph }, { user })
  const spec: GesImportSpec = { graph, user, schemaPath, vertexPaths: vertexPath ? [vertexPath] : [], edgePaths: edgePath ? [edgePath] : [], delimiter, names }
  const paths = [schemaPath, vertexPath, edgePath].filter(Boolean).join(', ')
  const { names: _names, ...input } = req // the request as it was stored before field names came with it
  return deps.engine.submit(
    { uuid: randomUUID().replace(/-/g, ''), kind: 'import', name: newJobName(undefined, () => cutText(`ImportGraph into ${graph}: ${paths}`, 200)), submitter: user, input, labels: { graph, dialect: 'ges' } },
    [{ name: 'import', executor: GES_IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 }],
  )
}
