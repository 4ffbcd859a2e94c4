// A worker thread that hashes one uploaded file (TuGraph's check_file md5): 40 checks of a 4 TiB
// sparse file hashed on the main thread, 1 MiB a chunk, held it up to 791 ms at a time (#9 §2).
// The main thread starts it (upload-files.ts fileMd5) and terminates it when the client hangs up.
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { yieldToMainThread } from '../worker-thread'

/** What the md5 worker is started with (its workerData). */
export interface FileMd5Input {
  /** The file's resolved path. */
  file: string
}

/** The md5 worker's one message: the file's md5 as lower-case hex, or why it could not be read. */
export type FileMd5Message = { type: 'md5'; hex: string } | { type: 'error'; message: string }

yieldToMainThread()
const { file } = workerData as FileMd5Input
try {
  const hash = createHash('md5')
  const chunk = Buffer.allocUnsafe(1024 * 1024)
  const fd = openSync(file, 'r')
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  parentPort!.postMessage({ type: 'md5', hex: hash.digest('hex') } satisfies FileMd5Message)
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies FileMd5Message)
}
