// Views of jobs built as JSON text in worker threads (#9 §2): a list whose jobs hold megabytes of
// stored input or report is read, parsed and cut in a thread of its own with a read-only connection
// to the store's file, so the main thread only sends the text. The worker entries (listed in
// electron.vite.config.ts) call serveView; the dialects call viewWorkers(db).build.
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/errors'
import type { Db } from '../store/connection'
import { openStoreReader, threadReadsStore } from '../store/store-readers'
import { WORKER_THREADS, workerSlots, type SlotRequest } from '../worker-slots'
import { exitOnStop, oneAnswer, startWorker, ThreadStopped, yieldToMainThread } from '../worker-thread'

/**
 * Up to this many bytes of stored values a view reads (JobCenterRepository.viewBytes,
 * JobRepository.historyBytes) it is built on the main thread; above it in a worker. Parsing and
 * serializing 1 MB takes a few milliseconds; thirty 4 MB inputs held the main thread 4.9 s.
 */
export const INLINE_VIEW_BYTES = 1024 * 1024
/** A worker may parse one 4 MB value after another; a bound for a runaway read. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 }
const WAITING = 8

interface ViewWorkerData {
  storeFile: string
  input: unknown
}

/** The view's JSON text (null: what it shows is gone), or why it failed. */
type ViewMessage = { type: 'view'; json: string | null } | { type: 'error'; message: string }

/**
 * Builds views in worker threads on `db`'s file, WORKER_THREADS at once for all of that store's views
 * (every dialect's), shared fairly between users (workerSlots): `build(name, sourceDir, input, by)`
 * starts worker entry `name` (startWorker: `sourceDir/name.ts` when run from source) with `input` for
 * `by.owner` and resolves with its JSON text (undefined: what it shows is gone). Throws AppError
 * `unavailable` when WORKER_THREADS views are being built and WAITING more wait, `internal` `view_failed`
 * when a worker fails, and `by.signal`'s reason when it aborts (the client hung up): a view waiting for
 * a slot leaves the queue, one being built has its worker stopped (it ends itself before its next
 * statement; stopThread).
 */
export function viewWorkers(db: Db): ViewWorkers {
  let workers = byStore.get(db)
  if (!workers) byStore.set(db, (workers = createViewWorkers(db)))
  return workers
}

/** The view workers of each store: one set of slots for the views of every dialect (GES lists, Linkis history). */
const byStore = new WeakMap<Db, ViewWorkers>()

/** What viewWorkers answers. */
export type ViewWorkers = ReturnType<typeof createViewWorkers>

function createViewWorkers(db: Db) {
  const storeFile = db.name
  const slots = workerSlots({
    running: WORKER_THREADS,
    waiting: WAITING,
    code: 'too_many_views',
    busy: `${WORKER_THREADS + WAITING} lists of large jobs are already being built or waiting: try again in a moment`,
    busyOwn: `${WORKER_THREADS + WAITING} lists of large jobs are already being built or waiting, as many of yours as one user may have: wait for them to answer`,
  })
  return {
    /** Whether a view reading `bytes` of stored values is built on the main thread (always, for an in-memory store: no file for a worker). */
    inline: (bytes: number): boolean => db.memory || bytes <= INLINE_VIEW_BYTES,
    build: (name: string, sourceDir: string, input: unknown, by: SlotRequest): Promise<string | undefined> =>
      slots.use(
        (signal) =>
          oneAnswer<ViewMessage, string | undefined>(threadReadsStore(storeFile, startWorker(name, sourceDir, { storeFile, input } satisfies ViewWorkerData, WORKER_LIMITS)), {
            value: (m) => m.json ?? undefined,
            failed: (why) => new AppError('internal', 'view_failed', `building the job view failed: ${why}`),
            signal,
          }),
        by,
      ),
  }
}

/**
 * In a view worker: opens the store read-only, posts `build`'s value as JSON text (undefined: null),
 * closes. Asked to stop, it ends without answering before `build`'s next statement (openStoreReader).
 */
export function serveView<I>(build: (db: Db, input: I) => unknown): void {
  exitOnStop({ endsWhenIdle: true })
  yieldToMainThread()
  const { storeFile, input } = workerData as ViewWorkerData
  try {
    const db = openStoreReader(storeFile)
    try {
      const view = build(db, input as I)
      parentPort!.postMessage({ type: 'view', json: view === undefined ? null : JSON.stringify(view) } satisfies ViewMessage)
    } finally {
      db.close()
    }
  } catch (e) {
    // stopped: nobody waits for an answer
    if (!(e instanceof ThreadStopped)) parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ViewMessage)
  }
}
