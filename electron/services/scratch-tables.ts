import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../shared/errors'
import { SCRATCH_LIST_LIMITS, type ScratchTable } from '../../shared/saved-scripts'
import { memoryKilled, warmChildren, type WarmChildren } from '../child-process'
import type { Clock } from '../clock'
import { WORKER_THREADS, workerSlots, type SlotRequest } from '../worker-slots'
import { SCRATCH_LIST_RSS_BYTES, type ListedName, type ListResume, type ScratchList, type ScratchListLimits } from './scratch-schema'
import type { ScratchTablesInput, ScratchTablesMessage } from './scratch-tables-child'

/**
 * How long one list may take (ms) before its child is killed. Within the limits (SCRATCH_LIST_LIMITS)
 * a list takes well under a second even on a loaded machine; what takes longer is a schema made to be
 * slow to read: the tables read by then are listed, the rest by name only (columnsCut).
 */
export const SCRATCH_READ_MS = 10_000
/** How long a read waits for a running SQL script's lock on the scratch database (ms). */
const SCRATCH_BUSY_MS = 250
/** Lists waiting their turn beyond the running ones (a clear refusal past them). */
const WAITING = 8
/** AppError code of a list stopped at its time limit before it could name its tables. */
const TOO_SLOW = 'scratch_too_slow'

/** Reads the scratch table list of the database `file` (a user's scratch database, which may not exist yet); `by`: whose list, and their hang-up. */
export type ScratchTablesReader = (file: string, by: SlotRequest) => Promise<ScratchList>

/**
 * Scratch table lists (scratch-schema.ts readScratchList) read in child processes
 * (scratch-tables-child.ts: killed past their memory limit, SCRATCH_LIST_RSS_BYTES), never in the server
 * process; a table whose columns took a child past its memory is listed without them (columnsCut), and
 * the list goes on after it in another child. WORKER_THREADS at once, shared fairly between users
 * (workerSlots, `by.owner`), WAITING more waiting. A file that does
 * not exist lists no tables (no child). Past `timeLimitMs` (SCRATCH_READ_MS, timed on `clock`) the
 * child is killed and the tables read by then are listed, the others by name with `columnsCut`.
 * Rejects with AppError `unavailable`: scratch_busy when a running script kept the database locked,
 * scratch_too_slow when not even the names were read in time, too_many_scratch_reads beyond those
 * waiting, scratch_unreadable when SQLite or the child fails; with `by.signal`'s reason when the client
 * hangs up (the child is killed). `limits` and `memoryHeadroom` (the memory a child may add once told
 * its list, when less than its limit allows) are for tests.
 */
export function scratchTablesReader(o: { timeLimitMs?: number; clock?: Clock; limits?: ScratchListLimits; memoryHeadroom?: number } = {}): ScratchTablesReader {
  const { timeLimitMs = SCRATCH_READ_MS, clock, limits, memoryHeadroom } = o
  const slots = workerSlots({
    running: WORKER_THREADS,
    waiting: WAITING,
    code: 'too_many_scratch_reads',
    busy: `${WORKER_THREADS + WAITING} scratch table lists are already being read or waiting: try again in a moment`,
    busyOwn: 'you have as many scratch table lists being read and waiting as one user may: wait for them to answer',
    timeLimit: {
      ms: timeLimitMs,
      code: TOO_SLOW,
      message: `reading the tables of your scratch database took longer than ${timeLimitMs / 1000} s and was stopped: its schema is too large or too slow to read`,
    },
    clock,
  })
  const children = warmChildren('scratch-tables-child', dirname(fileURLToPath(import.meta.url)))
  return async (file, by) => {
    if (!existsSync(file)) return { tables: [], truncated: false }
    const lease = await slots.acquire(by)
    try {
      return await listInChildren(children, { file, busyMs: SCRATCH_BUSY_MS, limits, memoryHeadroom }, lease.signal, limits ?? SCRATCH_LIST_LIMITS)
    } finally {
      lease.release()
    }
  }
}

/** What one child did: read the list to its end, or died (past its memory limit) while reading. */
type ChildEnd = { type: 'done'; truncated: boolean } | { type: 'died'; why: string }

/** A list being read, across the children that read it: what they told so far. */
interface ListSoFar {
  names?: ListedName[]
  tables: ScratchTable[]
  /** The index (of `names`) to go on from, and the budgets left. */
  resume?: ListResume
}

