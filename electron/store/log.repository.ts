import type { LogInfo, LogLine, LogStream } from '../../shared/model'
import type { LogLevel } from '../../shared/status'
import type { Statement } from 'better-sqlite3'
import type { Db } from './connection'
import { jsonEscapedLength } from '../json-bytes'
import { createJobChanges, type JobChanges } from './job-changes'

export interface NewLogLine {
  jobId: number
  seq: number
  taskId: number | null
  time: number
  level: LogLevel
  text: string
  /** Stdout when absent. */
  stream?: LogStream
}

/** A cut in a job's log: the note at `markerSeq` replaces the lines after it up to `deleteThrough`. */
export interface LogTruncation {
  jobId: number
  markerSeq: number
  /** Stored lines after the marker up to this seq are dropped now (null: none this time). */
  deleteThrough: number | null
  droppedLines: number
  droppedBytes: number
  marker: { time: number; level: LogLevel; text: string }
}

/** Which lines of a log to read: forward from `from`, or the `size` lines before `before` (or the last ones with `tail`). */
export interface LogQuery {
  from?: number
  before?: number
  tail?: boolean
  size: number
  /** Lines of this task and of the tasks of its groups (`task_0-…`). */
  task?: string
  /** Lines containing this text (case-insensitive for ASCII letters). */
  text?: string
}

export type LogRepository = ReturnType<typeof createLogRepository>

/** Lines per synchronous read of a long log: small enough that one page holds the main thread a few ms. */
export const LOG_READ_SLICE = 200

/** Resolves in a later turn of the event loop, after pending I/O (requests) had theirs. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Which stored lines `logPages` reads: forward from `from`, at most `max` of them, none with seq ≥ `until`. */
export interface LogPagesQuery {
  from?: number
  until?: number
  max?: number
  /** Lines of this task and of the tasks of its groups (as LogQuery.task). */
  task?: string
}

/**
 * Most bytes one page of `logPages` carries as an answer writes it (each line's text JSON-escaped, plus
 * LINE_ANSWER_BYTES), so each turn of a streamed log answer is small whatever the lines hold: 200 lines of
 * NUL bytes are 240 kB escaped, and four readers of such a log held a status probe 1.6 s (#9 §2).
 */
export const LOG_PAGE_BYTES = 64 * 1024
/** What a line adds to an answer beyond its text: time stamp, level, task, newline (about). */
const LINE_ANSWER_BYTES = 32

/**
 * A job's log read forward in pages of at most `LOG_READ_SLICE` lines and LOG_PAGE_BYTES bytes as
 * sent (a single longer line is a page of its own; empty pages are not yielded), with a turn of the
 * event loop between pages so that a long log never holds the server and parallel readers take
 * turns with other requests (#9 §2). Reading stops when the consumer stops asking (a `break`, or
 * `return()` when a streamed answer's client hangs up).
 */
export async function* logPages(logs: LogRepository, jobId: number, q: LogPagesQuery = {}): AsyncGenerator<LogLine[]> {
  const until = q.until ?? Number.POSITIVE_INFINITY
  let from = q.from ?? 0
  let left = q.max ?? Number.POSITIVE_INFINITY
  while (left > 0 && from < until) {
    const size = Math.min(LOG_READ_SLICE, left)
    const page = logs.page(jobId, { from, size, task: q.task })
    const lines = page.lines.length && page.lines[page.lines.length - 1].seq >= until ? page.lines.filter((l) => l.seq < until) : page.lines
    let start = 0
    let bytes = 0
    for (let i = 0; i < lines.length; i++) {
      const b = jsonEscapedLength(lines[i].text) + LINE_ANSWER_BYTES
      if (i > start && bytes + b > LOG_PAGE_BYTES) {
        yield lines.slice(start, i)
        await nextTurn()
        start = i
        bytes = 0
      }
      bytes += b
    }
    if (start < lines.length) yield start === 0 ? lines : lines.slice(start)
    if (lines.length < size) return
    from = page.next
    left -= lines.length
    await nextTurn()
  }
}

type LogRow = Omit<LogLine, 'stream'> & { stream: LogStream }

