// A worker thread that reads one page of a result set as JSON text (store/result-query.ts jsonPage):
// a sorted or filtered page of a big set, or a page of wide rows whose cells become text, so that
// neither sorting a million rows nor formatting 2,000 columns holds up the main thread (#9 §2).
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { createResultQueries, type JsonPage, type PageShape, type ResultQuery } from '../store/result-query'
import { yieldToMainThread } from '../worker-thread'

export interface ResultQueryInput {
  storeFile: string
  set: { id: number; rowCount: number }
  query: ResultQuery
  offset: number
  limit: number
  shape?: PageShape
}

export type ResultQueryMessage = { type: 'page'; page: JsonPage } | { type: 'error'; message: string }

yieldToMainThread()
const input = workerData as ResultQueryInput
try {
  const db = new Database(input.storeFile, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    const page = createResultQueries(db).jsonPage(input.set, input.query, input.offset, input.limit, input.shape)
    parentPort!.postMessage({ type: 'page', page } satisfies ResultQueryMessage)
  } finally {
    db.close()
  }
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ResultQueryMessage)
}
