import { Readable } from 'node:stream'
import { dirname, join } from 'node:path'
import type { ResultQueries, ResultQuery } from '../../store/result-query'
import type { ResultRepository, ResultSetMeta } from '../../store/result.repository'
import { WORKER_THREADS } from '../../worker-slots'
import type { ExportOptions } from './format'
import type { ExportWorkerInput, ExportWorkerMessage } from './export-worker'
import { childRunner, threadRunner, type ExportRunner } from './export-runner'
import { exportQueue } from './export-queue'
import { userExportCap } from './export-user-cap'
import { exportInProcess, writesInProcess } from './in-process-export'
import type { ExportOutcome } from './write-file'
import { readerPace, type ReaderPace } from './reader-pace'
import { processSortRoot } from './sort-folders'

export type { CsvFormat, ExportOptions, XlsxFormat } from './format'
export type { ExportOutcome } from './write-file'

/**
 * At most this many exports run at once (each is a worker thread busy on a core), leaving a core to
 * the main thread; WAITING more may wait their turn in a line fair by user, where a user with nothing
 * in flight always gets a place (export-queue.ts says who is served and who displaced). So such a
 * user has at most WAITING - 1 exports ahead, none of a user already served while they wait, and
 * each running one is stopped after EXPORT_YIELD_MS of reader-bound time while they wait (or
 * EXPORT_IDLE_MS unread): they start within about WAITING / RUNNING × EXPORT_YIELD_MS plus the
 * workers' own producing time.
 */
const RUNNING = WORKER_THREADS
const WAITING = 8
/**
 * The rate rule's time unit (reader-pace.ts): an export's reader must take EXPORT_MIN_BYTES per this
 * much time during which it is the bottleneck (its answer's stream full, the worker waiting for it).
 * Reader-bound time and the bytes taken in it are summed across stretches, a shortfall carried over,
 * a surplus not; once the shortfall reaches this long, the export is stopped: its answer destroyed, its
 * worker (and a sorted view's read cursor, which holds a SQLite read snapshot and so keeps the WAL from
 * being checkpointed) ended, its slot freed. Without it, a client that keeps its socket open and reads
 * nothing (atk35), or next to nothing (atk36), or times a small read just before each check (atk37
 * F2), holds a slot, and every other user's export, for ever. Time the worker spends producing (a slow
 * xlsx, a selective filter) does not count, so a fast reader of a slow export is never stopped (atk37 F4).
 */
export const EXPORT_IDLE_MS = 15_000
/**
 * Bytes a reader must take per EXPORT_IDLE_MS of reader-bound time: 4 MiB in 15 s, about 280 kB/s. A
 * local client reads tens of MB/s and is reader-bound for moments; a reader at the floor still holds
 * its slot as long as its file takes (~2 min for 32 MiB, ~8 min for the 128 MiB cap), which the yield
 * rule (EXPORT_YIELD_MS) bounds while other users wait.
 */
export const EXPORT_MIN_BYTES = 4 * 1024 * 1024
/**
 * Reader-bound time, summed over an export's life and counted only while another user's export waits
 * for a slot, after which the export is stopped (`other users' exports waited … for its reader`), its
 * slot going to the next in line (atk37 F3). So with every slot held by slow readers, the first waiting
 * export starts within 60 s of their reader-bound time (plus the time their workers spend producing,
 * which is the slot's work), the n-th within about n × 60 s / running slots. A user alone, or waited
 * for only by their own exports, is never stopped by it, however slowly they read above the rate rule.
 * Only waits still on, or that ended in a slot, count: one whose client hung up (or that was displaced)
 * before its turn costs the running export nothing (atk39: three 5 s stays of a user who then left
 * stopped a download read at twice the rate floor).
 */
export const EXPORT_YIELD_MS = 60_000
/**
 * At most this many of one user's worker exports run or wait at once; a further one is refused
 * (AppError rate_limited, too_many_exports_of_user), so one user cannot take every waiting place. An
 * admin is held to it too: the cap protects the shared slots whoever asks, and an admin's exports take
 * a core each as anyone's do.
 */
