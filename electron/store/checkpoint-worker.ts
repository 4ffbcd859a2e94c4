// A worker thread that moves the store's write-ahead log into the database file (a WAL checkpoint),
// so that the checkpoint's writes and its fsync never run on the main thread, which answers every
// request and runs the engine (#9 §2). Behind other programs' writeback (a large import just written,
// a copy in progress) one fsync there took 100 ms to over a second; a commit in WAL mode with
// synchronous=NORMAL writes the log and syncs nothing, so with this the main thread never waits on
// the disk's flush. See checkpointer.ts for the main thread's side.
import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { yieldToMainThread } from '../worker-thread'

export interface CheckpointWorkerInput {
  /** The store's database file (jobdesk.db). */
  file: string
  /** How long to wait between checkpoints once the log is all copied (ms). */
  idleMs: number
  /** How long to wait before the next one while commits keep coming (ms). */
  behindMs: number
  /** Once the log is all copied, a log file larger than this (bytes) is cut back to nothing. */
  keepLogBytes: number
}

/** `ready`: the worker's connection is open and checkpoints have started; `failed`: it could not go on. */
export type CheckpointWorkerMessage = { type: 'ready' } | { type: 'failed'; message: string }

yieldToMainThread()
const input = workerData as CheckpointWorkerInput
try {
  // No busy wait: a TRUNCATE that waited for a reader would hold the write lock, and the main thread's commits, meanwhile.
  const db = new Database(input.file, { fileMustExist: true, timeout: 0 })
  db.pragma('wal_autocheckpoint = 0') // this connection writes nothing; it must not be the one to start a checkpoint by accident
  // PASSIVE copies what no reader still needs and waits for no lock, so it never holds up the main
  // thread's writers or readers. While commits keep coming the next one follows soon, so that the
  // main connection's backstop checkpoint (checkpointer.ts) finds little left to copy.
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  // A burst of commits grows the log file (up to the main connection's 64 MB backstop), and SQLite keeps
  // a log file at its largest: once all of it is copied, TRUNCATE cuts it back. Nothing is left to copy,
  // so it takes the write lock only for the truncate itself, and gives up at once (busy) if it must wait.
  const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)')
  const logBytes = () => statSync(`${input.file}-wal`, { throwIfNoEntry: false })?.size ?? 0
  const step = () => {
    try {
      const { log, checkpointed } = checkpoint.get() as { busy: number; log: number; checkpointed: number }
      if (checkpointed === log && logBytes() > input.keepLogBytes) truncate.get()
      setTimeout(step, checkpointed < log ? input.behindMs : input.idleMs)
    } catch (e) {
      // PASSIVE is never busy; anything else (an I/O error) ends this worker and the main thread takes over
      db.close()
      parentPort!.postMessage({ type: 'failed', message: (e as Error).message } satisfies CheckpointWorkerMessage)
    }
  }
  checkpoint.get()
  parentPort!.postMessage({ type: 'ready' } satisfies CheckpointWorkerMessage)
  setTimeout(step, input.idleMs)
} catch (e) {
  parentPort!.postMessage({ type: 'failed', message: (e as Error).message } satisfies CheckpointWorkerMessage)
}
