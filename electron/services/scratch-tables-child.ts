// A child process that reads one scratch table list (scratch-schema.ts readScratchList) with its own
// read-only connection to a user's scratch database, telling the server each table as it goes, and ends.
// A child, not a worker thread: resolving the columns of views that name views is one SQLite call that
// can run for seconds and take gigabytes of native memory (#9 §1, atk12), which no worker thread's
// limits bound or stop. Here its watchdog kills it past SCRATCH_LIST_RSS_BYTES, and the server kills it
// at the list's time limit; the server then lists the rest (scratch-tables.ts).
import Database from 'better-sqlite3'
import { dieWithParent, lowerMemoryLimit } from '../child-process'
import { yieldToMainThread } from '../worker-thread'
import type { ScratchTable } from '../../shared/saved-scripts'
import { readScratchList, SCRATCH_LIST_RSS_BYTES, type ListBudget, type ListedName, type ListResume, type ScratchListLimits } from './scratch-schema'

/** What a scratch tables child is sent (scratch-tables.ts). */
export interface ScratchTablesInput {
  /** The user's scratch database file; it exists. */
  file: string
  /** How long to wait for a running script's lock (ms). */
  busyMs: number
  /** SCRATCH_LIST_LIMITS unless a test gives smaller ones. */
  limits?: ScratchListLimits
  /** Where to go on from, after a child that died reading a table. */
  resume?: ListResume
  /** For tests: the resident memory it may add from here (bytes), when less than SCRATCH_LIST_RSS_BYTES allows. */
  memoryHeadroom?: number
}

/**
 * What the child posts, in order: the `names` to be listed, each `table` as it is read, then `done`
 * (whether the list was cut); or `busy` when a running script kept the database locked, or why it could
 * not be read (`error`).
 */
export type ScratchTablesMessage =
  | { type: 'names'; names: ListedName[] }
  | { type: 'table'; index: number; table: ScratchTable; left: ListBudget }
  | { type: 'done'; truncated: boolean }
  | { type: 'busy' }
  | { type: 'error'; message: string }

dieWithParent({ maxRssBytes: SCRATCH_LIST_RSS_BYTES })
yieldToMainThread() // a slow list must not starve the server of CPU either
new Database(':memory:').close() // loads the native addon before the list comes (a spare child)
const post = (m: ScratchTablesMessage, then?: () => void) => process.send!(m, undefined, undefined, then)
/** Sends the last message, then lets the process end (the IPC channel would keep it alive). */
const end = (m: ScratchTablesMessage) => post(m, () => process.disconnect())

process.once('message', (input: ScratchTablesInput) => {
  if (input.memoryHeadroom !== undefined) lowerMemoryLimit(process.memoryUsage.rss() + input.memoryHeadroom)
  try {
    const list = readScratchList(input.file, {
      busyMs: input.busyMs,
      limits: input.limits,
      resume: input.resume,
      progress: { names: (names) => post({ type: 'names', names }), table: (index, table, left) => post({ type: 'table', index, table, left }) },
    })
    end({ type: 'done', truncated: list.truncated })
  } catch (e) {
    end((e as { code?: string }).code === 'SQLITE_BUSY' ? { type: 'busy' } : { type: 'error', message: (e as Error).message })
  }
})
