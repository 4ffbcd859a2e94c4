// A user's uploaded files: chunked writes at an offset (TuGraph's upload_files; chunks come in
// order: none may start past the file's end), size and md5 checks (check_file), deletes
// (clear_cache) and listings (the Imports page). Every name goes through resolveUploadPath, so nothing here reaches outside
// `<data>/upload_files/<user>/`. Writes are positioned and never truncate, as TuGraph's are: a client
// that re-uploads a shorter file clears it first.
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/errors'
import type { UploadedFolderView, UploadListEntry } from '../../shared/graph-api'
import { WORKER_THREADS } from '../worker-slots'
import { startWorker } from '../worker-thread'
import { graphError } from './errors'
import { fairTurns } from './fair-turns'
import type { FileMd5Input, FileMd5Message, FileMd5Step } from './file-md5-worker'
import { resolveUploadPath, uploadsDir, userUploadDir } from './upload-paths'
import { folderNotFileMessage } from '../../shared/upload-names'
import { KeyedCounts } from '../keyed-counts'
import { assertUploadRoom } from '../../shared/quotas'
import { assertDiskRoom } from '../disk-reserve'
import { forgetUploads, measureUploads, noteGrowth, usedBytes } from './upload-usage'

/** Largest chunk one request may carry (TuGraph's clients send 1 MiB; some browsers 100 KiB). */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024
/**
 * Largest file a chunk may extend: 16 TiB, the largest file ext4 holds (with 4 KiB blocks), far
 * beyond any upload. A file system that holds less answers EFBIG, which writeChunk refuses the same way.
 */
export const MAX_FILE_BYTES = 2 ** 44

/**
 * Writes `data` at byte `beginPos` of the user's file `name`, creating it and its folders as needed.
 * `size` is what the client said it sends: a body of another length is refused before anything is
 * written (TuGraph: "Size and content are not equal "). A chunk that starts past the file's end (it
 * would leave a hole) is refused naming `offsetField`: chunks go in order, as TuGraph's clients
 * (TuGraphRestClient.py, tugraph-db-browser) send them. A chunk that would end past MAX_FILE_BYTES,
 * or past the largest file the disk holds (EFBIG), is refused naming `offsetField` (TuGraph's
 * Begin-Pos header; the native API's offset) and leaves no file behind that it created. A name with a
 * control or invisible character, `\` or a Windows device name is refused (path_invalid, worded by
 * shared/upload-names.ts: every dialect's upload comes here).
 * A chunk that would make the user's files take more than MAX_UPLOAD_BYTES_PER_USER in all is refused
 * (forbidden uploads_too_large, naming `o.sizeField`: TuGraph's Size header, the native API's data)
 * unless `o.admin`. Name errors name `o.nameField` (TuGraph's File-Name; `path` when not given);
 * any chunk that makes a file longer is refused (unavailable disk_nearly_full) while
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
  o: { offsetField?: string; sizeField?: string; nameField?: string; admin?: boolean } = {},
): Promise<string> {
  const nameField = o.nameField ?? 'path'
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
  const path = resolveUploadPath(dataDir, user, name, { writing: true, field: nameField })
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) throw graphError('path_invalid', folderNotFileMessage(nameField, String(name)), { field: nameField })
  const end = existing?.size ?? 0
  if (beginPos > end) {
    // TuGraph's clients send the chunks in order; a chunk far out would leave a hole: a file that costs
    // no disk yet minutes of every md5 check of it (#9 §2)
    throw graphError('invalid_request', `${offsetField} ${beginPos} is past the end of ${String(name)} (${end} bytes so far): send the chunks in order, from where the file ends`, { field: offsetField })
  }
  const growth = Math.max(0, beginPos + size - end)
  if (growth > 0) assertDiskRoom(dataDir, 'uploads')
  if (!o.admin && growth > 0) {
    await measureUploads(dataDir, user)
    assertUploadRoom(usedBytes(dataDir, user), growth, o.sizeField ?? 'Size') // then counted at once: chunks sent together each see the others
    noteGrowth(dataDir, user, growth)
  }
  if (existing) await mkdir(dirname(path), { recursive: true })
  else {
    try {
      createUploadFile(dataDir, user, name, nameField) // after the checks: a refused chunk leaves no folder either
    } catch (e) {
      if (!o.admin && growth > 0) noteGrowth(dataDir, user, -growth) // not written: no longer counted
      throw e
    }
  }
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

/**
 * Makes the new upload `name` empty, with its new folders, in one synchronous step with a fresh check
 * of its name (resolveUploadPath, writing): the check writeChunk made first ran before its awaits, so
 * twin names sent at the same time (`Twin.csv` and `twin.csv`, or café in its two Unicode forms) each
 * passed it before either existed, and all were made (attack3: all 4 of 4 case twins, writeChunk called at once). Created with 'a', not 'w': a
 * file made meanwhile under this very name is kept, not truncated. Throws as resolveUploadPath.
 */
