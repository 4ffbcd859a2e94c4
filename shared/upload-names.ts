// The rule for a client's name of a file in their upload folder, with no file system involved: what
// the server resolves (electron/graph/upload-paths.ts) and what validators check before anything is
// stored (a graph workflow's file input). It is the ONE place that words a bad name, so every route of
// every dialect refuses the same name with the same sentence, led by the route's own field (`path`,
// `File-Name`, `fileName`, …). A name is relative, may hold folders (`movie/raw/x.csv`, with `/` only),
// and never leaves the folder: no absolute or drive paths, no URLs, no `..`, no NUL, and no longer than file
// systems take. `\` is refused (#9 §6): taken as a separator, `p\last.csv` overwrote `p/last.csv`.
// A name being written (an upload) also holds no control or invisible character and is portable to
// every system the app ships for, Linux too, so a data folder moved to Windows stays sound: no name
// Windows reserves (`con.csv`), none of `< > : " | ? *` (`data.csv:ads` is an NTFS stream of
// data.csv), no trailing dot or space (Windows drops them: `a.csv.` is a.csv). Files an older version
// stored under such a name stay reachable to be listed, checked and deleted (resolveUploadPath
// refuses those names only when no such file exists; it also refuses a new name that differs from
// an existing one only in case or Unicode form: caseTwinMessage).

import { isWindowsDeviceName, WINDOWS_FORBIDDEN_CHAR, windowsTrimmed } from './file-names'
import { nameCharProblem } from './hidden-chars'

/** Longest folder or file name (bytes of UTF-8), as most file systems allow. */
export const MAX_NAME_BYTES = 255
/** Longest relative name in all (bytes), leaving room under PATH_MAX (4096) for the data folder. */
export const MAX_PATH_BYTES = 2048

/** Why a name is refused: `path_escapes` for one that leaves the folder, `path_invalid` otherwise. */
export interface UploadNameProblem {
  code: 'path_invalid' | 'path_escapes'
  /** A sentence led by the field's name, e.g. `path is empty: name a file in your upload folder`. */
  message: string
}

/** What parseUploadName finds: the parts, or the problem that refuses the name whatever exists. */
export type ParsedUploadName =
  | {
      parts: string[]
      /**
       * Set (only when not `writing`) for a name no upload may make now, a control or invisible
       * character or a part Windows cannot hold as itself: refused unless a file an older version stored under it exists.
       */
      unlessExists?: UploadNameProblem
    }
  | { problem: UploadNameProblem }

const WINDOWS_DEVICES = 'CON, CONIN$, CONOUT$, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, with or without an extension'

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length

/**
 * A file name in double quotes for a person to read, as typed: `C:\x` reads `"C:\x"` (JSON's quoting
 * made it `"C:\\x"`, every backslash of a Windows path doubled). A `"` is written `\"`, so a name
 * cannot close its quotes and go on as the sentence; control characters (C0, DEL, C1), line and
 * paragraph separators and bidi controls as escapes (`\u000a`, `\u202e`), so it can neither break the
 * sentence's line nor reorder what a person reads of it.
 */
export const quoteName = (name: string): string =>
  `"${name.replace(UNQUOTABLE, (c) => (c === '"' ? '\\"' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`

/**
 * Why one folder or file name of a path is not portable to Windows, as what follows the name in a
 * sentence ("… is a name Windows reserves …"), or null: a device name, a character Windows refuses,
 * a trailing dot or space.
 */
function partProblem(part: string): string | null {
  if (isWindowsDeviceName(part)) return `is a name Windows reserves (${WINDOWS_DEVICES}): choose another name`
  const bad = WINDOWS_FORBIDDEN_CHAR.exec(part)
  if (bad) return `contains ${quoteName(bad[0])}, a character Windows does not allow in a file or folder name (< > : " | ? *): choose another name`
  if (windowsTrimmed(part) !== part) {
    const end = part.endsWith('.') ? '"."' : 'a space'
    return `ends with ${end}: Windows drops a name's trailing dots and spaces, so there it would be ${quoteName(windowsTrimmed(part))}; choose another name`
  }
  return null
}

/**
 * The sentence for a new file or folder whose name differs from an existing one only in case or in
 * Unicode form (composed or decomposed, which macOS takes for one, as it does case): `name`
 * the whole name asked for, `made` its part up to the new file or folder (`P` of `P/x.csv`), `twin`
 * the existing one's (`p`), both from the upload folder; `twinIsFolder` what the existing one is.
 */
export function caseTwinMessage(field: string, name: string, made: string, twin: string, twinIsFolder: boolean): string {
  const what = made === name ? 'would be a new file' : `would make a folder ${quoteName(made)}`
  const last = (path: string) => path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const why =
    last(made) === last(twin)
      ? 'Windows and macOS ignore case'
      : 'macOS takes the composed and decomposed Unicode forms of a name (é and e followed by ◌́) for one'
  return `${field} ${quoteName(name)} ${what} beside the ${twinIsFolder ? 'folder' : 'file'} ${quoteName(twin)}: ${why}, so there the two would be one; choose another name`
}

