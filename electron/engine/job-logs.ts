// A job's log is bounded: its head and its tail are kept, the middle is dropped with a note.
// (1 GB of stdout once became 4.9 GB of database.) GitLab CI stops collecting at its limit;
// keeping the tail as well keeps the error that ended the job, which is what people look for.
import type { LogStream } from '../../shared/model'
import type { LogLevel } from '../../shared/status'
import { jsonEscapedLength } from '../json-bytes'
import type { LogRepository, LogTruncation } from '../store/log.repository'
import type { ActiveJob } from './active-job'
import type { Clock } from '../clock'
import type { PendingLog } from './engine-events'
import { formatCount, formatSize } from '../../shared/number-format'

export interface LogLimits {
  /**
   * Budget of the first lines kept, in bytes (a line costs its bytes as answered, JSON-escaped UTF-8,
   * + LINE_COST: a NUL is 6 bytes in every answer, so a log of control characters is kept to what it
   * answers, not to a sixth of it).
   */
  headBytes: number
  /** Budget of the last lines kept, likewise. */
  tailBytes: number
  /** Past the head, the newest lines are written (and pushed to viewers) at most this often. */
  flushMs: number
}

export const DEFAULT_LOG_LIMITS: LogLimits = { headBytes: 4 * 1024 * 1024, tailBytes: 1024 * 1024, flushMs: 1000 }

/** What a line costs beyond its text (its row, its index entry): 10 M one-byte lines are not 10 MB. */
export const LINE_COST = 64
/**
 * Lines one commit writes at most, so that no commit holds the main thread for long: 1,000 took
 * ~80 ms at a load of 5 on two cores (an insert and its event each), and the 45,000 lines of an
 * 80,000-statement SQL job held a status probe past 200 ms (#9 §2); 250 keep a commit to a few ms.
 */
export const MAX_LINES_PER_COMMIT = 250
/** And at most about this much text (long lines make large commits and large events). */
export const MAX_CHARS_PER_COMMIT = 32 * 1024
/** Lines of a flooding job's tail written per flush while it runs; the rest once it ends. */
const LIVE_TAIL_LINES = 200

/** A line past the head: one object per line, as a flood makes millions of them. */
interface TailLine {
  seq: number
  time: number
  level: LogLevel
  text: string
  taskId: number | null
  taskName: string | null
  stream: LogStream
  /** Its share of the budget (see LogLimits.headBytes). */
  cost: number
  /** Its UTF-8 bytes: what the note says was dropped is output, not escapes. */
  bytes: number
  written: boolean
}

interface JobLogState {
  jobId: number
  headCost: number
  /** Head lines of this job still in the pending queue. */
  pendingHead: number
  /** Seq kept for the note that stands where lines were dropped; null while the head has room. */
  markerSeq: number | null
  tail: TailLine[]
  /** tail[0..start) are evicted slots not yet compacted away. */
  start: number
  tailCost: number
  /** Tail lines not written yet. */
  unwritten: number
  droppedLines: number
  droppedBytes: number
  /** Highest seq of an evicted line that had been written: rows up to here go at the next flush. */
  deleteThrough: number | null
  lastFlush: number
  /** Counts or marker changed since the last flush. */
  dirty: boolean
  /** The job's work is over: its whole tail is written, a commit's worth at a time. */
  closing: boolean
}

/** What one commit may still take. */
interface Room {
  lines: number
  chars: number
}

/** Lines to write and truncations to apply in the engine's next commit, in that order. */
export interface LogBatch {
  lines: PendingLog[]
  truncations: LogTruncation[]
  /**
   * Jobs whose log is all written with this commit (their work over): the commit counts each one's
   * stored log against its submitter's quota once, after the lines (log.repository.ts countKeptLog).
   */
  ended: number[]
}

/**
 * The engine's pending log lines, with each job's budget applied. Head lines go out with the
 * next commit. Past the head, lines enter a bounded tail in memory: while the job runs only
 * its newest lines are written every `flushMs`; when its work is over the whole tail is, a
 * commit's worth (MAX_LINES_PER_COMMIT, MAX_CHARS_PER_COMMIT) at a time, and the job finishes
 * once it is (`hasBacklog`). So a flood costs memory and disk of the budget's size, and no
 * commit holds the event loop long.
 */
export class JobLogs {
  private readonly states = new Map<number, JobLogState>()
  private pending: PendingLog[] = []
  /**
   * Head lines of jobs whose work is over (close), written before `pending`: a job's end waits for its
   * own last lines, not behind another job's flood (a 2 s timeout ended its job 3 s late, newuser4 #8).
   */
  private closingHead: PendingLog[] = []
  private readonly due = new Set<JobLogState>()
  private timer: { at: number } | null = null
  private soon = false

