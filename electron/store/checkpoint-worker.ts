// A worker thread that moves the store's write-ahead log into the database file (a WAL checkpoint),
// so that the checkpoint's writes and its fsync never run on the main thread, which answers every
// request and runs the engine (#9 §2). Behind other programs' writeback (a large import just written,
// a copy in progress) one fsync there took 100 ms to over a second; a commit in WAL mode with
// synchronous=NORMAL writes the log and syncs nothing, so with this the main thread never waits on
// the disk's flush. See checkpointer.ts for the main thread's side.
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { exitOnStop, yieldToMainThread } from '../worker-thread'

export interface CheckpointWorkerInput {
  /** The store's database file (jobdesk.db). */
  file: string
  /** How long to wait between checkpoints once the log is all copied (ms). */
  idleMs: number
  /** How long to wait before the next one while commits keep coming (ms). */
  behindMs: number
}

/** `ready`: the worker's connection is open and checkpoints have started; `failed`: it could not go on. */
export type CheckpointWorkerMessage = { type: 'ready' } | { type: 'failed'; message: string }

exitOnStop({ endsWhenIdle: true }) // its timer, not its port, keeps it alive: one that failed ends
yieldToMainThread()
const input = workerData as CheckpointWorkerInput
try {
  // PASSIVE never waits for a lock; nothing here should make the main thread's commits wait either
  const db = new Database(input.file, { fileMustExist: true, timeout: 0 })
  db.pragma('wal_autocheckpoint = 0') // this connection writes nothing; it must not be the one to start a checkpoint by accident
  // PASSIVE copies what no reader still needs and waits for no lock, so it never holds up the main
  // thread's writers or readers. While commits keep coming the next one follows soon, so that the
  // main connection's backstop checkpoint (checkpointer.ts) finds little left to copy.
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  // No TRUNCATE here to cut a grown log file back: it holds the write lock while it copies what was
  // committed since and syncs the database file (2 s behind other programs' writes, and the main
  // thread's commits waited on it until their busy timeout failed them). The main connection's
  // journal_size_limit cuts the file back when the log starts over (connection.ts).
  const step = () => {
    try {
      const { log, checkpointed } = checkpoint.get() as { busy: number; log: number; checkpointed: number }
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
