// Log lines for event streams, gathered and bounded before they fan out. A flooding job makes
// thousands of lines a second, and every open stream (a browser tab) would get each one: 100 tabs
// took the server's answers past 200 ms. Lines are gathered per job for a short window and at most
// a window's budget of them is sent, the newest; the event says how many it left out, and a viewer
// that follows the log fetches what it missed (jobs.logs). Each gathered event is one object, so it
// is serialized once for every stream (event-stream.ts).
import type { AppEvents } from '../../../shared/events'
import type { LogLine } from '../../../shared/model'

type LogEvent = AppEvents['log.appended']

export interface LogFanoutOptions {
  /** How long lines are gathered before they go out (ms). */
  windowMs?: number
  /** Characters of log text one window sends at most, over all jobs. */
  maxCharsPerWindow?: number
}

const DEFAULTS = { windowMs: 250, maxCharsPerWindow: 16 * 1024 }

/** Gathers `log.appended` events and hands on at most a window's budget, newest lines first kept. */
export class LogFanout {
  private readonly pending = new Map<number, { lines: LogLine[]; chars: number; dropped: number }>()
  private timer: NodeJS.Timeout | null = null
  /** Characters sent in the current window (by flushJob; flush ends the window). */
  private spent = 0
  private readonly windowMs: number
  private readonly maxChars: number

  constructor(
    private readonly emit: (event: LogEvent) => void,
    options: LogFanoutOptions = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULTS.windowMs
    this.maxChars = options.maxCharsPerWindow ?? DEFAULTS.maxCharsPerWindow
  }

  push(event: LogEvent): void {
    const entry = this.pending.get(event.jobId) ?? { lines: [], chars: 0, dropped: 0 }
    for (const l of event.lines) {
      entry.lines.push(l)
      entry.chars += l.text.length
    }
    entry.dropped += event.dropped ?? 0
    // a flood keeps only what a window could send: older lines go now, not at the flush
    if (entry.chars > 2 * this.maxChars) {
      let cut = 0
      while (cut < entry.lines.length - 1 && entry.chars > this.maxChars) entry.chars -= entry.lines[cut++].text.length
      entry.lines = entry.lines.slice(cut)
      entry.dropped += cut
    }
    this.pending.set(event.jobId, entry)
    this.timer ??= setTimeout(() => this.flush(), this.windowMs)
  }

  /**
   * Ends the window: sends what was gathered, within what is left of the window's budget (after the
   * ends flushJob sent in it) shared fairly by the jobs that logged.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const jobs = [...this.pending.entries()]
    this.pending.clear()
    const share = Math.floor(this.left() / Math.max(1, jobs.length))
    for (const [jobId, entry] of jobs) this.send(jobId, entry, share)
    this.spent = 0
  }

  /**
   * Sends what was gathered of one job now: its end is about to go out, and a viewer must have its
   * last lines when it sees the end (not a window later, or never if the stream closes meanwhile).
   * It takes its fair part of what is left of the window's budget (shared with the jobs gathered
   * now) and counts against it, as the window's lines do: 40 jobs ending within one window sent 40
   * budgets' worth of lines to every stream (atk29). The window goes on to its end, so its budget
   * holds however many jobs end in it.
   */
  flushJob(jobId: number): void {
    const entry = this.pending.get(jobId)
    if (!entry) return
    const share = Math.floor(this.left() / this.pending.size)
    this.pending.delete(jobId)
    this.send(jobId, entry, share)
  }

  /** Characters the current window may still send (0 once spent; a job's newest line goes out anyway). */
  private left(): number {
    return Math.max(0, this.maxChars - this.spent)
  }

  /**
   * Emits a job's gathered lines: the newest that fit `share` characters (at least one), and how many
   * were left out; what it sends is spent from the window's budget.
   */
  private send(jobId: number, { lines, dropped }: { lines: LogLine[]; dropped: number }, share: number): void {
    let chars = 0
    let start = lines.length
    while (start > 0 && (start === lines.length || chars + lines[start - 1].text.length <= share)) {
      chars += lines[start - 1].text.length
      start--
    }
    this.spent += chars
    const left = dropped + start
    this.emit(left > 0 ? { jobId, lines: lines.slice(start), dropped: left } : { jobId, lines })
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending.clear()
    this.spent = 0
  }
}