function createUploadFile(dataDir: string, user: string, name: unknown, field: string): void {
  const path = resolveUploadPath(dataDir, user, name, { writing: true, field })
  mkdirSync(dirname(path), { recursive: true })
  closeSync(openSync(path, 'a'))
}

/** The size of the user's file in bytes (file_not_found when it is missing, path_invalid for a folder; errors name `field`, default `path`). */
export async function fileSize(dataDir: string, user: string, name: unknown, field = 'path'): Promise<number> {
  const s = await stat(resolveUploadPath(dataDir, user, name, { mustExist: true, mustBeFile: true, field }))
  if (!s.isFile()) throw graphError('path_invalid', `${field} ${JSON.stringify(String(name))} is not a regular file`, { field })
  return s.size
}

/**
 * The largest file fileMd5 hashes: 64 GiB, about two minutes of a core. A file may be up to
 * MAX_FILE_BYTES and cost no disk (a chunk written far out leaves a hole): hashing 4 TiB of one would
 * hold a hashing thread for hours.
 */
export const MAX_MD5_BYTES = 64 * 2 ** 30

/** md5 checks going at once (hashing or waiting their turn), for all users: more are refused (busy) rather than queued without end. */
export const MD5_CHECKS_AT_ONCE = WORKER_THREADS + 8
/** md5 checks one user may have going at once: one user's flood does not take every place from the others. */
export const MD5_CHECKS_PER_USER = 2
/**
 * Bytes a check hashes per turn of a hashing thread: 32 MiB, about 0.1-0.3 s of a core. Between turns
 * the thread goes to the waiting user who holds fewest turns, served longest ago (fair-turns.ts), so a
 * small file's check waits a step or two, not for a 20 GiB file's whole hash.
 */
export const MD5_STEP_BYTES = 32 * 2 ** 20
/** Turns of the hashing threads (WORKER_THREADS at once), fair between users. */
const md5Turns = fairTurns(WORKER_THREADS)
/** user → their md5 checks going. */
const md5ChecksOf = new KeyedCounts<string>()
let md5ChecksGoing = 0

/**
 * The md5 of the user's file as lower-case hex, hashed in a worker thread (file-md5-worker.ts; on the
 * main thread, 40 checks at once held it up to 791 ms at a time, #9 §2) in steps of MD5_STEP_BYTES,
 * each on a turn of md5Turns, so one user's long hashes do not hold another's check (#9 §2). `signal`
 * (the client hung up) stops it between steps or in one (the worker is terminated): it then rejects
 * with the signal's reason. Throws file_not_found, invalid_request for a file over MAX_MD5_BYTES,
 * AppError unavailable `too_many_checks` when the user has MD5_CHECKS_PER_USER checks going or
 * MD5_CHECKS_AT_ONCE are going in all, and internal `md5_failed` when the read fails.
 */
export async function fileMd5(dataDir: string, user: string, name: unknown, signal?: AbortSignal, field = 'path'): Promise<string> {
  const size = await fileSize(dataDir, user, name, field)
  if (size > MAX_MD5_BYTES) {
    throw graphError('invalid_request', `${String(name)} is ${size} bytes; an md5 check hashes files up to ${MAX_MD5_BYTES} bytes (64 GiB): compare its size (flag 2) instead`, { field })
  }
  const mine = md5ChecksOf.get(user)
  if (mine >= MD5_CHECKS_PER_USER) throw new AppError('unavailable', 'too_many_checks', `you have ${mine} md5 checks of uploaded files running or waiting already: wait for them to answer`)
  if (md5ChecksGoing >= MD5_CHECKS_AT_ONCE) {
    throw new AppError('unavailable', 'too_many_checks', `${MD5_CHECKS_AT_ONCE} md5 checks of uploaded files are already running or waiting: try again in a moment`)
  }
  md5ChecksOf.add(user)
  md5ChecksGoing++
  try {
    return await hashInSteps(resolveUploadPath(dataDir, user, name), user, name, signal)
  } finally {
    md5ChecksOf.remove(user)
    md5ChecksGoing--
  }
}

