// Worker threads and child processes that open the store's file (value loads, result pages, views,
// exports) outlive the request that started them: a started read runs to its end even when its
// client hung up, since its answer may serve others. Closing the store waits for them, so none opens
// the file (and makes its -wal and -shm again) after the store closed it, when the data folder may
// already be going away (a CI run's temp folder was removed under such a read: ENOTEMPTY).
import Database from 'better-sqlite3'
import type { Worker } from 'node:worker_threads'
import { stopThread, throwIfStopped } from '../worker-thread'

/** A running reader of the store's file: how to end it at once, and when it has ended (what it left removed). */
export interface StoreReader {
  stop(): void
  ended: Promise<void>
}

const byFile = new Map<string, Set<StoreReader>>()

/** Counts `reader` among the readers of the store file `file` until it has ended (endStoreReaders stops it). */
export function readsStore(file: string, reader: StoreReader): void {
  let readers = byFile.get(file)
  if (!readers) byFile.set(file, (readers = new Set()))
  const own = readers
  own.add(reader)
  void reader.ended.then(() => {
    own.delete(reader)
    if (own.size === 0 && byFile.get(file) === own) byFile.delete(file)
  })
}

/**
 * `worker`, counted as a reader of the store file `file` until it exits (readsStore; stopped with
 * stopThread: never terminated inside a SQLite call, only once it has not ended within `graceMs`,
 * THREAD_STOP_GRACE_MS unless said); for chaining at its start.
 */
export function threadReadsStore(file: string, worker: Worker, { graceMs }: { graceMs?: number } = {}): Worker {
  readsStore(file, { stop: () => void stopThread(worker, graceMs), ended: new Promise((ended) => worker.once('exit', () => ended())) })
  return worker
}

/**
 * In a worker thread: the store file `file` opened read-only (it must exist; busy_timeout 10 s) so that
 * a stop is heard before each statement runs: better-sqlite3 calls its `verbose` logger there, and the
 * ThreadStopped that `stopCheck` throws from it ends the call with that error. `stopCheck` is
 * throwIfStopped (a one-answer worker: exitOnStop with endsWhenIdle) unless said, such as a
 * stopFlagCheck for a thread whose port carries other messages too. The worker's work is synchronous,
 * so its exitOnStop listener would hear the stop only after the work. Throws better-sqlite3's
 * SqliteError when the file cannot be opened.
 */
export function openStoreReader(file: string, stopCheck: () => void = throwIfStopped): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000, verbose: stopCheck })
}

/** How many readers of the store file `file` are running. */
export function storeReaderCount(file: string): number {
  return byFile.get(file)?.size ?? 0
}

/**
 * Stops every running reader of the store file `file` (threads asked to end themselves, terminated
 * only after THREAD_STOP_GRACE_MS; children killed: what they were reading is abandoned) and resolves
 * once all have ended. For closing the store, after the
 * server stopped taking requests.
 */
export async function endStoreReaders(file: string): Promise<void> {
  const readers = [...(byFile.get(file) ?? [])]
  for (const reader of readers) reader.stop()
  await Promise.all(readers.map((r) => r.ended))
}
