// A worker thread that reads one page of a result set as JSON text (store/result-query.ts jsonPage):
// a sorted or filtered page of a big set, or a page of wide rows whose cells become text, so that
// neither sorting a million rows nor formatting 2,000 columns holds up the main thread (#9 §2).
// Asked to stop (its client hung up, or close), it ends itself within a row of its read.
import { parentPort, workerData } from 'node:worker_threads'
import { createResultQueries, type JsonPage, type PageShape, type ResultQuery } from '../store/result-query'
import { openStoreReader } from '../store/store-readers'
import { exitOnStop, ThreadStopped, throwIfStopped, yieldToMainThread } from '../worker-thread'

export interface ResultQueryInput {
  storeFile: string
  set: { id: number; rowCount: number }
  query: ResultQuery
  offset: number
  limit: number
  shape?: PageShape
}

export type ResultQueryMessage = { type: 'page'; page: JsonPage } | { type: 'error'; message: string }

exitOnStop({ endsWhenIdle: true })
yieldToMainThread()
const input = workerData as ResultQueryInput
try {
  const db = openStoreReader(input.storeFile)
  try {
    const page = createResultQueries(db, { stopCheck: throwIfStopped }).jsonPage(input.set, input.query, input.offset, input.limit, input.shape)
    parentPort!.postMessage({ type: 'page', page } satisfies ResultQueryMessage)
  } finally {
    db.close()
  }
} catch (e) {
  // stopped: nobody waits for an answer
  if (!(e instanceof ThreadStopped)) parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ResultQueryMessage)
}
