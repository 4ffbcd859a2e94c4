import { readdirSync, statSync } from 'node:fs'
import type { FileMapping } from '../../../shared/graph'
import { resolveUploadPath } from '../upload-paths'

/**
 * The files of an import, resolved in the user's upload folder. A mapping whose path is a folder
 * stands for every regular file in it, by name (TuGraph's ParseFiles does the same); each becomes
 * a mapping of its own. Throws path_invalid, path_escapes, and with `mustExist` file_not_found.
 */
export function resolveImportFiles(dataDir: string, user: string, mappings: FileMapping[], options: { mustExist?: boolean } = {}): { mapping: FileMapping; file: string }[] {
  return mappings.flatMap((mapping) => {
    const file = resolveUploadPath(dataDir, user, mapping.path, options)
    const stat = statSync(file, { throwIfNoEntry: false })
    if (!stat?.isDirectory()) return [{ mapping, file }]
    const folder = mapping.path.replace(/[/\\]+$/, '')
    return readdirSync(file, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort()
      .map((name) => {
        const path = `${folder}/${name}`
        return { mapping: { ...mapping, path }, file: resolveUploadPath(dataDir, user, path) }
      })
  })
}