export const EXPORTS_PER_USER = 2

/**
 * The folder of the data dir (beside the store) where sorted exports' children keep SQLite's sort
 * files: one folder per process (its pid: sort-folders.ts), in it one per export, removed once its child has ended.
 */
export const EXPORT_SORT_DIR = 'export-sort'

/** What an export will hold, known before its first byte: said in the answer's headers. */
export interface ExportPlan {
  /** Data rows in the file. */
  rows: number
  /** The row cap that applied. */
  rowCap: number
  /** The byte cap that applies (ExportOptions.maxBytes): the file may end before `rows` rows at it. */
  byteCap: number
  /** True when the result set has more rows than the row cap lets into the file. */
  truncated: boolean
}

export interface ExportStream extends ExportPlan {
  /** The file's bytes; destroying it stops the worker. */
  stream: Readable
  /** What was written, once the last byte is in `stream` (before it ends); rejects when the export fails. */
  done: Promise<ExportOutcome>
}

export type Exporter = ReturnType<typeof createExporter>

/** Rows of a result set as a result table shows them: its sort and filter, and how many rows match it. */
export interface ExportView {
  query: ResultQuery
  matched: number
}

/**
 * How an exporter treats a slow reader: `idleMs` (EXPORT_IDLE_MS) and `yieldMs` (EXPORT_YIELD_MS), in
 * milliseconds; when it stops an export, `warn` is told so in a line naming the job and user.
 */
export interface ExporterOptions {
  idleMs?: number
  yieldMs?: number
  warn?: (line: string) => void
}

/** Who asked for an export, as the yield rule tells users apart: a caller with no user (the desktop window's IPC) is one more. */
const userKey = (user: string | undefined): string => (user === undefined ? '' : `u:${user}`)
/** Milliseconds as seconds with one decimal, for messages. */
const seconds = (ms: number): number => Math.round(ms / 100) / 10

/**
 * Streams result sets out of the store as files, formatted in worker threads (export-worker.ts) unless
 * they are small; a big sorted view in a child process, whose sort files are kept in the data dir's
 * EXPORT_SORT_DIR (beside `storeFile`) and removed after. `export` throws AppError `unavailable` `too_many_exports` (retryAfterSeconds) when too
 * many exports are already running and waiting. `queries` reads the sorted and filtered rows of a small
 * set's view export in-process. A worker's export is stopped (its stream destroyed with an error, its
 * worker ended, its slot freed) when its reader breaks the rate rule (EXPORT_IDLE_MS, EXPORT_MIN_BYTES)
 * or the yield rule (EXPORT_YIELD_MS); reader-pace.ts keeps both.
 */
