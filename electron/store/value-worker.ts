// A worker thread that reads one stored value of a job whole (its UTF-8 bytes, as job-values.ts
// stateBytes gives them) with its own read-only connection, and hands its memory to the main thread.
// SQLite loads a stored value whole to give any slice of it: on the main thread a 48 MB value held
// every request 4 s at load 21, 1.5-3 s at load 13 (#9 §2). See value-reader.ts for the main side.
// Asked to stop (the store closing), it ends itself before its next statement: a value's load is one
// SQLite call, heard after it.
import { parentPort, workerData } from 'node:worker_threads'
import { exitOnStop, movedMemory, ThreadStopped, yieldToMainThread } from '../worker-thread'
import { createJobValues, type JobValueName } from './jobs/job-values'
import { openStoreReader } from './store-readers'

/** What a value worker is started with (value-reader.ts): which stored value of which job to read, and where. */
export interface ValueWorkerInput {
  /** The store's database file (jobdesk.db). */
  file: string
  /** The job whose value is read. */
  jobId: number
  /** Which of its stored values: input, context or result. */
  name: JobValueName
  /** Read only `length` bytes from byte `from` (SQLite still loads the value whole, in this thread), not the whole value. */
  range?: { from: number; length: number }
}

/** The value's bytes (null: the job has none; undefined: no such job), or what went wrong. */
export type ValueWorkerMessage = { type: 'bytes'; bytes: Uint8Array | null | undefined } | { type: 'error'; message: string }

exitOnStop({ endsWhenIdle: true })
yieldToMainThread()
const input = workerData as ValueWorkerInput
const port = parentPort!
try {
  const db = openStoreReader(input.file)
  let bytes: Buffer | null | undefined
  try {
    const values = createJobValues(db)
    const { range } = input
    if (!range) bytes = values.stateBytes(input.jobId, input.name)
    else {
      const slices = values.stateSlices(input.jobId, input.name)
      bytes = slices ? slices.slice(range.from, range.length) : slices
    }
  } finally {
    db.close()
  }
  const message = { type: 'bytes', bytes } satisfies ValueWorkerMessage
  try {
    port.postMessage(message, movedMemory(bytes)) // its memory moves to the main thread, not a copy of it
  } catch {
    port.postMessage(message) // memory that cannot move (not this thread's own): copied
  }
} catch (e) {
  // stopped: nobody waits for an answer
  if (!(e instanceof ThreadStopped)) port.postMessage({ type: 'error', message: (e as Error).message } satisfies ValueWorkerMessage)
}
