// A worker thread that reads one sorted or filtered page of a big result set (store/result-query.ts),
// so that sorting or searching a million rows never holds up the main thread's requests and engine.
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { createResultQueries, type QueriedRows, type ResultQuery } from '../store/result-query'
import { yieldToMainThread } from '../worker-thread'

export interface ResultQueryInput {
  storeFile: string
  setId: number
  query: ResultQuery
  offset: number
  limit: number
}

export type ResultQueryMessage = { type: 'page'; page: QueriedRows } | { type: 'error'; message: string }

yieldToMainThread()
const input = workerData as ResultQueryInput
try {
  const db = new Database(input.storeFile, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    const page = createResultQueries(db).read(input.setId, input.query, input.offset, input.limit)
    parentPort!.postMessage({ type: 'page', page } satisfies ResultQueryMessage)
  } finally {
    db.close()
  }
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ResultQueryMessage)
}