/** A stored line as answers show it: `stream` only on stderr lines. */
function toLogLine(row: LogRow): LogLine {
  const { stream, ...line } = row
  return stream === 'stderr' ? { ...line, stream } : line
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** `changes` hears of every write of a job's log (its detail counts the lines). */
export function createLogRepository(db: Db, changes: JobChanges = createJobChanges()) {
  const insert = db.prepare(
    'INSERT INTO log_lines (job_id, seq, task_id, time, level, text, stream) VALUES (@jobId, @seq, @taskId, @time, @level, @text, @stream)',
  )
  const where = `l.job_id = @jobId
       AND (@task IS NULL OR t.name = @task OR t.name LIKE @groups ESCAPE '\\')
       AND (@text IS NULL OR l.text LIKE @text ESCAPE '\\')`
  // a line's task is one of its own job's: a redone foreach drops tasks, and another job's task may take a dropped id
  const linesAndTasks = 'FROM log_lines l LEFT JOIN tasks t ON t.id = l.task_id AND t.job_id = l.job_id'
  const select = `SELECT l.seq, l.time, l.level, l.text, t.name AS task, l.stream ${linesAndTasks}`
  const forward = db.prepare(`${select} WHERE ${where} AND l.seq >= @from ORDER BY l.seq LIMIT @size`)
  const backward = db.prepare(`${select} WHERE ${where} AND l.seq < @before ORDER BY l.seq DESC LIMIT @size`)
  const count = db.prepare(`SELECT count(*) AS n ${linesAndTasks} WHERE ${where}`)
  const countAll = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM log_lines WHERE job_id = ?')
  const maxSeq = db.prepare<[number], { m: number | null }>('SELECT max(seq) AS m FROM log_lines WHERE job_id = ?')
  const selectCut = db.prepare<[number], { marker_seq: number; dropped_lines: number; dropped_bytes: number }>(
    'SELECT marker_seq, dropped_lines, dropped_bytes FROM log_truncations WHERE job_id = ?',
  )
  const upsertCut = db.prepare(
    `INSERT INTO log_truncations (job_id, marker_seq, dropped_lines, dropped_bytes) VALUES (@jobId, @markerSeq, @droppedLines, @droppedBytes)
     ON CONFLICT (job_id) DO UPDATE SET marker_seq = excluded.marker_seq, dropped_lines = excluded.dropped_lines, dropped_bytes = excluded.dropped_bytes`,
  )
  const upsertMarker = db.prepare(
    `INSERT INTO log_lines (job_id, seq, task_id, time, level, text) VALUES (@jobId, @seq, NULL, @time, @level, @text)
     ON CONFLICT (job_id, seq) DO UPDATE SET time = excluded.time, text = excluded.text`,
  )
  const deleteRange = db.prepare('DELETE FROM log_lines WHERE job_id = ? AND seq > ? AND seq <= ?')
  const storedBytes = db.prepare<[number], { bytes: number | null; n: number }>(
    'SELECT sum(length(CAST(text AS BLOB))) AS bytes, count(*) AS n FROM log_lines WHERE job_id = ?',
  )
  // prepared at first use, so that the repository still opens a store of an older schema (the upgrade tests do)
  let keptLog: Statement<[{ jobId: number; lineCost: number }]> | undefined
  const sizesAfter = db.prepare<[number, number], { seq: number; bytes: number }>(
    'SELECT seq, length(CAST(text AS BLOB)) AS bytes FROM log_lines WHERE job_id = ? AND seq > ? ORDER BY seq',
  )

  const filter = (jobId: number, task?: string, text?: string) => ({
    jobId,
    task: task ?? null,
    groups: task === undefined ? null : `${likeEscape(task)}\\_%`,
    text: text ? `%${likeEscape(text)}%` : null,
  })

  return {
    /** Call inside the caller's transaction: log lines are committed together with the state they explain. */
    append(lines: readonly NewLogLine[]): void {
      let last: number | undefined
      for (const l of lines) if (l.jobId !== last) changes.changed((last = l.jobId))
      for (const l of lines) insert.run({ jobId: l.jobId, seq: l.seq, taskId: l.taskId, time: l.time, level: l.level, text: l.text, stream: l.stream ?? 'stdout' })
    },
    /** Lines with seq ≥ from (seq starts at 0); `next` is where the following page starts. */
    read(jobId: number, from: number, size: number, task?: string): { lines: LogLine[]; next: number } {
      return this.page(jobId, { from, size, task })
    },
    /**
     * A page of lines in seq order. Seqs have gaps where a long log was cut, so page with `next`
     * (forward) or with the first line's seq as the next `before` (backward), never by counting.
     */
    page(jobId: number, q: LogQuery): { lines: LogLine[]; next: number } {
      const f = filter(jobId, q.task, q.text)
      if (q.tail || q.before !== undefined) {
        const lines = (backward.all({ ...f, before: q.tail ? Number.MAX_SAFE_INTEGER : q.before, size: q.size }) as LogRow[]).map(toLogLine).reverse()
        return { lines, next: lines.length ? lines[lines.length - 1].seq + 1 : this.nextSeq(jobId) }
      }
      const from = q.from ?? 0
      const lines = (forward.all({ ...f, from, size: q.size }) as LogRow[]).map(toLogLine)
      return { lines, next: lines.length ? lines[lines.length - 1].seq + 1 : from }
    },
    /** How many stored lines match (all of the job's without a task or text). */
    count(jobId: number, task?: string, text?: string): number {
      if (task === undefined && !text) return countAll.get(jobId)?.n ?? 0
      return (count.get(filter(jobId, task, text)) as { n: number }).n
    },
    nextSeq(jobId: number): number {
      const m = maxSeq.get(jobId)?.m
      return m == null ? 0 : m + 1
    },
    /** Lines stored and dropped, for the job's detail. */
    info(jobId: number): LogInfo {
      const cut = selectCut.get(jobId)
      return { lines: countAll.get(jobId)?.n ?? 0, droppedLines: cut?.dropped_lines ?? 0, droppedBytes: cut?.dropped_bytes ?? 0 }
    },
    /** Where the job's log was cut, if it was. */
    truncation(jobId: number): { markerSeq: number; droppedLines: number; droppedBytes: number } | undefined {
      const cut = selectCut.get(jobId)
      return cut && { markerSeq: cut.marker_seq, droppedLines: cut.dropped_lines, droppedBytes: cut.dropped_bytes }
    },
    /** Call inside the caller's transaction: drops the lines the cut covers and rewrites its note. */
    truncate(t: LogTruncation): void {
      changes.changed(t.jobId)
      if (t.deleteThrough !== null) deleteRange.run(t.jobId, t.markerSeq, t.deleteThrough)
      upsertMarker.run({ jobId: t.jobId, seq: t.markerSeq, ...t.marker })
      upsertCut.run({ jobId: t.jobId, markerSeq: t.markerSeq, droppedLines: t.droppedLines, droppedBytes: t.droppedBytes })
    },
    /** The stored log's size as the log budget counts it: its bytes plus `lineCost` per line. */
    storedCost(jobId: number, lineCost: number): number {
      const r = storedBytes.get(jobId)
      return (r?.bytes ?? 0) + (r?.n ?? 0) * lineCost
    },
    /**
     * Writes job `jobId`'s stored log size (as storedCost counts it, `lineCost` a line) to jobs.log_bytes,
     * which migration 036's trigger adds to its submitter's kept bytes (shared/quotas.ts
     * MAX_KEPT_BYTES_PER_USER). Call once the job's log is all written (engine/job-logs.ts LogBatch.ended),
     * not per line: it reads the job's lines' lengths (one range of the (job_id, seq) key).
     */
    countKeptLog(jobId: number, lineCost: number): void {
      keptLog ??= db.prepare<[{ jobId: number; lineCost: number }]>(
        'UPDATE jobs SET log_bytes = (SELECT coalesce(sum(octet_length(text)), 0) + count(*) * @lineCost FROM log_lines WHERE job_id = @jobId) WHERE id = @jobId',
      )
      keptLog.run({ jobId, lineCost })
    },
    /** Seq and byte length of every stored line after `seq` (a cut log's kept tail). */
    sizesAfter(jobId: number, seq: number): { seq: number; bytes: number }[] {
      return sizesAfter.all(jobId, seq)
    },
  }
}