/** What quoteName escapes: `"`, \p{Cc} (C0, DEL, C1), \p{Zl} and \p{Zp} (U+2028/9), and the bidi controls. */
const UNQUOTABLE = /["\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu

/** The sentence for a file or folder name that is too long: one limit, one wording on every route. */
export const tooLongMessage = (field: string): string =>
  `${field} is too long: at most ${MAX_NAME_BYTES} bytes (UTF-8) per folder or file name and ${MAX_PATH_BYTES} in all`

/** The sentence for a name that is a folder where a file is wanted (upload, preview, check_file, delete). */
/**
 * What a folder with no regular file directly in it is ("<name> is …"): an import of it reads
 * nothing. The import's refusal (noFilesInFolder) and the Imports page's row for it say it alike.
 */
export const NO_FILES_IN_FOLDER = 'a folder with no files in it (files in its sub-folders are not read)'

export const folderNotFileMessage = (field: string, name: string): string => `${field} ${quoteName(name)} is a folder, not a file`

/** The sentence for a name with a file where a folder should be (`a.csv/x.csv`): `file` is that file's part of the name. */
export const throughFileMessage = (field: string, name: string, file: string): string =>
  `${field} ${quoteName(name)} goes through ${file}, which is a file, not a folder`

/** The sentence for a name no file has: every not-found of an upload says it so. */
export const notFoundMessage = (field: string, name: string): string => `${field} ${quoteName(name)} does not exist in your upload folder`

/**
 * The path parts of a client's file name (`.` parts and a leading `./` dropped), or the problem that
 * refuses it, worded with `field` (default `path`) leading. `writing`: the name is one a chunk is
 * written to, so a control or invisible character (nameCharProblem) or a part Windows cannot hold as
 * itself (partProblem: a device name as `con`, `nul.txt`, `com1`; one of `< > : " | ? *`; a trailing
 * dot or space) refuses it too; otherwise those come back as `unlessExists`. Never throws.
 */
export function parseUploadName(name: unknown, { writing = false, field = 'path' }: { writing?: boolean; field?: string } = {}): ParsedUploadName {
  const refuse = (code: UploadNameProblem['code'], message: string) => ({ problem: { code, message } })
  if (typeof name !== 'string') return refuse('path_invalid', `${field} must be a string`)
  if (name.trim() === '') return refuse('path_invalid', `${field} is empty: name a file in your upload folder`)
  const q = quoteName(name)
  if (name.includes('\0')) return refuse('path_invalid', `${field} contains a NUL character`)
  const unified = name.replace(/\\/g, '/') // a Windows path is still absolute or climbing: said as that first
  // a URL (`file:///etc/passwd`, `https://…`) is no name in the folder: taken as one it became the
  // folders `file:`, `etc` and a job that failed later; a drive (`C:`, one letter) is worded below
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):\/\/|^(file):/i.exec(unified)
  if (scheme) return refuse('path_invalid', `${field} ${q} is a URL (${scheme[1] ?? scheme[2]}:); give a path relative to your upload folder`)
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) {
    return refuse('path_invalid', `${field} ${q} is an absolute path; give a path relative to your upload folder`)
  }
  const parts = unified.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) return refuse('path_escapes', `${field} ${q} leaves your upload folder ("..")`)
  // never a separator: `\` as one made `p\last.csv` overwrite `p/last.csv`; as a character Windows cannot store it
  if (name.includes('\\')) return refuse('path_invalid', `${field} contains a backslash (\\): use "/" between folders, as in ${unified}`)
  if (parts.length === 0) return refuse('path_invalid', `${field} ${q} names no file`)
  // what file systems take (NAME_MAX, and PATH_MAX with room for the folders above): the OS's own error would be no answer
  if (parts.some((p) => utf8Bytes(p) > MAX_NAME_BYTES) || utf8Bytes(unified) > MAX_PATH_BYTES) return refuse('path_invalid', tooLongMessage(field))
  const chars = nameCharProblem(name) // after the length limit: a long name is not read
  const bad = chars ? undefined : parts.map((part) => ({ part, why: partProblem(part) })).find((p) => p.why !== null)
  const later: UploadNameProblem | undefined = chars
    ? { code: 'path_invalid', message: `${field} ${chars}` }
    : bad
      ? { code: 'path_invalid', message: `${field} ${parts.length === 1 ? q : `${q} holds ${quoteName(bad.part)}, which`} ${bad.why}` }
      : undefined
  if (later && writing) return { problem: later }
  return later ? { parts, unlessExists: later } : { parts }
}
