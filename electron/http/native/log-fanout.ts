// Log lines for event streams, gathered and bounded before they fan out. A flooding job makes
// thousands of lines a second, and every open stream (a browser tab) would get each one: 100 tabs
// took the server's answers past 200 ms. Lines are gathered per job for a short window and at most
// a window's budget of them is sent, the newest; the event says how many it left out, and a viewer
// that follows the log fetches what it missed (jobs.logs). Each gathered event is one object, so it
// is serialized once for every stream (event-stream.ts).
import type { AppEvents } from '../../../shared/events'
import type { LogLine } from '../../../shared/model'
import { formatCount } from '../../../shared/number-format'

type LogEvent = AppEvents['log.appended']

export interface LogFanoutOptions {
  /** How long lines are gathered before they go out (ms). */
  windowMs?: number
  /** Characters of log text one window sends at most, over all jobs. */
  maxCharsPerWindow?: number
}

const DEFAULTS = { windowMs: 250, maxCharsPerWindow: 16 * 1024 }

/** The note that ends a newest line cut for the live stream; the stored log keeps the line whole. */
export const liveCutNote = (cut: number): string => `… [${formatCount(cut)} more characters of this line left out of the live log]`

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

  /** Characters the current window may still send (0 once spent). */
  private left(): number {
    return Math.max(0, this.maxChars - this.spent)
  }

  /**
   * Emits a job's gathered lines: the newest that fit `share` characters, and how many were left
   * out; what it sends is spent from the window's budget. The newest line always goes (a job's
   * last line before its end), but one longer than `share` goes cut to it, ending with a note of
   * what was cut, and the event's `cut` gives that count: a line may be 64 KiB (line-splitter.ts),
   * and 40 jobs ending with one each sent 2.6 MB in one window, 160 budgets (atk30).
   */
  private send(jobId: number, { lines, dropped }: { lines: LogLine[]; dropped: number }, share: number): void {
    if (!lines.length) return void this.emit({ jobId, lines, ...(dropped > 0 ? { dropped } : {}) })
    const newest = lines[lines.length - 1]
    const cut = Math.max(0, newest.text.length - share)
    const kept = cut > 0 ? { ...newest, text: newest.text.slice(0, share) + liveCutNote(cut) } : newest
    let chars = kept.text.length
    let start = lines.length - 1
    while (start > 0 && chars + lines[start - 1].text.length <= share) chars += lines[--start].text.length
    this.spent += chars
    const left = dropped + start
    const sent = cut > 0 ? [...lines.slice(start, -1), kept] : lines.slice(start)
    this.emit({ jobId, lines: sent, ...(left > 0 ? { dropped: left } : {}), ...(cut > 0 ? { cut } : {}) })
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending.clear()
    this.spent = 0
  }
}