/**
 * The list children of `children` read for `input`. A child that dies past its memory limit while
 * reading a table (memoryKilled) leaves that table listed by name with `columnsCut`, and the next
 * child goes on after it. Once `stop` aborts, the child is killed (SIGKILL) and, if it was the time
 * limit (TOO_SLOW) and the names were read, the list so far with the rest by name (`columnsCut`);
 * else `stop`'s reason.
 */
async function listInChildren(children: WarmChildren, input: ScratchTablesInput, stop: AbortSignal, limits: ScratchListLimits): Promise<ScratchList> {
  const so: ListSoFar = { tables: [] }
  for (;;) {
    let end: ChildEnd
    try {
      end = await oneChild(children, { ...input, resume: so.resume }, stop, so)
    } catch (e) {
      const timedOut = e instanceof AppError && e.code === TOO_SLOW
      if (timedOut && so.names) return { tables: [...so.tables, ...unread(so.names, so.resume?.from ?? 0)], truncated: true }
      throw e
    }
    if (end.type === 'done') return { tables: so.tables, truncated: end.truncated }
    if (!so.names) throw unreadable(end.why) // it died before it named a table: nothing to go on after
    // the table it died reading: the first named one it had not told
    const at = so.names.findIndex((t, i) => i >= (so.resume?.from ?? 0) && t.name !== null)
    if (at < 0) return { tables: so.tables, truncated: true }
    const { name, type } = so.names[at] as { name: string; type: 'table' | 'view' }
    so.tables.push({ name, type, columns: [], columnsCut: true })
    const left = so.resume ?? { columnsLeft: limits.columns, charsLeft: limits.chars }
    so.resume = { from: at + 1, columnsLeft: left.columnsLeft, charsLeft: left.charsLeft - name.length, truncated: true }
  }
}

/** Tables `from` on of `names`, by name only (`columnsCut`): not read in time. */
const unread = (names: ListedName[], from: number): ScratchTable[] =>
  names.slice(from).flatMap((t) => (t.name === null ? [] : [{ name: t.name, type: t.type, columns: [], columnsCut: true as const }]))

/**
 * One child's part of a list (`so` gathers what it tells). Resolves once the child is gone (so its
 * memory is given back before its slot is): `done`, or `died` when it was killed for its memory.
 * Rejects with `stop`'s reason once it aborts (the child is killed), scratch_busy, or scratch_unreadable.
 */
function oneChild(children: WarmChildren, input: ScratchTablesInput, stop: AbortSignal, so: ListSoFar): Promise<ChildEnd> {
  const child = children.take()
  children.refill()
  return new Promise<ChildEnd>((resolve, reject) => {
    let outcome: (() => void) | undefined
    let closed = false
    /** Settles with `fn` once the child is gone (killing it if it is not ending by itself); the first outcome wins. */
    const settle = (fn: () => void) => {
      if (outcome) return
      outcome = fn
      stop.removeEventListener('abort', onStop)
      if (closed) fn()
      else child.kill('SIGKILL') // one that answered is ending anyway; one that did not is stopped
    }
    const onStop = () => settle(() => reject(stop.reason))
    child.on('message', (m: ScratchTablesMessage) => {
      if (m.type === 'names') so.names ??= m.names
      else if (m.type === 'table') {
        so.tables.push(m.table)
        so.resume = { from: m.index + 1, ...m.left, truncated: (so.resume?.truncated ?? false) || m.table.columnsCut === true }
      } else if (m.type === 'done') settle(() => resolve({ type: 'done', truncated: m.truncated }))
      else if (m.type === 'busy') settle(() => reject(new AppError('unavailable', 'scratch_busy', 'your scratch database is busy with a running script: try again when it ends')))
      else settle(() => reject(unreadable(m.message)))
    })
    child.on('error', (e) => settle(() => reject(unreadable(e.message))))
    // 'close', not 'exit': it comes after the child's last message
    child.once('close', (code, signal) => {
      closed = true
      stop.removeEventListener('abort', onStop)
      outcome ??= memoryKilled(signal)
        ? () => resolve({ type: 'died', why: `it took more than ${SCRATCH_LIST_RSS_BYTES / 2 ** 20} MB of memory to read` })
        : () => reject(unreadable(`its process stopped (${signal ?? code})`))
      outcome()
    })
    if (stop.aborted) onStop()
    else stop.addEventListener('abort', onStop, { once: true })
    if (!outcome) child.send(input)
  })
}

const unreadable = (why: string) => new AppError('unavailable', 'scratch_unreadable', `your scratch database could not be read: ${why}`)
