// The files of a GES import-graph: vertexset_path and edgeset_path each name a file or a folder of
// files (its regular files, by name), in the user's upload folder. They are listed and resolved in
// the split's graph worker (graph-worker.ts, before ges-split.ts splits them), never on the main
// thread: 20,000 files in a folder took 7.4 s there (load 22). At most MAX_IMPORT_FILES in all, as
// for the native import: each file is an entry of the job's report.
import { opendirSync, statSync } from 'node:fs'
import { graphError } from '../errors'
import type { AppError } from '../../../shared/errors'
import { MAX_IMPORT_FILES } from '../import/mapping'
import { noFilesInFolder } from '../import/import-files'
import { resolveUploadPath } from '../upload-paths'
import type { GesSplitInput } from './ges-split'
import { GES_IMPORT_FIELDS, type GesImportFieldNames } from './ges-import-fields'
import { formatCount } from '../../../shared/number-format'

/** What the executor sends the split's worker: the split's input with the request's paths in place of the resolved files. */
export type GesSplitRequest = Omit<GesSplitInput, 'vertexFiles' | 'edgeFiles'> & {
  dataDir: string
  user: string
  /** Relative to the user's upload folder, as the request named them (vertexset_path, edgeset_path). */
  vertexPaths: string[]
  edgePaths: string[]
  /** The request's names of its fields, which errors name (GES_IMPORT_FIELDS: v1.0 vertexsetPath, v2 vertexset_path); v2's when absent. */
  names?: GesImportFieldNames
}

type SourceFile = GesSplitInput['vertexFiles'][number]

/**
 * The vertex and edge files of `req`: each path itself, or a folder's regular files sorted by name,
 * `path` as the user would name it and `file` resolved. Throws too_many_files (naming the field and
 * the path that goes past the cap) when they are more than MAX_IMPORT_FILES, having read a folder
 * only that far; file_not_found for a folder with no files in it (noFilesInFolder, as the submit
 * refuses it); or what resolveUploadPath throws (path_escapes, file_not_found, …).
 */
export function gesSourceFiles(req: Pick<GesSplitRequest, 'dataDir' | 'user' | 'vertexPaths' | 'edgePaths' | 'names'>): Pick<GesSplitInput, 'vertexFiles' | 'edgeFiles'> {
  let room = MAX_IMPORT_FILES
  const names = req.names ?? GES_IMPORT_FIELDS.v2
  const tooMany = (field: string, path: string) =>
    graphError('too_many_files', `${field} ${path}: the files of ${names.vertexsetPath} and ${names.edgesetPath} are more than ${formatCount(MAX_IMPORT_FILES)}, the most one import-graph reads; import them in several imports`, { field })
  const take = (paths: string[], field: string): SourceFile[] =>
    paths.flatMap((path) => {
      const files = expand(req.dataDir, req.user, path, room, field, tooMany)
      room -= files.length
      return files
    })
  return { vertexFiles: take(req.vertexPaths, names.vertexsetPath), edgeFiles: take(req.edgePaths, names.edgesetPath) }
}

/** The files `path` stands for, at most `room` of them (else `tooMany`, too_many_files). */
function expand(dataDir: string, user: string, path: string, room: number, field: string, tooMany: (field: string, path: string) => AppError): SourceFile[] {
  const file = resolveUploadPath(dataDir, user, path, { mustExist: true, field })
  if (!statSync(file).isDirectory()) {
    if (room < 1) throw tooMany(field, path)
    return [{ path, file }]
  }
  const folder = path.replace(/[/\\]+$/, '')
  const names: string[] = []
  const dir = opendirSync(file) // read entry by entry: a folder of a million files is refused at room + 1
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
      if (!e.isFile()) continue
      if (names.length >= room) throw tooMany(field, folder)
      names.push(e.name)
    }
  } finally {
    dir.closeSync()
  }
  if (names.length === 0) throw noFilesInFolder(field, folder) // emptied since the submit refused it so
  return names.sort().map((name) => {
    const named = `${folder}/${name}`
    return { path: named, file: resolveUploadPath(dataDir, user, named, { mustExist: true, field }) }
  })
}
