// Where uploaded files live and how a client's file name becomes a path: `<data>/upload_files/<user>/`,
// relative names may contain folders (`movie/raw_data/x.csv`), and a resolved path never leaves the
// user's folder: no absolute paths, no `..`, no symbolic link pointing out. TuGraph's upload_files,
// GES import paths and the Imports page all resolve names here.
import { existsSync, lstatSync, realpathSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { graphError } from './errors'

export const uploadsDir = (dataDir: string): string => join(dataDir, 'upload_files')

/** Longest folder or file name (bytes of UTF-8), as most file systems allow. */
export const MAX_NAME_BYTES = 255
/** Longest relative name in all (bytes), leaving room under PATH_MAX (4096) for the data folder. */
export const MAX_PATH_BYTES = 2048

/** A user's upload folder. User names that are not safe as one folder name are refused (path_invalid). */
export function userUploadDir(dataDir: string, user: string): string {
  if (!user || user === '.' || user === '..' || /[/\\\0]/.test(user) || /^[A-Za-z]:/.test(user)) {
    throw graphError('path_invalid', `user name ${JSON.stringify(user)} cannot name an upload folder`)
  }
  return join(uploadsDir(dataDir), user)
}

/**
 * The path parts of a client's file name: `\` counts as a separator (Windows clients), `.` parts and a
 * leading `./` are dropped. Throws path_invalid (empty, absolute, NUL) or path_escapes (`..`).
 */
export function uploadNameParts(name: unknown): string[] {
  if (typeof name !== 'string' || name.trim() === '') throw graphError('path_invalid', 'the file name is empty', { field: 'path' })
  if (name.includes('\0')) throw graphError('path_invalid', 'the file name contains a NUL character', { field: 'path' })
  const unified = name.replace(/\\/g, '/')
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) {
    throw graphError('path_invalid', `${JSON.stringify(name)} is an absolute path; give a path relative to your upload folder`, { field: 'path' })
  }
  const parts = unified.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) throw graphError('path_escapes', `${JSON.stringify(name)} leaves your upload folder ("..")`, { field: 'path' })
  if (parts.length === 0) throw graphError('path_invalid', `${JSON.stringify(name)} names no file`, { field: 'path' })
  // what file systems take (NAME_MAX, and PATH_MAX with room for the folders above): the OS's own error would be no answer
  if (parts.some((p) => Buffer.byteLength(p) > MAX_NAME_BYTES) || Buffer.byteLength(unified) > MAX_PATH_BYTES) {
    throw graphError('path_invalid', `the file name is too long: at most ${MAX_NAME_BYTES} bytes per folder or file name, ${MAX_PATH_BYTES} in all`, { field: 'path' })
  }
  return parts
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))
}

/**
 * Resolves a client's file name inside the user's upload folder. Every part of the path that exists
 * and is a symbolic link is followed: one that lands outside the folder (or nowhere) is path_escapes.
 * With `mustExist`, a missing file is file_not_found. Returns the absolute path in the folder.
 */
export function resolveUploadPath(dataDir: string, user: string, name: unknown, options: { mustExist?: boolean } = {}): string {
  const root = userUploadDir(dataDir, user)
  const parts = uploadNameParts(name)
  const path = join(root, ...parts)
  if (existsSync(root)) {
    const realRoot = realpathSync(root)
    let prefix = root
    for (const part of parts) {
      prefix = join(prefix, part)
      const stat = lstatSync(prefix, { throwIfNoEntry: false })
      if (!stat) break
      if (!stat.isSymbolicLink()) continue
      let target: string | null = null
      try {
        target = realpathSync(prefix)
      } catch {
        // a dangling link: writing through it would create a file wherever it points
      }
      if (target === null || !inside(realRoot, target)) {
        throw graphError('path_escapes', `${JSON.stringify(name)} resolves through a symbolic link outside your upload folder`, { field: 'path' })
      }
    }
  }
  if (options.mustExist && !existsSync(path)) throw graphError('file_not_found', `${parts.join('/')} does not exist in your upload folder`, { field: 'path' })
  return path
}