export function createExporter(storeFile: string, results: ResultRepository, queries?: ResultQueries, o: ExporterOptions = {}) {
  const idleMs = o.idleMs ?? EXPORT_IDLE_MS
  const yieldMs = o.yieldMs ?? EXPORT_YIELD_MS
  const warn = o.warn ?? ((line: string) => console.warn(`jobdesk: ${line}`))
  const sortRoot = processSortRoot(join(dirname(storeFile), EXPORT_SORT_DIR)) // removes what a crashed process left, not a live one's
  /** Running exports, by who asked (userKey), each with its reader's watch. */
  const runs = new Set<{ key: string; pace: ReaderPace; stop: (e: Error) => void }>()
  /** What a refused or displaced export's Retry-After says: about when a place frees (a stalled reader is stopped by then). */
  const retryAfterSeconds = Math.ceil(idleMs / 1000)
  const queue = exportQueue({
    running: RUNNING,
    waiting: WAITING,
    retryAfterSeconds,
    // the yield rule: each running export of another user is told of each wait, and whether it ended in a slot
    onWait: (place) => {
      for (const r of runs) if (r.key !== place.key) r.pace.waits(place)
    },
    onLeave: (place, served) => {
      for (const r of runs) r.pace.leaves(place, served)
    },
  })
  const cap = userExportCap(EXPORTS_PER_USER, retryAfterSeconds)

  return {
    /**
     * Ends every running export of `user` (their answers' streams fail with `why`, their slots are
     * freed): a disabled user's downloads stop with their other work, where at the rate floor a 128 MiB
     * file held a slot ~8 min. Returns how many it stopped. An export whose worker has ended is left to
     * its unread-rest rule (EXPORT_IDLE_MS).
     */
    stopUser(user: string, why: string): number {
      const key = userKey(user)
      const theirs = [...runs].filter((r) => r.key === key)
      for (const r of theirs) r.stop(new Error(`export stopped: ${why}`))
      return theirs.length
    },

    /**
     * Starts writing `set` with `options`; `notes` go into an xlsx's notes sheet. With `view`, the file
     * holds the rows the view's sort and filter give, in its order (at most `options.maxRows`). With
     * `jsonText`, the stream gives the file's UTF-8 text escaped as the inside of a JSON string
     * (json-text.ts), escaped off the main thread, for an answer that carries the file as one. `user`
     * (who asked) names the export in the line logged when its reader stalls and it is stopped, tells
     * its exports from other users' for the yield rule, and counts it against EXPORTS_PER_USER (throws
     * AppError rate_limited `too_many_exports_of_user` past it) until its stream closes (read to its end, destroyed, or ended EXPORT_IDLE_MS after its worker finished with the rest still unread). `signal` aborts when the client hangs
     * up: an export still waiting for a slot then leaves the queue (rejects with the signal's reason)
     * instead of taking a slot later for nobody, and no longer counts against its user.
     */
    async export(set: ResultSetMeta, options: ExportOptions, notes: string[] = [], view?: ExportView, jsonText = false, user?: string, signal?: AbortSignal): Promise<ExportStream> {
      const available = view ? view.matched : set.rowCount
      const rows = Math.min(available, options.maxRows)
      const plan = { rows, rowCap: options.maxRows, byteCap: options.maxBytes, truncated: available > options.maxRows }
      let settle!: { resolve: (o: ExportOutcome) => void; reject: (e: Error) => void }
      const done = new Promise<ExportOutcome>((resolve, reject) => (settle = { resolve, reject }))
      done.catch(() => undefined) // a caller that only reads the stream sees the error there
      const query = view?.query
      if (writesInProcess(set, options, rows, query, queries)) {
        return { stream: exportInProcess({ set, options, notes }, { results, queries, query }, jsonText, settle), done, ...plan }
      }
      const unclaim = cap.claim(user)
      const release = await queue.acquire(userKey(user), signal).catch((e: unknown) => {
        unclaim()
        throw e
      })
      const input: ExportWorkerInput = { storeFile, set, options, notes, jsonText, ...(query ? { query } : {}) }
      let worker: ExportRunner
      try {
        worker = query?.sort !== undefined ? childRunner(input, sortRoot) : threadRunner(input)
      } catch (e) {
        // a worker that could not start (its sort folder, a fork or a thread refused) gives back what it was given
        unclaim()
        release()
        throw e
      }
      let owed = 0 // acknowledgements held back while the reader is full
      let ended = false
      let pushed = 0 // bytes given to the answer's stream; what the reader took is this less what the stream still holds
      const taken = () => pushed - stream.readableLength
      const who = user ?? 'a caller'
      const pace = readerPace({ idleMs, minBytes: EXPORT_MIN_BYTES, yieldMs }, taken, (v) => {
        const what =
          v.kind === 'yield'
            ? `other users' exports waited ${seconds(v.ms)} s for its reader (a reader slower than the export may keep others waiting ${seconds(yieldMs)} s in all)`
            : `its reader took ${v.got === 0 ? 'nothing for' : `only ${Math.round(v.got / 1024)} KiB in`} ${seconds(v.ms)} s of waiting for it`
        warn(`job ${set.jobId}: ${who}'s export of result set ${set.index} stopped: ${what}`)
        const rule = v.kind === 'yield' ? 'try again when fewer exports are running' : `at least ${EXPORT_MIN_BYTES / 1024 / 1024} MiB per ${seconds(idleMs)} s is expected`
        fail(new Error(`export stopped: ${what} (${rule})`))
      })
      const running = { key: userKey(user), pace, stop: (e: Error) => fail(e) }
      runs.add(running)
      for (const w of queue.waiting) if (w.key !== running.key) pace.waits(w)
      const finish = () => {
        if (ended) return
        ended = true
        pace.end()
        runs.delete(running)
        release()
        worker.stop()
      }
      const stream = new Readable({
        read() {
          if (owed > 0) pace.drained()
          while (owed > 0) {
            owed--
            worker.ack()
          }
        },
        destroy(err, cb) {
          finish()
          // the user's count ends with the answer (read out, then auto-destroyed, or destroyed), not the worker:
          // a worker may end with megabytes unread in the stream, which the cap bounds as it does running ones (atk39)
          unclaim()
          settle.reject(err ?? new Error('export stopped: its reader went away'))
          cb(err)
        },
      })
      /**
       * Ends the export with `e`: on its stream when someone listens for errors there, else only on
       * `done`. A caller that dropped its stream unread (a test's cleanup, an abandoned answer) must not
       * have a late worker failure (its data folder gone) become the process's uncaught exception.
       */
      const fail = (e: Error) => {
        if (stream.listenerCount('error') > 0) return void stream.destroy(e)
        settle.reject(e)
        stream.destroy()
      }
      /**
       * Once the worker has ended, no rule watches the reader, yet the answer counts against its user
       * until it is read out: the rest of the file (at most what the stream holds, a reader at the rate
       * floor takes it in well under a second) must be taken within `idleMs`, or the answer is ended
       * and the count given back: else a client that keeps its connection open and never reads holds
       * its own count for ever.
       */
      const unreadRest = () => {
        if (stream.readableEnded || stream.destroyed) return
        const timer = setTimeout(() => {
          if (stream.readableEnded || stream.destroyed) return
          const what = `its reader did not take the rest of the file within ${seconds(idleMs)} s of its end`
          warn(`job ${set.jobId}: ${who}'s export of result set ${set.index} stopped: ${what}`)
          fail(new Error(`export stopped: ${what}`))
        }, idleMs)
        timer.unref?.()
        stream.once('close', () => clearTimeout(timer))
      }
      worker.onMessage((m: ExportWorkerMessage) => {
        if (m.type === 'chunk') {
          pushed += m.data.byteLength
          if (stream.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength))) worker.ack() // the worker's memory, moved (a thread's): no copy
          else if (owed++ === 0 && !ended) pace.full()
        } else if (m.type === 'end') {
          settle.resolve(m.outcome)
          stream.push(null)
          finish()
          unreadRest()
        } else {
          fail(new Error(`export failed: ${m.message}`))
        }
      })
      worker.onError((e) => fail(new Error(`export failed: ${e.message}`)))
      worker.onExit(() => {
        if (!ended) fail(new Error('export failed: its worker stopped'))
      })
      return { stream, done, ...plan }
    },

    /** The whole file as a Buffer, for transports that cannot stream (IPC); meant for bounded exports. */
    async collect(set: ResultSetMeta, options: ExportOptions, view?: ExportView): Promise<ExportPlan & { data: Buffer }> {
      const { stream, done, ...plan } = await this.export(set, options, [], view)
      const parts: Buffer[] = []
      for await (const part of stream) parts.push(part as Buffer)
      const outcome = await done
      return { ...plan, rows: outcome.rows, truncated: plan.truncated || outcome.bytesCut, data: Buffer.concat(parts) }
    },
  }
}
