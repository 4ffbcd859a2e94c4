// Where uploaded files live and how a client's file name becomes a path: `<data>/upload_files/<user>/`,
// relative names may contain folders (`movie/raw_data/x.csv`), and a resolved path never leaves the
// user's folder: no absolute paths, no `..`, no symbolic link pointing out. TuGraph's upload_files,
// GES import paths and the Imports page all resolve names here.
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { folderNameProblem } from '../../shared/file-names'
import { caseTwinMessage, folderNotFileMessage, notFoundMessage, parseUploadName, quoteName, throughFileMessage } from '../../shared/upload-names'
import type { AppError } from '../../shared/errors'
import { graphError } from './errors'

export const uploadsDir = (dataDir: string): string => join(dataDir, 'upload_files')

/**
 * A user's upload folder. User names that are not safe as one folder name are refused (path_invalid):
 * separators, drive prefixes, and names Windows or macOS would alias to another folder or to none
 * (shared/file-names.ts; an account made before user creation refused them, e.g. `alice.`, keeps
 * signing in but has no upload folder). Upper case too: accounts are lower case, and those systems
 * ignore case, so `Alice` would be alice's folder.
 */
export function userUploadDir(dataDir: string, user: string): string {
  if (!user || user === '.' || user === '..' || /[/\\\0]/.test(user) || /^[A-Za-z]:/.test(user)) {
    throw graphError('path_invalid', `user name ${JSON.stringify(user)} cannot name an upload folder`)
  }
  const alias = folderNameProblem(user) ?? (user !== user.toLowerCase() ? 'must be lower case: Windows and macOS ignore case' : null)
  if (alias) throw graphError('path_invalid', `user name ${JSON.stringify(user)} cannot name an upload folder: it ${alias}; an admin can make you an account with another name`)
  return join(uploadsDir(dataDir), user)
}

/** How a route names the file name it was given (`path`, TuGraph's `File-Name` or `fileName`, GES's `edgeset_path[0].path`). */
export interface UploadNameOptions {
  /**
   * A chunk goes to it: a control or invisible character or a part Windows cannot hold refuses it
   * outright, and so does a new name that differs from an existing one only in case.
   */
  writing?: boolean
  /** The request field that held the name: errors name it (default `path`). */
  field?: string
}

/**
 * The path parts of a client's file name (shared/upload-names.ts has the rule and the words): `.`
 * parts and a leading `./` are dropped. Throws path_invalid (not a string, empty, absolute, NUL, `\`,
 * too long; with `writing`, a control or invisible character or a part Windows cannot hold) or
 * path_escapes (`..`), naming `options.field` (default `path`).
 */
export function uploadNameParts(name: unknown, options: UploadNameOptions = {}): string[] {
  const parsed = parseUploadName(name, options)
  if ('problem' in parsed) throw graphError(parsed.problem.code, parsed.problem.message, { field: options.field ?? 'path' })
  return parsed.parts
}

/** The error refusing a name the caller already knows is refused (not a string): what uploadNameParts throws for it. */
export function uploadNameError(name: unknown, options: UploadNameOptions = {}): AppError {
  const parsed = parseUploadName(name, options)
  const problem = 'problem' in parsed ? parsed.problem : { code: 'path_invalid' as const, message: `${options.field ?? 'path'} is not a file name` }
  return graphError(problem.code, problem.message, { field: options.field ?? 'path' })
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))
}

/** What a name is to macOS (and, for case, Windows): case ignored, and so are Unicode forms (APFS and HFS+ take `café` as U+00E9 and as e + U+0301 for one). */
const twinKey = (name: string): string => name.normalize('NFC').toLowerCase()

/**
 * Throws path_invalid (caseTwinMessage) when writing `parts[i]` (at `path`, in the folder `dir`) would
 * make a name beside another that differs from it only in case or Unicode form (twinKey), one name on macOS (a Linux
 * data folder moved there), or would land in that other. `exists`: lstat found `path`. A name not there is looked for in a listing
 * of `dir` (once per new file: later chunks find it). A name found is compared with its stored
 * spelling (realpath), which on a file system that ignores case may be another's: `A.CSV` found as
 * `a.csv`, whose content a chunk would overwrite (and `replace` delete). Symbolic links are left to
 * the caller (their realpath is their target's).
 */