/** fileMd5's hash: a worker started on the check's first turn, then one step per turn until it answers. */
async function hashInSteps(file: string, user: string, name: unknown, signal?: AbortSignal): Promise<string> {
  let worker: Worker | undefined
  let stopped: string | undefined
  try {
    for (;;) {
      const release = await md5Turns.take(user, signal)
      let answer: FileMd5Message
      try {
        if (!worker) {
          worker = startWorker('file-md5-worker', dirname(fileURLToPath(import.meta.url)), { file, stepBytes: MD5_STEP_BYTES } satisfies FileMd5Input)
          // kept for the worker's life: an end between steps is the next step's answer, not a hang or an unhandled 'error'
          worker.on('error', (e) => (stopped ??= e.message))
          worker.on('exit', () => (stopped ??= 'its worker stopped'))
        }
        answer = stopped === undefined ? await stepOf(worker, signal) : { type: 'error', message: stopped }
      } finally {
        release()
      }
      if (answer.type === 'md5') return answer.hex
      if (answer.type === 'error') throw new AppError('internal', 'md5_failed', `hashing ${String(name)} failed: ${answer.message}`)
    }
  } finally {
    void worker?.terminate() // done, failed or hung up: no worker goes on (or waits) for nobody
  }
}

/** The worker's answer to one 'step' message (an `error` answer when it fails or exits first); rejects with `signal`'s reason when it aborts first. */
function stepOf(worker: Worker, signal?: AbortSignal): Promise<FileMd5Message> {
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      signal?.removeEventListener('abort', onAbort)
    }
    const onMessage = (m: FileMd5Message) => (done(), resolve(m))
    const onError = (e: Error) => (done(), resolve({ type: 'error', message: e.message }))
    const onExit = () => (done(), resolve({ type: 'error', message: 'its worker stopped' }))
    const onAbort = () => (done(), reject(signal!.reason))
    if (signal?.aborted) return onAbort()
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.postMessage({ type: 'step' } satisfies FileMd5Step)
  })
}

/** Deletes one file of the user (file_not_found, or path_invalid for a folder; errors name `field`, default `path`). */
export async function deleteFile(dataDir: string, user: string, name: unknown, field = 'path'): Promise<void> {
  const path = resolveUploadPath(dataDir, user, name, { mustExist: true, mustBeFile: true, field })
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

/**
 * The user's files, sorted by path, each `kind: 'file'`; symbolic links and other non-files are left out.
 * With `folders`, every folder under the upload folder too (`kind: 'folder'`, with `files` and `bytes`
 * of the regular files directly in it, as an import of the folder reads them): an empty uploaded folder
 * is then told from one that is not there (the Imports page says "has no files" of it, as the import
 * does, noFilesInFolder). At most `limit` entries in all.
 */
export async function listFiles(dataDir: string, user: string, options: { folders?: boolean; limit?: number } = {}): Promise<UploadListEntry[]> {
  const limit = options.limit ?? 10_000
  const root = userUploadDir(dataDir, user)
  const out: UploadListEntry[] = []
  const rel = (path: string) => relative(root, path).split(sep).join('/')
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    const folder: UploadedFolderView | undefined = options.folders && dir !== root ? { kind: 'folder', path: rel(dir), files: 0, bytes: 0, modifiedAt: 0 } : undefined
    if (folder) {
      if (out.length >= limit) return
      folder.modifiedAt = Math.round((await stat(dir)).mtimeMs)
      out.push(folder)
    }
    for (const e of entries) {
      if (out.length >= limit) return
      const path = join(dir, e.name)
      if (e.isDirectory()) await walk(path)
      else if (e.isFile()) {
        const s = await stat(path)
        out.push({ kind: 'file', path: rel(path), bytes: s.size, modifiedAt: Math.round(s.mtimeMs) })
        if (folder) (folder.files++, (folder.bytes += s.size))
      }
    }
  }
  await walk(root)
  return out.sort((a, b) => a.path.localeCompare(b.path))
}
