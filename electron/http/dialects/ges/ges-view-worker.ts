// A worker thread that builds one GES job view (job-views.ts) as JSON text from its own read-only
// connection to the store's file: the jobs' stored inputs and reports are read, parsed and cut here,
// so that megabytes of them never hold the main thread (#9 §2).
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { createJobCenterRepository } from '../../../store/job-center.repository'
import { createJobRepository } from '../../../store/job.repository'
import { yieldToMainThread } from '../../../worker-thread'
import { buildGesView, type GesViewInput } from './job-views'

export interface GesViewWorkerInput {
  storeFile: string
  input: GesViewInput
}

/** The view's JSON text (null: its job is gone), or why it failed. */
export type GesViewMessage = { type: 'view'; json: string | null } | { type: 'error'; message: string }

yieldToMainThread()
const { storeFile, input } = workerData as GesViewWorkerInput
try {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    const view = buildGesView({ jobs: createJobRepository(db), jobCenter: createJobCenterRepository(db) }, input)
    parentPort!.postMessage({ type: 'view', json: view === undefined ? null : JSON.stringify(view) } satisfies GesViewMessage)
  } finally {
    db.close()
  }
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies GesViewMessage)
}
