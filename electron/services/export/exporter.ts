import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { PassThrough, Readable, Transform } from 'node:stream'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChild } from '../../child-process'
import type { ResultQueries, ResultQuery } from '../../store/result-query'
import type { ResultRepository, ResultSetMeta } from '../../store/result.repository'
import { startWorker } from '../../worker-thread'
import { INLINE_QUERY_BYTES, inlineQuery } from '../result-query'
import { WORKER_THREADS, workerSlots } from '../../worker-slots'
import { AppError } from '../../../shared/errors'
import type { CsvFormat, ExportOptions } from './format'
import type { ExportWorkerInput, ExportWorkerMessage } from './export-worker'
import { jsonTextEncoder } from './json-text'
import { writeExport, type ExportOutcome, type Sink } from './write-file'
import { readerPace, type ReaderPace } from './reader-pace'
import { processSortRoot } from './sort-folders'

export type { CsvFormat, ExportOptions, XlsxFormat } from './format'
export type { ExportOutcome } from './write-file'

/**
 * At most this many exports run at once (each is a worker thread busy on a core), leaving a core to
 * the main thread; a few more may wait their turn. With every waiting place taken, a user with nothing
 * running or waiting takes the place of the newest waiting export of the user with the most running or
 * waiting (at least 2; that export is refused, 429 `export_displaced`): without it (atk39), 5 accounts
 * of 2 exports each that read nothing and asked again at once kept every place, and bob was refused for
 * ever. The bound: such a user is refused only while RUNNING + WAITING other users hold one export
 * each; once waiting, their place is never taken (they hold one), at most WAITING - 1 exports are ahead
 * in line, and each running one is stopped after EXPORT_YIELD_MS of reader-bound time while they wait
 * (or EXPORT_IDLE_MS unread), so they start within about WAITING / RUNNING × EXPORT_YIELD_MS plus the
 * workers' own producing time.
 */
const RUNNING = WORKER_THREADS
const WAITING = 8
/** An export streams, so it needs little memory; a bound keeps a runaway one from taking the machine's. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 }
/**
 * Up to this many rows and cells, and INLINE_QUERY_BYTES of stored rows in the whole set, a CSV export
 * is written in-process: a few milliseconds, not worth a thread. An xlsx always goes to a worker:
 * importing exceljs alone costs ~0.7 s of CPU, and one row of 2,000 columns written in-process held
 * every request 716 ms (#9 §2). Such an export is outside the slots, EXPORTS_PER_USER and the rate rule,
 * and needs none of them: it is one page (at most 1 MB of stored rows, and at most INLINE_WRITTEN_BYTES
 * written at worst under its options), written in one turn,
 * then held until its reader takes it, as an unread result page (MAX_PAGE_BYTES) is; many left unread
 * cost what as many unread pages do. Without the byte bound (atk37), 1,000 rows of 256 K characters
 * (256 MB of CSV) passed as small and were formatted on the main thread, outside every bound.
 */
const INLINE_ROWS = 1000
const INLINE_CELLS = 20_000
/** Whether `set` is small enough in bytes for an in-process export: known, and at most INLINE_QUERY_BYTES. */
const fewBytes = (set: ResultSetMeta): boolean => set.bytes !== undefined && set.bytes <= INLINE_QUERY_BYTES
/**
 * The most bytes an in-process CSV export may write at worst (csvWorstBytes): what is written, not
 * what is stored, bounds its turn on the main thread. Without it (atk39), 1,000 rows of 20 NULLs
 * (101 kB stored) written as a 100-quote nullValue under quoteAll, in utf-16le, were 8 MB in one turn,
 * outside the slots, EXPORTS_PER_USER and the rate rule; past it the export goes to a worker, under all three.
 */
const INLINE_WRITTEN_BYTES = INLINE_QUERY_BYTES
/** Bytes a charset may write per byte of UTF-8 at worst: utf-16 doubles ASCII, gb18030 writes some 2-byte characters in 4; utf-32 quadruples. */
const charsetWidth = (charset: string): number => (/^utf-?8$/i.test(charset) ? 1 : /^(utf-?32|ucs-?4)/i.test(charset) ? 4 : 2)
/**
 * The most bytes a CSV of `rows` rows and `cells` cells, from `stored` UTF-16 code units of stored rows
 * (result.repository.ts counts a set's size as JavaScript string length), can write under `o`, before
 * its byte cap (csvField's rules): each unit at most 3 bytes of UTF-8 (a CJK character is one unit and
 * three bytes, atk40; a quote, doubled, two), each cell its stored text or `nullValue`, every quote in
 * it doubled, enclosed in quotes, a formula neutraliser and a separator; a line end a row, a
 * header of column names; all of it times the charset's width, plus a byte-order mark.
 */
