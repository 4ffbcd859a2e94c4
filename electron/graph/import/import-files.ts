import { opendirSync, readdirSync, statSync } from 'node:fs'
import type { FileMapping } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { graphError } from '../errors'
import { resolveUploadPath } from '../upload-paths'
import { MAX_IMPORT_FILES } from './mapping'

/**
 * Throws invalid_mapping (field `files[i].path`, the mapping that passes the bound) when `mappings`
 * stand for more than MAX_IMPORT_FILES files, a folder counting each regular file in it: the bound
 * the mappings' own count has, after folders are opened. Resolving a file costs ~70 µs of the main
 * thread (its real path is checked), and 1,000 mappings of a folder of 1,000 files held it 70.8 s
 * at one submit (#9 atk2). Reads at most MAX_IMPORT_FILES + 1 folder entries in all and resolves no
 * file; a path that does not resolve counts one (the other checks report it).
 */
export function requireImportFileCount(dataDir: string, user: string, mappings: readonly FileMapping[]): void {
  let count = 0
  for (const [i, mapping] of mappings.entries()) {
    let path: string
    try {
      path = resolveUploadPath(dataDir, user, mapping.path)
    } catch (e) {
      if (!isAppError(e)) throw e
      count++
      continue
    }
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) count++
    else {
      const dir = opendirSync(path)
      try {
        for (let e = dir.readSync(); e !== null && count <= MAX_IMPORT_FILES; e = dir.readSync()) if (e.isFile()) count++
      } finally {
        dir.closeSync()
      }
    }
    if (count > MAX_IMPORT_FILES) {
      throw graphError('invalid_mapping', `the files' mappings stand for more than ${MAX_IMPORT_FILES} files by files[${i}] (${mapping.path}${count > i + 1 ? ', a folder counting each file in it' : ''}); one import takes at most ${MAX_IMPORT_FILES}: import them in several tasks`, { field: `files[${i}].path` })
    }
  }
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
    if (names.length === 0) throw graphError('file_not_found', `${folder}/ is a folder with no files in it (files in its sub-folders are not read): nothing to import; upload files into it or remove its mapping`, { field: 'path' })
    return names
      .sort()
      .map((name) => {
        const path = `${folder}/${name}`
        return { mapping: { ...mapping, path }, file: resolveUploadPath(dataDir, user, path, { field }) }
      })
  })
}