function refuseCaseTwin(parts: string[], i: number, dir: string, path: string, exists: boolean, field: string): void {
  const part = parts[i]
  let twin: string | undefined
  try {
    if (exists) {
      const stored = basename(realpathSync.native(path))
      // macOS's HFS+ stores names decomposed (NFD): the same name, not another
      if (stored.normalize('NFC') !== part.normalize('NFC')) twin = stored
    } else {
      twin = readdirSync(dir).find((entry) => entry !== part && twinKey(entry) === twinKey(part))
    }
  } catch {
    return // gone, or no folder to list (yet): nothing beside it
  }
  if (twin === undefined) return
  const made = parts.slice(0, i + 1).join('/')
  const twinName = [...parts.slice(0, i), twin].join('/')
  const twinIsFolder = statSync(join(dir, twin), { throwIfNoEntry: false })?.isDirectory() ?? false
  throw graphError('path_invalid', caseTwinMessage(field, parts.join('/'), made, twinName, twinIsFolder), { field })
}

/**
 * Resolves a client's file name inside the user's upload folder. Every part of the path that exists
 * and is a symbolic link is followed: one that lands outside the folder (or nowhere) is path_escapes.
 * A part with more after it that is a file (`a.csv/x.csv`) is path_invalid (throughFileMessage). With
 * `mustExist`, a missing file is file_not_found. With `mustBeFile` (a reader of one file), a folder is
 * path_invalid (folderNotFileMessage, as upload says), not an EISDIR when it is read. A name with a
 * control or invisible character or a part Windows cannot hold (parseUploadName) is path_invalid when
 * writing, and otherwise unless a file an older version stored under it exists (so it is refused alike
 * on every route, yet stays deletable). Writing, a new file or folder whose name differs from an
 * existing one's only in case is path_invalid too (caseTwinMessage). Errors name `options.field` (default
 * `path`). Returns the absolute path in the folder.
 */
export function resolveUploadPath(dataDir: string, user: string, name: unknown, options: UploadNameOptions & { mustExist?: boolean; mustBeFile?: boolean } = {}): string {
  const field = options.field ?? 'path'
  const root = userUploadDir(dataDir, user)
  const parsed = parseUploadName(name, options)
  if ('problem' in parsed) throw graphError(parsed.problem.code, parsed.problem.message, { field })
  const { parts } = parsed
  const path = join(root, ...parts)
  if (existsSync(root)) {
    const realRoot = realpathSync(root)
    let prefix = root
    for (const [i, part] of parts.entries()) {
      prefix = join(prefix, part)
      const stat = lstatSync(prefix, { throwIfNoEntry: false })
      if (options.writing && !stat?.isSymbolicLink()) refuseCaseTwin(parts, i, dirname(prefix), prefix, !!stat, field)
      if (!stat) break
      // a file with more parts after it: the next lstat would throw ENOTDIR (a 500 that said nothing)
      const throughFile = () => graphError('path_invalid', throughFileMessage(field, parts.join('/'), parts.slice(0, i + 1).join('/')), { field })
      const last = i === parts.length - 1
      if (!stat.isSymbolicLink()) {
        if (!last && !stat.isDirectory()) throw throughFile()
        continue
      }
      let target: string | null = null
      try {
        target = realpathSync(prefix)
      } catch {
        // a dangling link: writing through it would create a file wherever it points
      }
      if (target === null || !inside(realRoot, target)) {
        throw graphError('path_escapes', `${field} ${quoteName(String(name))} resolves through a symbolic link outside your upload folder`, { field })
      }
      if (!last && !statSync(prefix).isDirectory()) throw throughFile() // what the link points to
    }
  }
  const exists = existsSync(path)
  if (parsed.unlessExists && !exists) throw graphError(parsed.unlessExists.code, parsed.unlessExists.message, { field })
  if (options.mustExist && !exists) throw graphError('file_not_found', notFoundMessage(field, parts.join('/')), { field })
  if (options.mustBeFile && exists && statSync(path).isDirectory()) throw graphError('path_invalid', folderNotFileMessage(field, parts.join('/')), { field })
  return path
}
