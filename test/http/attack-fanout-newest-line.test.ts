// Attack (atk30) on LogFanout.flushJob after fbb49b5 (a job's end lines count against the window's
// budget, atk29). Every job still gets its newest line whatever the window has left ("a job's newest
// line goes out anyway", log-fanout.ts send), and a line may be 64 KiB (executors/line-splitter.ts
// maxLine), four windows' budgets (16 KiB). 40 short jobs of a user that each print one 64 KiB line and
// end within one 250 ms window (`head -c 65536 /dev/zero | tr '\0' x`) put 40 × 64 KiB = 2.6 MB on every
// open stream of that user and of every admin in that window: 160 times the budget, where the fix
// promised the ends count against it. Expected: what one window sends, ends included, stays within a
// small multiple of its budget (here 2×): a newest line past what is left goes out cut to it, saying
// how much was left out, as dropped lines are.
// The cause: electron/http/native/log-fanout.ts send (`start === lines.length ||` takes the newest
// line whole) called from flushJob with a share of an already spent window.
import { expect, it } from 'vitest'
import type { AppEvents } from '../../shared/events'
import { LogFanout } from '../../electron/http/native/log-fanout'

type LogEvent = AppEvents['log.appended']
const line = (seq: number, text: string) => ({ seq, time: 0, level: 'INFO' as const, text, task: null })

it('keeps jobs ending with one 64 KiB line each within a small multiple of the window budget', () => {
  const out: LogEvent[] = []
  const budget = 16 * 1024
  const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: budget })
  const jobs = 40
  for (let job = 1; job <= jobs; job++) {
    fanout.push({ jobId: job, lines: [line(0, 'x'.repeat(64 * 1024))] }) // one line at the line splitter's cap
    fanout.flushJob(job) // the job ended: the engine's job.changed to a final status
  }
  fanout.flush()
  const sent = out.reduce((n, e) => n + e.lines.reduce((m, l) => m + l.text.length, 0), 0)
  // fails: 2,621,440 characters sent in one window (65,536 for each of the 40 ends), budget 16,384
  expect(sent, `${out.length} events`).toBeLessThanOrEqual(2 * budget)
  fanout.close()
})
