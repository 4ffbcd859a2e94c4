// The rule for a client's name of a file in their upload folder, with no file system involved: what
// the server resolves (electron/graph/upload-paths.ts) and what validators check before anything is
// stored (a graph workflow's file input). A name is relative, may hold folders (`movie/raw/x.csv`,
// `\` counts as `/` for Windows clients), and never leaves the folder: no absolute or drive paths,
// no `..`, no NUL, and no longer than file systems take. A name being written (an upload) also holds
// no control or invisible character (#9: like every other name made), while files an older version
// stored under such a name stay reachable to be listed, checked and deleted.

import { nameCharProblem } from './hidden-chars'

/** Longest folder or file name (bytes of UTF-8), as most file systems allow. */
export const MAX_NAME_BYTES = 255
/** Longest relative name in all (bytes), leaving room under PATH_MAX (4096) for the data folder. */
export const MAX_PATH_BYTES = 2048

/** Why a name is refused: `path_escapes` for one that leaves the folder, `path_invalid` otherwise. */
export interface UploadNameProblem {
  code: 'path_invalid' | 'path_escapes'
  message: string
}

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length

/**
 * The path parts of a client's file name (`.` parts and a leading `./` dropped), or the problem that
 * refuses it. `writing`: the name is one a chunk is written to, so a control or invisible character
 * in it is refused too (path_invalid, naming it: nameCharProblem). Never throws.
 */
export function parseUploadName(name: unknown, { writing = false }: { writing?: boolean } = {}): { parts: string[] } | { problem: UploadNameProblem } {
  const refuse = (code: UploadNameProblem['code'], message: string) => ({ problem: { code, message } })
  if (typeof name !== 'string' || name.trim() === '') return refuse('path_invalid', 'the file name is empty')
  if (name.includes('\0')) return refuse('path_invalid', 'the file name contains a NUL character')
  const unified = name.replace(/\\/g, '/')
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) {
    return refuse('path_invalid', `${JSON.stringify(name)} is an absolute path; give a path relative to your upload folder`)
  }
  const parts = unified.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) return refuse('path_escapes', `${JSON.stringify(name)} leaves your upload folder ("..")`)
  if (parts.length === 0) return refuse('path_invalid', `${JSON.stringify(name)} names no file`)
  // what file systems take (NAME_MAX, and PATH_MAX with room for the folders above): the OS's own error would be no answer
  if (parts.some((p) => utf8Bytes(p) > MAX_NAME_BYTES) || utf8Bytes(unified) > MAX_PATH_BYTES) {
    return refuse('path_invalid', `the file name is too long: at most ${MAX_NAME_BYTES} bytes per folder or file name, ${MAX_PATH_BYTES} in all`)
  }
  const chars = writing ? nameCharProblem(name) : null // after the length limit: a long name is not read
  if (chars) return refuse('path_invalid', `the file name ${chars}`)
  return { parts }
}
