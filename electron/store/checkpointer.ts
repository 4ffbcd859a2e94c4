import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { startWorker, stopThread } from '../worker-thread'
import type { CheckpointWorkerInput, CheckpointWorkerMessage } from './checkpoint-worker'
import type { Db } from './connection'

/** SQLite's own default: a commit that leaves this many pages in the log checkpoints it. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1000
/**
 * While the worker checkpoints, the main connection still checkpoints a log of this many pages
 * (64 MB of 4 kB pages), a backstop for the log's size. The log starts over only when a commit finds
 * all of it copied; while commits keep coming faster than the worker's checkpoint and its fsyncs
 * (an engine commits every few ms through a 200k-item foreach: three runs left a 1.3 GB log with the
 * worker alone), a main-thread checkpoint every 64 MB, 1/16 of SQLite's own rate, copies the little
 * the worker has not and lets the log start over.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 16 * SQLITE_AUTOCHECKPOINT_PAGES
/** The worker's pace (ms): every IDLE_MS once the log is all copied, BEHIND_MS after a checkpoint that left frames behind. */
const IDLE_MS = 200
const BEHIND_MS = 25

/** The store's checkpoints: where they run now. */
export interface Checkpointer {
  /** `worker` once the worker has taken over (the main connection keeps only a backstop); `main thread` before that and after it failed (SQLite's automatic checkpoints). */
  readonly where: 'worker' | 'main thread'
  /** Ends the worker (it ends itself between two checkpoints: stopThread); the main connection checkpoints on its own again (and when it closes). */
  stop(): Promise<void>
}

/**
 * Moves the WAL checkpoints of `db` (open on `file`, in WAL mode) to a worker thread (checkpoint-worker.ts):
 * once the worker's connection is open, `db` checkpoints only a log of BACKSTOP_AUTOCHECKPOINT_PAGES, so
 * commits on the main thread do not write the database file or wait for its fsync (#9 §2: with 300 MB
 * files written every 3 s by another program, commits that checkpointed took up to 318 ms, p99 21 ms;
 * with the worker, max 19 ms, p99 1–2 ms, while its own checkpoints took up to 290 ms). If the worker cannot start or stops,
 * SQLite's automatic checkpoints come back and `warn` is told why: the log never grows without bound.
 * `tuning` (tests): `backstopPages` replaces BACKSTOP_AUTOCHECKPOINT_PAGES; `idleMs` replaces the worker's
 * IDLE_MS (a test that must see the backstop alone gives it an hour, so the worker copies nothing after
 * its first checkpoint). Never throws.
 */
export function startCheckpointer(
  db: Db,
  file: string,
  warn: (message: string) => void = console.warn,
  tuning: { backstopPages?: number; idleMs?: number } = {},
): Checkpointer {
  const backstopPages = tuning.backstopPages ?? BACKSTOP_AUTOCHECKPOINT_PAGES
  let where: Checkpointer['where'] = 'main thread'
  let stopping = false
  let worker: Worker | undefined
  const takeBack = (why: string) => {
    if (stopping || !db.open) return
    if (where === 'worker') db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`)
    where = 'main thread'
    stopping = true // one warning; a failed worker is not restarted
    if (worker) void stopThread(worker)
    warn(`jobdesk: the store's log is checkpointed on the main thread again (${why}); a slow disk may hold up requests`)
  }
  try {
    const input: CheckpointWorkerInput = { file, idleMs: tuning.idleMs ?? IDLE_MS, behindMs: BEHIND_MS }
    worker = startWorker('checkpoint-worker', dirname(fileURLToPath(import.meta.url)), input, { maxOldGenerationSizeMb: 32 })
    worker.unref() // a timer in a worker must not keep the process alive
    worker.on('message', (m: CheckpointWorkerMessage) => {
      if (m.type === 'failed') return takeBack(m.message)
      if (stopping || !db.open) return
      db.pragma(`wal_autocheckpoint = ${backstopPages}`)
      where = 'worker'
    })
    worker.on('error', (e) => takeBack(e.message))
    worker.on('exit', (code) => takeBack(`its worker stopped (${code})`))
  } catch (e) {
    takeBack((e as Error).message)
  }
  return {
    get where() {
      return where
    },
    async stop() {
      if (stopping) return
      stopping = true
      if (db.open && where === 'worker') db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`)
      where = 'main thread'
      // asked, not terminated: its thread may be inside a checkpoint (stopThread says why)
      if (worker) await stopThread(worker)
    },
  }
}
