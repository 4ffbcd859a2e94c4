// A worker thread that reads one scratch table list (scratch-schema.ts readScratchList) with its own
// read-only connection to a user's scratch database, and ends: a script can make that schema as wide as
// SQLite allows, and on the main thread 1,000,000 columns held every request 5 s (#9 §2). See
// scratch-tables.ts for the main side.
import { parentPort, workerData } from 'node:worker_threads'
import { yieldToMainThread } from '../worker-thread'
import { readScratchList, type ScratchList, type ScratchListLimits } from './scratch-schema'

/** What a scratch tables worker is started with (scratch-tables.ts). */
export interface ScratchTablesInput {
  /** The user's scratch database file; it exists. */
  file: string
  /** How long to wait for a running script's lock (ms). */
  busyMs: number
  /** SCRATCH_LIST_LIMITS unless a test gives smaller ones. */
  limits?: ScratchListLimits
}

/** The list; `busy` when a running script kept the database locked; or why it could not be read. */
export type ScratchTablesMessage = { type: 'list'; list: ScratchList } | { type: 'busy' } | { type: 'error'; message: string }

yieldToMainThread()
const input = workerData as ScratchTablesInput
try {
  const list = readScratchList(input.file, { busyMs: input.busyMs, limits: input.limits })
  parentPort!.postMessage({ type: 'list', list } satisfies ScratchTablesMessage)
} catch (e) {
  const busy = (e as { code?: string }).code === 'SQLITE_BUSY'
  parentPort!.postMessage((busy ? { type: 'busy' } : { type: 'error', message: (e as Error).message }) satisfies ScratchTablesMessage)
}
