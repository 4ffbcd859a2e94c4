// A user's uploaded files: chunked writes at an offset (TuGraph's upload_files; chunks may come in
// any order), size and md5 checks (check_file), deletes (clear_cache) and listings (the Imports
// page). Every name goes through resolveUploadPath, so nothing here reaches outside
// `<data>/upload_files/<user>/`. Writes are positioned and never truncate, as TuGraph's are: a client
// that re-uploads a shorter file clears it first.
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../shared/errors'
import { WORKER_THREADS, workerSlots } from '../worker-slots'
import { oneAnswer, startWorker } from '../worker-thread'
import { graphError } from './errors'
import type { FileMd5Input, FileMd5Message } from './file-md5-worker'
import { resolveUploadPath, uploadsDir, userUploadDir } from './upload-paths'
import { KeyedCounts } from '../keyed-counts'
import { assertUploadRoom } from '../services/quotas'
import { assertDiskRoom } from '../disk-reserve'
import { forgetUploads, measureUploads, noteGrowth, usedBytes } from './upload-usage'

/** Largest chunk one request may carry (TuGraph's clients send 1 MiB; some browsers 100 KiB). */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024
/**
 * Largest file a chunk may extend: 16 TiB, the largest file ext4 holds (with 4 KiB blocks), far
 * beyond any upload. A file system that holds less answers EFBIG, which writeChunk refuses the same way.
 */
export const MAX_FILE_BYTES = 2 ** 44

export interface UploadedFile {
  /** Relative to the user's upload folder, with `/` separators. */
  path: string
  bytes: number
  modifiedAt: number
}

/**
 * Writes `data` at byte `beginPos` of the user's file `name`, creating it and its folders as needed.
 * `size` is what the client said it sends: a body of another length is refused before anything is
 * written (TuGraph: "Size and content are not equal "). A chunk that would end past MAX_FILE_BYTES,
 * or past the largest file the disk holds (EFBIG), is refused naming `offsetField` (TuGraph's
 * Begin-Pos header; the native API's offset) and leaves no file behind that it created. A name with a
 * control or invisible character is refused (path_invalid: every dialect's upload comes here).
 * A chunk that would make the user's files take more than MAX_UPLOAD_BYTES_PER_USER in all is refused
 * (forbidden uploads_too_large, naming `o.sizeField`: TuGraph's Size header, the native API's data)
 * unless `o.admin`; any chunk that makes a file longer is refused (unavailable disk_nearly_full) while
 * the data folder's disk is down to its reserve (disk-reserve.ts). Throws invalid_request,
 * path_invalid, path_escapes, uploads_too_large, disk_nearly_full.
 */
export async function writeChunk(
  dataDir: string,
  user: string,
  name: unknown,
  beginPos: number,
  size: number,
  data: Buffer,
  o: { offsetField?: string; sizeField?: string; admin?: boolean } = {},
): Promise<string> {
  const offsetField = o.offsetField ?? 'Begin-Pos'
  if (!Number.isSafeInteger(beginPos) || beginPos < 0 || beginPos > MAX_FILE_BYTES) {
    throw graphError('invalid_request', `${offsetField} must be a whole number from 0 to ${MAX_FILE_BYTES}`, { field: offsetField })
  }
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_CHUNK_BYTES) {
    throw graphError('invalid_request', `Size must be a whole number from 0 to ${MAX_CHUNK_BYTES}`, { field: 'Size' })
  }
  if (data.length !== size) throw graphError('invalid_request', 'Size and content are not equal ', { field: 'Size' })
  const tooFar = () => graphError('invalid_request', `${offsetField} ${beginPos} with ${size} bytes goes past the largest file this disk holds`, { field: offsetField })
  if (beginPos + size > MAX_FILE_BYTES) throw tooFar()
  const path = resolveUploadPath(dataDir, user, name, { writing: true })
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) throw graphError('path_invalid', `${String(name)} is a folder`, { field: 'path' })
  const growth = Math.max(0, beginPos + size - (existing?.size ?? 0))
  if (growth > 0) assertDiskRoom(dataDir, 'uploads')
  if (!o.admin && growth > 0) {
    await measureUploads(dataDir, user)
    assertUploadRoom(usedBytes(dataDir, user), growth, o.sizeField ?? 'Size') // then counted at once: chunks sent together each see the others
    noteGrowth(dataDir, user, growth)
  }
  await mkdir(dirname(path), { recursive: true }) // after the checks: a refused chunk leaves no folder either
  // 'a+' would append; 'r+' needs the file: create it first without truncating what is there
  if (!existing) await (await open(path, 'a')).close()
  const file = await open(path, 'r+')
  let failure: NodeJS.ErrnoException | undefined
  try {
    let written = 0
    while (written < data.length) {
      const { bytesWritten } = await file.write(data, written, data.length - written, beginPos + written)
      written += bytesWritten
    }
  } catch (e) {
    failure = e as NodeJS.ErrnoException
  } finally {
    await file.close()
  }
  if (failure?.code === 'EFBIG') {
    if (!existing) await rm(path, { force: true })
    throw tooFar()
  }
  if (failure) throw failure
  return path
}

