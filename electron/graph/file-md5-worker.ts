// A worker thread that hashes one uploaded file (TuGraph's check_file md5): 40 checks of a 4 TiB
// sparse file hashed on the main thread, 1 MiB a chunk, held it up to 791 ms at a time (#9 §2).
// It hashes in steps of `stepBytes`, one per 'step' message, so the main thread (upload-files.ts
// fileMd5) can give the hashing thread to another user's check between steps; it terminates the
// worker when the client hangs up.
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { yieldToMainThread } from '../worker-thread'

/** What the md5 worker is started with (its workerData). */
export interface FileMd5Input {
  /** The file's resolved path. */
  file: string
  /** Bytes hashed per 'step' message (a whole number of MiB). */
  stepBytes: number
}

/** What the main thread posts: hash the next step. */
export type FileMd5Step = { type: 'step' }

/**
 * The md5 worker's answer to a step: `stepped` (more to hash), the file's md5 as lower-case hex once
 * the end is reached, or why it could not be read.
 */
export type FileMd5Message = { type: 'stepped' } | { type: 'md5'; hex: string } | { type: 'error'; message: string }

yieldToMainThread()
const { file, stepBytes } = workerData as FileMd5Input
const hash = createHash('md5')
const chunk = Buffer.allocUnsafe(1024 * 1024)
let fd: number | undefined
let at = 0

/** Hashes up to stepBytes from where the last step ended; the answer says whether the end was reached. */
function step(): FileMd5Message {
  fd ??= openSync(file, 'r')
  const end = at + stepBytes
  while (at < end) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at)
    if (n === 0) {
      closeSync(fd)
      return { type: 'md5', hex: hash.digest('hex') }
    }
    hash.update(chunk.subarray(0, n))
    at += n
  }
  return { type: 'stepped' }
}

parentPort!.on('message', (m: FileMd5Step) => {
  if (m.type !== 'step') return
  let answer: FileMd5Message
  try {
    answer = step()
  } catch (e) {
    answer = { type: 'error', message: (e as Error).message }
  }
  parentPort!.postMessage(answer)
  if (answer.type !== 'stepped') parentPort!.close() // done: the worker ends
})
