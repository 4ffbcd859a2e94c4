import { opendirSync, readdirSync, statSync } from 'node:fs'
import type { FileMapping } from '../../../shared/graph'
import { isAppError, type AppError } from '../../../shared/errors'
import { graphError } from '../errors'
import { resolveUploadPath } from '../upload-paths'
import { MAX_IMPORT_FILES } from './mapping'
import { NO_FILES_IN_FOLDER, quoteName } from '../../../shared/upload-names'

/**
 * The refusal of a folder with no regular file directly in it (file_not_found, field `field`): an
 * import of it would read nothing and "succeed" (last check). `folder` is the name the client gave.
 * The native import, TuGraph's import_data and GES import-graph refuse it in these words.
 */
export function noFilesInFolder(field: string, folder: string): AppError {
  const name = `${folder.replace(/[/\\]+$/, '')}/`
  return graphError('file_not_found', `${field} ${quoteName(name)} is ${NO_FILES_IN_FOLDER}: nothing to import; upload files into it or remove its mapping`, { field })
}

/**
 * Throws invalid_mapping (field `options.field(i)`, default `files[i].path`: the path that passes the
 * bound) when the `paths` stand for more than MAX_IMPORT_FILES files, a folder counting each regular
 * file in it: the bound the mappings' own count has, after folders are opened. Resolving a file costs
 * ~70 µs of the main thread (its real path is checked), and 1,000 mappings of a folder of 1,000 files
 * held it 70.8 s at one submit (#9 atk2). Reads at most MAX_IMPORT_FILES + 1 folder entries in all and
 * resolves no file; a path that does not resolve counts one (the other checks report it). The native
 * import passes its mappings, GES import-graph its vertexset_path and edgeset_path.
 */
export function requireImportFileCount(dataDir: string, user: string, paths: readonly Pick<FileMapping, 'path'>[], options: { field?: (index: number) => string } = {}): void {
  const fieldOf = options.field ?? ((i: number) => `files[${i}].path`)
  let count = 0
  for (const [i, mapping] of paths.entries()) {
    let path: string
    try {
      path = resolveUploadPath(dataDir, user, mapping.path)
    } catch (e) {
      if (!isAppError(e)) throw e
      count++
      continue
    }
    const folder = statSync(path, { throwIfNoEntry: false })?.isDirectory() === true
    if (!folder) count++
    else {
      const dir = opendirSync(path)
      try {
        for (let e = dir.readSync(); e !== null && count <= MAX_IMPORT_FILES; e = dir.readSync()) if (e.isFile()) count++
      } finally {
        dir.closeSync()
      }
    }
    if (count > MAX_IMPORT_FILES) {
      const field = fieldOf(i)
      throw graphError('invalid_mapping', `${field} ${quoteName(mapping.path)}: with it the import's paths stand for more than ${MAX_IMPORT_FILES} files${folder ? ' (a folder counts each file in it)' : ''}; one import takes at most ${MAX_IMPORT_FILES}: import them in several tasks`, { field })
    }
  }
}

/**
 * Throws noFilesInFolder (file_not_found, naming `field`) unless the folder `file` (the resolved path
 * of the client's `name`) has a regular file directly in it; reads its entries only up to the first.
 */
export function requireFilesInFolder(file: string, name: string, field: string): void {
  const dir = opendirSync(file)
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) if (e.isFile()) return
  } finally {
    dir.closeSync()
  }
  throw noFilesInFolder(field, name)
}

/**
 * The files of an import, resolved in the user's upload folder. A mapping whose path is a folder
 * stands for every regular file in it, by name (TuGraph's ParseFiles does the same); each becomes
 * a mapping of its own. Throws path_invalid, path_escapes, file_not_found for a folder with no files
 * directly in it (whatever `mustExist` says), and with `mustExist` file_not_found for a missing path.
 * It does not bound how many: callers pass every mapping of the request to requireImportFileCount
 * first, once (a request's files were counted three times at one submit), then resolve them all or
 * mapping by mapping. Errors name `options.field(i)` for `mappings[i]` (default `files[i].path`; a
 * caller resolving one mapping of a request, or speaking another protocol, says which field it was).
 */
export function resolveImportFiles(dataDir: string, user: string, mappings: FileMapping[], options: { mustExist?: boolean; field?: (index: number) => string } = {}): { mapping: FileMapping; file: string }[] {
  const fieldOf = options.field ?? ((i: number) => `files[${i}].path`)
  return mappings.flatMap((mapping, i) => {
    const field = fieldOf(i)
    const file = resolveUploadPath(dataDir, user, mapping.path, { mustExist: options.mustExist, field })
    const stat = statSync(file, { throwIfNoEntry: false })
    if (!stat?.isDirectory()) return [{ mapping, file }]
    const folder = mapping.path.replace(/[/\\]+$/, '')
    const names = readdirSync(file, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
    // refused as a missing file is, at Check and at start (and at run, emptied since): it read nothing and "succeeded" (last check)
    if (names.length === 0) throw noFilesInFolder(field, folder)
    return names
      .sort()
      .map((name) => {
        const path = `${folder}/${name}`
        return { mapping: { ...mapping, path }, file: resolveUploadPath(dataDir, user, path, { field }) }
      })
  })
}
