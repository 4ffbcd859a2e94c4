// Worker threads and child processes that open the store's file (value loads, result pages, views,
// exports) outlive the request that started them: a started read runs to its end even when its
// client hung up, since its answer may serve others. Closing the store waits for them, so none opens
// the file (and makes its -wal and -shm again) after the store closed it, when the data folder may
// already be going away (a CI run's temp folder was removed under such a read: ENOTEMPTY).
import type { Worker } from 'node:worker_threads'

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

/** `worker`, counted as a reader of the store file `file` until it exits (readsStore); for chaining at its start. */
export function threadReadsStore(file: string, worker: Worker): Worker {
  readsStore(file, { stop: () => void worker.terminate(), ended: new Promise((ended) => worker.once('exit', () => ended())) })
  return worker
}

/** How many readers of the store file `file` are running. */
export function storeReaderCount(file: string): number {
  return byFile.get(file)?.size ?? 0
}

/**
 * Stops every running reader of the store file `file` (threads terminated, children killed: what
 * they were reading is abandoned) and resolves once all have ended. For closing the store, after the
 * server stopped taking requests.
 */
export async function endStoreReaders(file: string): Promise<void> {
  const readers = [...(byFile.get(file) ?? [])]
  for (const reader of readers) reader.stop()
  await Promise.all(readers.map((r) => r.ended))
}