export function csvWorstBytes(o: CsvFormat & { nullValue: string; columns: number[] }, stored: number, rows: number, cells: number, header: number): number {
  const perCell = 2 * Buffer.byteLength(o.nullValue) + 3 + Buffer.byteLength(o.separator)
  const utf8 = 3 * (stored + header) + (cells + o.columns.length) * perCell + (rows + 1) * o.lineEnd.length
  return charsetWidth(o.charset) * utf8 + 4
}
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
 * a core each as anyone's do (atk37 reviewed it: no bypass).
 */
export const EXPORTS_PER_USER = 2

/**
 * The folder of the data dir (beside the store) where sorted exports' children keep SQLite's sort
 * files: one folder per process (its pid: sort-folders.ts), in it one per export, removed once its child has ended.
 */
export const EXPORT_SORT_DIR = 'export-sort'

/** A running export worker, a thread or a child process: what the exporter says to it and hears from it. */
interface ExportRunner {
  ack(): void
  onMessage(listener: (m: ExportWorkerMessage) => void): void
  onError(listener: (e: Error) => void): void
  /** Called once it has ended (after `stop`, or on its own), and whatever it left is removed. */
  onExit(listener: () => void): void
  stop(): void
}

/** The export worker as a thread (an export that sorts nothing: no temporary files). */
function threadRunner(input: ExportWorkerInput): ExportRunner {
  const worker = startWorker('export-worker', HERE, input, WORKER_LIMITS)
  return {
    ack: () => worker.postMessage('ack'),
    onMessage: (listener) => void worker.on('message', listener),
    onError: (listener) => void worker.on('error', listener),
    onExit: (listener) => void worker.on('exit', listener),
    stop: () => void worker.terminate(),
  }
}

/**
 * The export worker as a child process with SQLITE_TMPDIR a folder of its own under `sortRoot` (a
 * sorted view: SQLite's sorter spills to temporary files, 130 MB for 2,000 rows of 64 kB, and none of
 * that file I/O is done by the app's process). The folder is removed once the child has ended, however
 * it ended (done, failed, stopped by a client that hung up).
 */
