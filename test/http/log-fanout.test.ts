// Log lines for event streams are gathered per window and bounded: a flood reaches every tab as a
// few events holding the newest lines and a count of those left out, never as every line.
import { describe, expect, it } from 'vitest'
import type { AppEvents } from '../../shared/events'
import { LogFanout, liveCutNote } from '../../electron/http/native/log-fanout'

type LogEvent = AppEvents['log.appended']
const line = (seq: number, text = `line ${seq}`) => ({ seq, time: 0, level: 'INFO' as const, text, task: null })

describe('log fan-out', () => {
  it('passes a quiet log on whole, one event per job and window', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000 })
    fanout.push({ jobId: 1, lines: [line(0), line(1)] })
    fanout.push({ jobId: 1, lines: [line(2)] })
    fanout.push({ jobId: 2, lines: [line(0)] })
    expect(out).toEqual([])
    fanout.flush()
    expect(out).toEqual([
      { jobId: 1, lines: [line(0), line(1), line(2)] },
      { jobId: 2, lines: [line(0)] },
    ])
    fanout.close()
  })

  it('keeps the newest lines of a flood within the budget and says how many it left out', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: 1000 })
    const flood = Array.from({ length: 10_000 }, (_, i) => line(i, 'x'.repeat(100)))
    fanout.push({ jobId: 7, lines: flood, dropped: 5 })
    fanout.flush()
    expect(out).toHaveLength(1)
    const [event] = out
    expect(event.lines.map((l) => l.seq)).toEqual([9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999])
    expect(event.dropped).toBe(5 + 9990)
    fanout.close()
  })

  it('sends at least the newest line when one line is over the budget, cut to it and saying so (atk30)', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: 10 })
    fanout.push({ jobId: 1, lines: [line(0, 'a'.repeat(50)), line(1, 'b'.repeat(50))] })
    fanout.flush()
    expect(out).toEqual([{ jobId: 1, lines: [line(1, 'b'.repeat(10) + liveCutNote(40))], dropped: 1, cut: 40 }])
    expect(liveCutNote(40)).toBe('… [40 more characters of this line left out of the live log]')
    fanout.close()
  })

  it('sends an ending job’s newest line before its end even when the window is spent, cut to nothing but its note', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: 100 })
    fanout.push({ jobId: 1, lines: [line(0, 'x'.repeat(100))] })
    fanout.flushJob(1) // takes the whole window
    fanout.push({ jobId: 2, lines: [line(0, 'short'), line(1, 'y'.repeat(300))] })
    fanout.flushJob(2)
    expect(out).toEqual([
      { jobId: 1, lines: [line(0, 'x'.repeat(100))] },
      { jobId: 2, lines: [line(1, liveCutNote(300))], dropped: 1, cut: 300 },
    ])
    fanout.close()
  })

  it('sends one job’s lines at once when asked (its end goes out next), the others at the window’s end', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000 })
    fanout.push({ jobId: 1, lines: [line(0)] })
    fanout.push({ jobId: 2, lines: [line(0), line(1)] })
    fanout.flushJob(2)
    expect(out).toEqual([{ jobId: 2, lines: [line(0), line(1)] }])
    fanout.flushJob(2) // nothing gathered: nothing sent
    fanout.flush()
    expect(out).toEqual([{ jobId: 2, lines: [line(0), line(1)] }, { jobId: 1, lines: [line(0)] }])
    fanout.close()
  })

  it('counts the ends it sends against the window’s budget, saying what it left out as the window does (atk29)', () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: 1000 })
    const ten = (from: number) => Array.from({ length: 10 }, (_, i) => line(from + i, 'x'.repeat(100)))
    fanout.push({ jobId: 1, lines: ten(0) })
    fanout.push({ jobId: 2, lines: ten(0) })
    fanout.flushJob(1) // half of the window's 1000 for the job ending, half kept for job 2
    expect(out[0]).toEqual({ jobId: 1, lines: ten(0).slice(5), dropped: 5 })
    fanout.push({ jobId: 3, lines: ten(0), dropped: 2 })
    fanout.flushJob(3) // what is left is shared with job 2: 250 characters, two lines
    expect(out[1]).toEqual({ jobId: 3, lines: ten(0).slice(8), dropped: 2 + 8 })
    fanout.flush()
    expect(out[2]).toEqual({ jobId: 2, lines: ten(0).slice(7), dropped: 7 })
    // the next window has its whole budget again
    fanout.push({ jobId: 4, lines: ten(0) })
    fanout.flushJob(4)
    expect(out[3]).toEqual({ jobId: 4, lines: ten(0) })
    fanout.close()
  })

  it('sends what it gathered once the window passes', async () => {
    const out: LogEvent[] = []
    const fanout = new LogFanout((e) => out.push(e), { windowMs: 20 })
    fanout.push({ jobId: 1, lines: [line(0)] })
    await new Promise((r) => setTimeout(r, 60))
    expect(out).toEqual([{ jobId: 1, lines: [line(0)] }])
    fanout.close()
  })
})
