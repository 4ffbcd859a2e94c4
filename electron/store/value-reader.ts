import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { oneAnswer, startWorker } from '../worker-thread'
import { WORKER_THREADS, workerSlots } from '../worker-slots'
import type { JobValueName } from './jobs/job-values'
import { threadReadsStore } from './store-readers'
import type { ValueWorkerInput, ValueWorkerMessage } from './value-worker'

/**
 * How a value is read (ValueReader): for whom, until when, and which part of it. `owner`: the user name
 * of whoever the read is for ('' for none): the threads are shared fairly between owners, so one
 * user's many loads never put another user's behind all of theirs (atk13). `signal`: aborts when no
 * answer waits for the read any more (its client hung up): a read still waiting for a thread leaves
 * the line. `range`: only `length` bytes from byte `from` (fewer at its end; an empty Buffer past it).
 */
export interface ValueRead {
  owner: string
  signal?: AbortSignal
  range?: { from: number; length: number }
}

/**
 * Reads job `jobId`'s stored `name` value off the main thread (valueReader), whole or a range of it
 * (ValueRead). A read still waiting for a thread when `o.signal` aborts leaves the line and rejects
 * with its reason.
 */
export type ValueReader = (jobId: number, name: JobValueName, o: ValueRead) => Promise<Buffer | null | undefined>

/**
 * Loads that wait for a thread; those beyond wait for room among them, in order (workerSlots' patient
 * callers), rather than be refused: a refused load would be made by the caller on the main thread,
 * however many came at once. A waiting load costs a closure, and each is an answer's (the connection
 * cap bounds them) that leaves when its answer goes away.
 */
const WAITING = 64
/** A whole value read is at most FINISHED_BYTES_LIMIT (64 MB) of bytes (a larger one is read a window at a time): what the thread's own heap may need beside it. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 }
/**
 * How long a value worker asked to stop (the store closing) may take to end itself before it is
 * terminated (ms): it hears the stop only between its statements, and loading a value is one SQLite
 * call (64 MB took 2.3-6.2 s at load 16-19 on 2 cores), which the default grace (5 s) could cut: a
 * thread terminated inside a better-sqlite3 call may abort the process (worker-thread.ts stopThread).
 */
const STOP_GRACE_MS = 30_000

/**
 * Stored values of the store in `file` read, whole or a range of them, in worker threads (value-worker.ts), WORKER_THREADS at
 * once, taken by owner (workerSlots' fair share: the owner running the fewest goes next): the value's
 * UTF-8 bytes (null: the job has none; undefined: no such job), their memory moved to this thread.
 * Rejects when the worker fails, and with the signal's reason when it aborts before the read got a
 * thread; past `waiting` (WAITING unless set) waiting, a read waits for room in the line. For finished values
 * (finished-values.ts): nothing rewrites them meanwhile.
 */
export function valueReader(file: string, { waiting = WAITING }: { waiting?: number } = {}): ValueReader {
  const slots = workerSlots({ running: WORKER_THREADS, waiting })
  const here = dirname(fileURLToPath(import.meta.url))
  return async (jobId, name, { owner, signal, range }) => {
    const lease = await slots.acquire({ owner, signal })
    try {
      // started, a read runs to its end (its answer may serve others: finished-values.ts): no signal here
      return await oneAnswer<ValueWorkerMessage, Buffer | null | undefined>(threadReadsStore(file, startWorker('value-worker', here, { file, jobId, name, range } satisfies ValueWorkerInput, WORKER_LIMITS), { graceMs: STOP_GRACE_MS }), {
        value: (m) => (m.bytes ? Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) : m.bytes),
        failed: (why) => new Error(`reading a stored value failed: ${why}`),
      })
    } finally {
      lease.release()
    }
  }
}