/** The size of the user's file (file_not_found when it is missing or a folder). */
export async function fileSize(dataDir: string, user: string, name: unknown): Promise<number> {
  const s = await stat(resolveUploadPath(dataDir, user, name, { mustExist: true }))
  if (!s.isFile()) throw graphError('file_not_found', `${String(name)} is not a file`, { field: 'path' })
  return s.size
}

/**
 * The largest file fileMd5 hashes: 64 GiB, about two minutes of a core. A file may be up to
 * MAX_FILE_BYTES and cost no disk (a chunk written far out leaves a hole): hashing 4 TiB of one would
 * hold a hashing thread for hours.
 */
export const MAX_MD5_BYTES = 64 * 2 ** 30

/** Hashes running at once, and waiting their turn: more are refused (busy) rather than queued without end. */
const md5Slots = workerSlots({
  running: WORKER_THREADS,
  waiting: 8,
  code: 'too_many_checks',
  busy: `${WORKER_THREADS + 8} md5 checks of uploaded files are already running or waiting: try again in a moment`,
})

/** md5 checks one user may have running or waiting at once: one user's flood does not take every slot from the others. */
export const MD5_CHECKS_PER_USER = 2
/** user → their md5 checks running or waiting. */
const md5ChecksOf = new KeyedCounts<string>()

/**
 * The md5 of the user's file as lower-case hex, computed in a worker thread (file-md5-worker.ts): on
 * the main thread, 40 checks at once held it up to 791 ms at a time (#9 §2). `signal` stops it (the
 * worker is terminated): it then rejects with the signal's reason. Throws file_not_found,
 * invalid_request for a file over MAX_MD5_BYTES, AppError unavailable `too_many_checks` when the user
 * has MD5_CHECKS_PER_USER checks going or WORKER_THREADS hashes run and 8 wait, and internal
 * `md5_failed` when the read fails.
 */
export async function fileMd5(dataDir: string, user: string, name: unknown, signal?: AbortSignal): Promise<string> {
  const size = await fileSize(dataDir, user, name)
  if (size > MAX_MD5_BYTES) {
    throw graphError('invalid_request', `${String(name)} is ${size} bytes; an md5 check hashes files up to ${MAX_MD5_BYTES} bytes (64 GiB): compare its size (flag 2) instead`, { field: 'fileName' })
  }
  const mine = md5ChecksOf.get(user)
  if (mine >= MD5_CHECKS_PER_USER) throw new AppError('unavailable', 'too_many_checks', `you have ${mine} md5 checks of uploaded files running or waiting already: wait for them to answer`)
  md5ChecksOf.add(user)
  try {
    return await hashInWorker(dataDir, user, name, signal)
  } finally {
    md5ChecksOf.remove(user)
  }
}

/** fileMd5's hash in a worker thread, once one of md5Slots is free (shared fairly between users). */
function hashInWorker(dataDir: string, user: string, name: unknown, signal?: AbortSignal): Promise<string> {
  return md5Slots.use(
    (stop) => {
      const input: FileMd5Input = { file: resolveUploadPath(dataDir, user, name) }
      return oneAnswer<FileMd5Message, string>(startWorker('file-md5-worker', dirname(fileURLToPath(import.meta.url)), input), {
        value: (m) => m.hex,
        failed: (why) => new AppError('internal', 'md5_failed', `hashing ${String(name)} failed: ${why}`),
        signal: stop,
      })
    },
    { owner: user, signal },
  )
}

/** Deletes one file of the user (file_not_found, or path_invalid for a folder). */
export async function deleteFile(dataDir: string, user: string, name: unknown): Promise<void> {
  const path = resolveUploadPath(dataDir, user, name)
  const s = await stat(path).catch(() => undefined)
  if (!s) throw graphError('file_not_found', `${String(name)} not exists`, { field: 'path' })
  if (s.isDirectory()) throw graphError('path_invalid', `${String(name)} is a folder, not a file`, { field: 'path' })
  await rm(path)
  forgetUploads(dataDir, user)
}

/** Deletes a user's whole upload folder (file_not_found when there is none). */
export async function deleteUserFolder(dataDir: string, user: string): Promise<void> {
  const dir = userUploadDir(dataDir, user)
  if (!(await stat(dir).catch(() => undefined))) throw graphError('file_not_found', `${user} not exists`)
  await rm(dir, { recursive: true, force: true })
  forgetUploads(dataDir, user)
}

/** Deletes every user's uploads (the whole upload root). */
export async function deleteAllUploads(dataDir: string): Promise<void> {
  await rm(uploadsDir(dataDir), { recursive: true, force: true })
  forgetUploads(dataDir)
}

/** The user's files, sorted by path; symbolic links and other non-files are left out. At most `limit`. */
export async function listFiles(dataDir: string, user: string, limit = 10_000): Promise<UploadedFile[]> {
  const root = userUploadDir(dataDir, user)
  const out: UploadedFile[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (out.length >= limit) return
      const path = join(dir, e.name)
      if (e.isDirectory()) await walk(path)
      else if (e.isFile()) {
        const s = await stat(path)
        out.push({ path: relative(root, path).split(sep).join('/'), bytes: s.size, modifiedAt: Math.round(s.mtimeMs) })
      }
    }
  }
  await walk(root)
  return out.sort((a, b) => a.path.localeCompare(b.path))
}
