// Uploaded files, as TuGraph's upload_files, check_file and clear_cache handle them (reference/
// tugraph.md §1.4–§1.6, tugraph-db: src/http/http_server.cpp), on the one set of file operations
// (electron/graph/upload-files.ts) in `<data>/upload_files/<user>/`.

import type { Actor } from '../../../services/access'
import { deleteAllUploads, deleteFile, deleteUserFolder, fileMd5, fileSize, writeChunk } from '../../../graph/upload-files'
import { TuGraphError } from './envelope'
import { header, optionalInteger, optionalText, requiredInteger, requiredString, type Body } from './request'

const MISSING_HEADERS = 'request header should has a fileName, a beginPos and a size parameter'

/** A decimal header (Begin-Pos, Size): digits only, as TuGraph's std::stoul would want them whole. */
function decimalHeader(value: string, name: string): number {
  if (!/^\s*\d{1,16}\s*$/.test(value)) throw new TuGraphError(`${name} must be a whole number of bytes, not ${JSON.stringify(value.slice(0, 40))}`)
  return Number(value)
}

/**
 * The File-Name header as the client meant it: headers arrive as Latin-1, so UTF-8 names (which
 * TuGraph writes byte for byte) are decoded back; anything that is not valid UTF-8 stays as it came.
 */
function fileNameOf(value: string): string {
  const bytes = Buffer.from(value, 'latin1')
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value
}

/**
 * upload_files: the body (any content type, up to 16 MiB) is written at Begin-Pos of File-Name in
 * the caller's folder. Chunks come in order, as TuGraph's clients send them: one starting past the
 * file's end is refused (naming Begin-Pos; writeChunk). Errors in TuGraph's words where it has them.
 */
export async function uploadChunk(dataDir: string, actor: Actor, headers: Record<string, string | string[] | undefined>, body: unknown): Promise<void> {
  const name = header(headers, 'File-Name')
  const begin = header(headers, 'Begin-Pos')
  const size = header(headers, 'Size')
  if (name === undefined || begin === undefined || size === undefined) throw new TuGraphError(MISSING_HEADERS)
  const fileName = fileNameOf(name)
  const unified = fileName.replace(/\\/g, '/')
  // TuGraph's own text for an absolute name; an empty one is said to be empty by the shared rule (writeChunk)
  if (unified.trim() !== '' && (unified.startsWith('/') || /^[A-Za-z]:/.test(unified))) throw new TuGraphError('File-Name is not a relative path')
  // TuGraph refuses a name that starts with the user's own folder (it would nest it in itself)
  if (unified.split('/').filter((p) => p !== '' && p !== '.')[0] === actor.username) throw new TuGraphError('invalid fileName')
  const data = Buffer.isBuffer(body) ? body : Buffer.alloc(0)
  await writeChunk(dataDir, actor.username, fileName, decimalHeader(begin, 'Begin-Pos'), decimalHeader(size, 'Size'), data, { admin: actor.isAdmin, nameField: 'File-Name' })
}

/**
 * check_file: flag 1 compares the md5 with checkSum, flag 2 the size with fileSize; other flags
 * answer null. `signal` (the client hung up) stops the md5's read.
 */
export async function checkFile(dataDir: string, actor: Actor, body: Body, signal?: AbortSignal): Promise<{ pass: boolean } | null> {
  const fileName = requiredString(body, 'fileName')
  const flag = requiredInteger(body, 'flag')
  if (flag < 0) throw new TuGraphError(`\`flag\` must be 1 (md5) or 2 (size), not ${flag}`)
  if (flag === 1) {
    const checkSum = optionalText(body, 'checkSum')
    if (checkSum === undefined) throw new TuGraphError('`checkSum` is not specified.')
    return { pass: (await fileMd5(dataDir, actor.username, fileName, signal, 'fileName')) === checkSum.trim().toLowerCase() }
  }
  if (flag === 2) {
    const want = optionalInteger(body, 'fileSize')
    if (want === undefined) throw new TuGraphError('`fileSize` is not specified.')
    return { pass: (await fileSize(dataDir, actor.username, fileName, 'fileName')) === want }
  }
  return null
}

/**
 * clear_cache: flag 0 deletes the caller's file `fileName`; flag 1 the upload folder of `userName`
 * (the caller's own, or anyone's for an admin, as TuGraph's docs say); flag 2 every upload (admins).
 * Flags above 2 do nothing, as in TuGraph.
 */
export async function clearCache(dataDir: string, actor: Actor, body: Body): Promise<void> {
  const flag = requiredInteger(body, 'flag')
  if (flag < 0) throw new TuGraphError(`\`flag\` must be 0 (a file), 1 (a user's files) or 2 (all files), not ${flag}`)
  if (flag === 0) await deleteFile(dataDir, actor.username, requiredString(body, 'fileName'), 'fileName')
  else if (flag === 1) {
    const userName = requiredString(body, 'userName')
    if (userName !== actor.username && !actor.isAdmin) throw new TuGraphError(`${actor.username} is not admin user, can't remove other people's file directories`)
    await deleteUserFolder(dataDir, userName)
  } else if (flag === 2) {
    if (!actor.isAdmin) throw new TuGraphError(`${actor.username} is not admin user, can't remove all directories`)
    await deleteAllUploads(dataDir)
  }
}