  constructor(
    private readonly logs: LogRepository,
    private readonly clock: Clock,
    /** Called when more is due to be written; the engine commits then. */
    private readonly wake: () => void,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {}

  /** Adds a line to a job's log (from the task's `stream`, stdout for the engine's own lines); the job's `logSeq` numbers it. */
  add(job: ActiveJob, taskId: number | null, taskName: string | null, level: LogLevel, text: string, stream: LogStream = 'stdout'): void {
    const jobId = job.rec.id
    const state = this.states.get(jobId) ?? this.open(jobId)
    const cost = jsonEscapedLength(text) + LINE_COST
    const time = this.clock.now()
    if (state.markerSeq === null && state.headCost + cost <= this.limits.headBytes) {
      state.headCost += cost
      state.pendingHead++
      ;(state.closing ? this.closingHead : this.pending).push({ jobId, seq: job.logSeq++, taskId, taskName, time, level, text, stream })
      return
    }
    // The note's place is kept between head and tail; it is written once something is dropped.
    if (state.markerSeq === null) state.markerSeq = job.logSeq++
    state.tail.push({ seq: job.logSeq++, time, level, text, taskId, taskName, stream, cost, bytes: Buffer.byteLength(text), written: false })
    state.tailCost += cost
    state.unwritten++
    while (state.tailCost > this.limits.tailBytes && state.tail.length - state.start > 1) this.evict(state)
    this.due.add(state)
  }

  /**
   * True while the job has lines the next commit would not write; its end waits for them. Exact for a
   * closed job (its head lines are then in closingHead, scanned within one commit's room); a job not
   * closed yet has a backlog while it has any line pending.
   */
  hasBacklog(jobId: number): boolean {
    const s = this.states.get(jobId)
    if (!s) return false
    if (s.unwritten > 0) return true
    if (s.pendingHead === 0) return false
    if (!s.closing) return true
    const room: Room = { lines: MAX_LINES_PER_COMMIT, chars: MAX_CHARS_PER_COMMIT }
    let mine = 0
    for (let i = 0; i < this.closingHead.length && room.lines > 0 && room.chars > 0; i++) {
      const l = this.closingHead[i]
      room.lines--
      room.chars -= l.text.length
      if (l.jobId === jobId && ++mine === s.pendingHead) return false
    }
    return true
  }

  /**
   * The job's work is over: its head lines still pending go ahead of other jobs' (closingHead), all of
   * its tail is written from now on, and it is forgotten once written. Idempotent.
   */
  close(jobId: number): void {
    const state = this.states.get(jobId)
    if (!state) return
    this.due.add(state) // again after a commit wrote its tail: the next take forgets it once its head is out too
    if (state.closing) return
    state.closing = true
    if (state.pendingHead === 0) return
    // one pass over what is queued, once per job (lines it logs from now on go to closingHead directly)
    const others: PendingLog[] = []
    for (const l of this.pending) (l.jobId === jobId ? this.closingHead : others).push(l)
    this.pending = others
  }

  /**
   * Drops everything pending of a job and its budget: for a job taken out of the engine because its
   * state cannot be saved (engine quarantine); its stored log stays as it is.
   */
  forget(jobId: number): void {
    this.pending = this.pending.filter((l) => l.jobId !== jobId)
    this.closingHead = this.closingHead.filter((l) => l.jobId !== jobId)
    const state = this.states.get(jobId)
    if (state) this.due.delete(state)
    this.states.delete(jobId)
  }

  /**
   * Gives the lines still queued under a stand-in task id (a task added while the database was
   * locked, engine/unsaved-tasks.ts) the real id it was stored with: `ids` maps stand-in → real.
   * One pass over what is queued, after a commit that stored such tasks (rare: only after a lock).
   */
  renumber(ids: Map<number, number>): void {
    if (!ids.size) return
    for (const queue of [this.closingHead, this.pending]) for (const l of queue) if (l.taskId !== null && l.taskId < 0) l.taskId = ids.get(l.taskId) ?? l.taskId
    for (const state of this.states.values()) {
      for (let i = state.start; i < state.tail.length; i++) {
        const t = state.tail[i]
        if (t.taskId !== null && t.taskId < 0) t.taskId = ids.get(t.taskId) ?? t.taskId
      }
    }
  }

  /** What the next commit writes; arms a wake-up for what is left or not yet due. */
  take(): LogBatch {
    const room: Room = { lines: MAX_LINES_PER_COMMIT, chars: MAX_CHARS_PER_COMMIT }
    const lines = this.takeHead('closingHead', room)
    lines.push(...this.takeHead('pending', room))
    const truncations: LogTruncation[] = []
    const ended: number[] = []
    const now = this.clock.now()
    let nextDue = Infinity
    let closed = false
    for (const state of [...this.due]) {
      if (state.closing) this.writeTail(state, lines, state.unwritten, 'oldest', room)
      else if (state.lastFlush + this.limits.flushMs <= now) this.writeTail(state, lines, LIVE_TAIL_LINES, 'newest', room)
      else {
        nextDue = Math.min(nextDue, state.lastFlush + this.limits.flushMs)
        continue
      }
      state.lastFlush = now
      if (state.dirty && state.markerSeq !== null && state.droppedLines > 0) {
        truncations.push(this.cut(state, now))
      }
      if (state.unwritten > 0 && state.closing) continue // more next commit
      this.due.delete(state)
      if (state.closing && !this.hasBacklog(state.jobId)) {
        this.states.delete(state.jobId)
        ended.push(state.jobId)
        if (state.markerSeq !== null) closed = true // its job may be waiting: the engine finishes it next tick
      }
    }
    const more = this.pending.length > 0 || this.closingHead.length > 0 || [...this.due].some((s) => s.closing)
    if (more || closed) this.wakeSoon()
    else if (nextDue < Infinity) this.wakeAt(nextDue, now)
    return { lines, truncations, ended }
  }

  /** Takes head lines from the front of `queue` within the commit's room. */
  private takeHead(queue: 'pending' | 'closingHead', room: Room): PendingLog[] {
    const from = this[queue]
    let n = 0
    while (n < from.length && room.lines > 0 && room.chars > 0) {
      const l = from[n++]
      room.lines--
      room.chars -= l.text.length
      const s = this.states.get(l.jobId)
      if (s) s.pendingHead--
    }
    if (n < from.length) return from.splice(0, n)
    this[queue] = []
    return from
  }

  /** Writes up to `count` unwritten tail lines within the commit's room, oldest or newest first. */
  private writeTail(state: JobLogState, out: PendingLog[], count: number, from: 'oldest' | 'newest', room: Room): void {
    let n = Math.min(count, state.unwritten)
    const picked: PendingLog[] = []
    const step = from === 'oldest' ? 1 : -1
    for (let i = from === 'oldest' ? state.start : state.tail.length - 1; i >= state.start && i < state.tail.length; i += step) {
      if (n <= 0 || room.lines <= 0 || room.chars <= 0) break
      const t = state.tail[i]
      if (t.written) continue
      picked.push({ jobId: state.jobId, seq: t.seq, taskId: t.taskId, taskName: t.taskName, time: t.time, level: t.level, text: t.text, stream: t.stream })
      t.written = true
      n--
      room.lines--
      room.chars -= t.text.length
    }
    if (from === 'newest') picked.reverse()
    state.unwritten -= picked.length
    out.push(...picked)
  }

  private cut(state: JobLogState, now: number): LogTruncation {
    const cut: LogTruncation = {
      jobId: state.jobId,
      markerSeq: state.markerSeq!,
      deleteThrough: state.deleteThrough,
      droppedLines: state.droppedLines,
      droppedBytes: state.droppedBytes,
      marker: { time: now, level: 'WARN', text: droppedNote(state.droppedLines, state.droppedBytes, this.limits) },
    }
    state.deleteThrough = null
    state.dirty = false
    return cut
  }

  private evict(state: JobLogState): void {
    const t = state.tail[state.start]
    state.start++
    state.tailCost -= t.cost
    state.droppedLines++
    state.droppedBytes += t.bytes
    state.dirty = true
    if (!t.written) state.unwritten--
    else state.deleteThrough = t.seq
    t.text = '' // an evicted slot waits for compaction; its text need not
    if (state.start > 1024 && state.start * 2 > state.tail.length) {
      state.tail = state.tail.slice(state.start)
      state.start = 0
    }
  }

  private wakeSoon(): void {
    if (this.soon) return
    this.soon = true
    setImmediate(() => {
      this.soon = false
      this.wake()
    })
  }

  private wakeAt(at: number, now: number): void {
    if (this.timer && this.timer.at <= at) return
    const timer = { at }
    this.timer = timer
    this.clock.setTimeout(() => {
      if (this.timer !== timer) return
      this.timer = null
      this.wake()
    }, at - now)
  }

  /** A job's budget as its stored log left it (a new job, or one taken up again by redo or recovery). */
  private open(jobId: number): JobLogState {
    const cut = this.logs.truncation(jobId)
    const state: JobLogState = {
      jobId,
      headCost: 0,
      pendingHead: 0,
      markerSeq: cut?.markerSeq ?? null,
      tail: [],
      start: 0,
      tailCost: 0,
      unwritten: 0,
      droppedLines: cut?.droppedLines ?? 0,
      droppedBytes: cut?.droppedBytes ?? 0,
      deleteThrough: null,
      lastFlush: 0,
      dirty: false,
      closing: false,
    }
    if (!cut) state.headCost = this.logs.storedCost(jobId, LINE_COST)
    else {
      for (const { seq, bytes } of this.logs.sizesAfter(jobId, cut.markerSeq)) {
        // stored lines are counted by their UTF-8 bytes (SQL length), escapes not known without reading them
        state.tail.push({ seq, time: 0, level: 'INFO', text: '', taskId: null, taskName: null, stream: 'stdout', cost: bytes + LINE_COST, bytes, written: true })
        state.tailCost += bytes + LINE_COST
      }
    }
    this.states.set(jobId, state)
    return state
  }
}

/** The note that stands in the log where output was dropped. */
export function droppedNote(lines: number, bytes: number, limits: LogLimits): string {
  return (
    `… ${formatCount(lines)} lines (${formatSize(bytes)}) of output dropped here: a job's log keeps ` +
    `its first ${formatSize(limits.headBytes)} and its last ${formatSize(limits.tailBytes)}. Send large output to a file.`
  )
}
