import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/errors'
import { systemClock, type Clock } from '../clock'
import { oneAnswer, startWorker } from '../worker-thread'
import { WORKER_THREADS, workerSlots } from '../worker-slots'
import type { ScratchList, ScratchListLimits } from './scratch-schema'
import type { ScratchTablesInput, ScratchTablesMessage } from './scratch-tables-worker'

/**
 * How long one list may take (ms) before its worker is ended and the caller told so. Within the limits
 * (SCRATCH_LIST_LIMITS) a list takes well under a second even on a loaded machine; what takes longer is
 * a schema made to be slow to read.
 */
export const SCRATCH_READ_MS = 10_000
/** How long a read waits for a running SQL script's lock on the scratch database (ms). */
const SCRATCH_BUSY_MS = 250
/** Lists waiting their turn beyond the running ones (a clear refusal past them). */
const WAITING = 8
/** A list is at most a few MB (SCRATCH_LIST_LIMITS): what the thread's heap may need for it. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 }

/** Reads the scratch table list of the database `file` (a user's scratch database, which may not exist yet). */
export type ScratchTablesReader = (file: string) => Promise<ScratchList>

/**
 * Scratch table lists (scratch-schema.ts readScratchList) read in worker threads (scratch-tables-worker.ts),
 * never on the main thread, WORKER_THREADS at once and WAITING more waiting. A file that does not exist
 * lists no tables (no worker). Rejects with AppError `unavailable`: scratch_busy when a running script
 * kept the database locked, scratch_too_slow past `timeLimitMs` (SCRATCH_READ_MS, timed on `clock`;
 * the worker is ended), too_many_scratch_reads beyond those waiting, scratch_unreadable when SQLite or
 * the worker fails. `limits` are for tests.
 */
export function scratchTablesReader(o: { timeLimitMs?: number; clock?: Clock; limits?: ScratchListLimits } = {}): ScratchTablesReader {
  const { timeLimitMs = SCRATCH_READ_MS, clock = systemClock, limits } = o
  const slots = workerSlots({
    running: WORKER_THREADS,
    waiting: WAITING,
    code: 'too_many_scratch_reads',
    busy: `${WORKER_THREADS + WAITING} scratch table lists are already being read or waiting: try again in a moment`,
  })
  const here = dirname(fileURLToPath(import.meta.url))
  return async (file) => {
    if (!existsSync(file)) return { tables: [], truncated: false }
    const lease = await slots.acquire()
    let worker: Worker
    try {
      worker = startWorker('scratch-tables-worker', here, { file, busyMs: SCRATCH_BUSY_MS, limits } satisfies ScratchTablesInput, WORKER_LIMITS)
    } catch (e) {
      lease.release()
      throw e
    }
    // the slot is freed when the thread is gone, not when it is told to go: ending a worker cannot stop
    // SQLite inside one call, so a list past its time limit still counts until that call returns
    worker.once('exit', () => lease.release())
    const timeUp = new AbortController()
    const timer = clock.setTimeout(() => {
      timeUp.abort(new AppError('unavailable', 'scratch_too_slow', `reading the tables of your scratch database took longer than ${timeLimitMs / 1000} s and was stopped: its schema is too large or too slow to read`))
    }, timeLimitMs)
    try {
      return await oneAnswer<ScratchTablesMessage, ScratchList>(worker, {
        value: (m) => {
          if (m.type === 'busy') throw new AppError('unavailable', 'scratch_busy', 'your scratch database is busy with a running script: try again when it ends')
          return m.list
        },
        failed: (why) => new AppError('unavailable', 'scratch_unreadable', `your scratch database could not be read: ${why}`),
        signal: timeUp.signal,
      })
    } finally {
      clock.clearTimeout(timer)
    }
  }
}