function childRunner(input: ExportWorkerInput, sortRoot: string): ExportRunner {
  const dir = join(sortRoot, randomUUID())
  mkdirSync(dir, { recursive: true })
  let child: ReturnType<typeof startChild>
  try {
    child = startChild('export-worker', HERE, { env: { SQLITE_TMPDIR: dir } })
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const removed = exited.then(() => rmSync(dir, { recursive: true, force: true }))
  child.send(input)
  return {
    ack: () => void child.send('ack', (e) => e && child.kill('SIGKILL')),
    onMessage: (listener) => void child.on('message', listener),
    onError: (listener) => void child.on('error', listener),
    onExit: (listener) => void removed.then(listener),
    stop: () => void child.kill('SIGKILL'),
  }
}

/** Where export-worker.ts is, for startWorker and startChild run from source. */
const HERE = dirname(fileURLToPath(import.meta.url))

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

/** A stream written UTF-8 bytes that reads them as the escaped inside of a JSON string (a small export's jsonText, in-process). */
function jsonTextStream(): Transform {
  const text = jsonTextEncoder()
  const out = (bytes: Buffer) => (bytes.length ? bytes : undefined)
  return new Transform({
    transform: (chunk: Buffer, _enc, cb) => cb(null, out(text.write(chunk))),
    flush: (cb) => cb(null, out(text.end())),
  })
}

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
 * EXPORT_SORT_DIR (beside `storeFile`) and removed after. `export` throws AppError `unavailable` when too
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
  const slots = workerSlots({
    running: RUNNING,
    waiting: WAITING,
    code: 'too_many_exports',
    busy: `${RUNNING + WAITING} exports are already running or waiting: try again when one has finished`,
  })
  /** Running exports, by who asked (userKey), each with its reader's watch. */
  const runs = new Set<{ key: string; pace: ReaderPace }>()
  /** Exports waiting for a slot, by who asked (userKey). */
  const waiting = new Map<string, number>()
  /** Each waiting export, oldest first: who asked, and what takes its place from it (displace). */
  const line: { key: string; leave: AbortController }[] = []
  /** Exports of `key` running or waiting. */
  const inFlight = (key: string) => [...runs].filter((r) => r.key === key).length + (waiting.get(key) ?? 0)
  /**
   * With every waiting place taken, a newcomer (`key` with nothing running or waiting) takes the place
   * of the newest waiting export of the user with the most running or waiting, if that user has at
   * least 2 (so keeps one); that export is refused (AppError rate_limited `export_displaced`, 429).
   */
  const displace = (key: string): void => {
    if (slots.waiting < WAITING || inFlight(key) > 0) return
    let victim: (typeof line)[number] | undefined
    let most = 0
    for (const w of line) {
      const n = inFlight(w.key)
      if (w.key !== key && n >= most) [victim, most] = [w, n] // ties: the newest (line is oldest first)
    }
    if (!victim || most < 2) return
    victim.leave.abort(
      new AppError('rate_limited', 'export_displaced', `a user with no export running or waiting took this export's place in line: ${most} of yours were running or waiting; try again when one has finished`, {
        retryAfterSeconds: Math.ceil(idleMs / 1000),
      }),
    )
  }
  /** A slot for `key`'s export: counted as waiting while it waits; leaves the queue when `signal` aborts, or when displaced. */
  const queued = async (key: string, signal?: AbortSignal): Promise<void> => {
    displace(key)
    const leave = new AbortController()
    const hangUp = () => leave.abort(signal!.reason)
    if (signal?.aborted) hangUp()
    signal?.addEventListener('abort', hangUp, { once: true })
    const before = slots.waiting
    const got = acquire(leave.signal)
    if (slots.waiting === before) {
      signal?.removeEventListener('abort', hangUp)
      return got // a slot at once, or refused: it never waited
    }
    const place = { key, leave }
    line.push(place)
    waiting.set(key, (waiting.get(key) ?? 0) + 1)
    // the yield rule: each running export of another user is told of this wait, and whether it ended in a slot
    for (const r of runs) if (r.key !== key) r.pace.waits(place)
    let served = false
    try {
      await got
      served = true
    } finally {
      signal?.removeEventListener('abort', hangUp)
      line.splice(line.indexOf(place), 1)
      const left = waiting.get(key)! - 1
      if (left > 0) waiting.set(key, left)
      else waiting.delete(key)
      for (const r of runs) r.pace.leaves(place, served)
    }
  }
  const { acquire, release } = slots
  const perUser = new Map<string, number>()
  /** Counts one more export of `user` (none counted without one), or throws when they have EXPORTS_PER_USER; returns what uncounts it (once). */
  const claim = (user: string | undefined): (() => void) => {
    if (user === undefined) return () => undefined
    const n = perUser.get(user) ?? 0
    if (n >= EXPORTS_PER_USER) {
      throw new AppError('rate_limited', 'too_many_exports_of_user', `${user} already has ${n} exports running or waiting: try again when one has finished`, {
        retryAfterSeconds: Math.ceil(idleMs / 1000),
      })
    }
    perUser.set(user, n + 1)
    let counted = true
    return () => {
      if (!counted) return
      counted = false
      const left = perUser.get(user)! - 1
      if (left > 0) perUser.set(user, left)
      else perUser.delete(user)
    }
  }

  return {
    /**
     * Starts writing `set` with `options`; `notes` go into an xlsx's notes sheet. With `view`, the file
     * holds the rows the view's sort and filter give, in its order (at most `options.maxRows`). With
     * `jsonText`, the stream gives the file's UTF-8 text escaped as the inside of a JSON string
     * (json-text.ts), escaped off the main thread, for an answer that carries the file as one. `user`
     * (who asked) names the export in the line logged when its reader stalls and it is stopped, tells
     * its exports from other users' for the yield rule, and counts it against EXPORTS_PER_USER (throws
     * AppError rate_limited `too_many_exports_of_user` past it) until its stream closes (read to its end or destroyed). `signal` aborts when the client hangs
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
      // a sort or filter reads every cell of the whole set, however few rows the file gets
      const cells = rows * options.columns.length
      const small = (query ? inlineQuery(set) && queries : rows <= INLINE_ROWS && fewBytes(set)) && cells <= INLINE_CELLS
      const header = options.columns.reduce((n, c) => n + Buffer.byteLength(set.columns[c]?.name ?? ''), 0)
      if (options.format === 'csv' && small && Math.min(options.maxBytes, csvWorstBytes(options, set.bytes ?? Infinity, rows, cells, header)) <= INLINE_WRITTEN_BYTES) {
        const stream = Object.assign(jsonText ? jsonTextStream() : new PassThrough(), { ready: () => Promise.resolve() }) as Sink & PassThrough
        const read = (offset: number, limit: number) => (query && queries ? queries.rows(set.id, query, offset, limit) : results.rows(set, offset, limit))
        writeExport({ set, options, notes }, stream, read).then(settle.resolve, (e: Error) => {
          const failed = new Error(`export failed: ${e.message}`)
          settle.reject(failed)
          stream.destroy(failed)
        })
        return { stream, done, ...plan }
      }
      const unclaim = claim(user)
      await queued(userKey(user), signal).catch((e: unknown) => {
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
      const running = { key: userKey(user), pace }
      runs.add(running)
      for (const w of line) if (w.key !== running.key) pace.waits(w)
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
      worker.onMessage((m: ExportWorkerMessage) => {
        if (m.type === 'chunk') {
          pushed += m.data.byteLength
          if (stream.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength))) worker.ack() // the worker's memory, moved (a thread's): no copy
          else if (owed++ === 0 && !ended) pace.full()
        } else if (m.type === 'end') {
          settle.resolve(m.outcome)
          stream.push(null)
          finish()
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
