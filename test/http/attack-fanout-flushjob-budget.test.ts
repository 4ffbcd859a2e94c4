// Attack (atk29) on LogFanout.flushJob (ad23496: a job's gathered lines go out at its end). flush()
// shares one window's budget (maxCharsPerWindow, 16 KB) among the jobs that logged in it, but
// flushJob sends each ending job up to a whole window's budget of its own, outside that share and
// without counting it against the window: 40 jobs that each print ~16 KB and end within one 250 ms
// window put 40 × 16 KB = 640 KB on every open stream of their owner (and every admin's), 40 times
// the bound a window keeps for jobs that are still running. A user makes that with 40 short
// `printf` jobs. Expected: what one window sends, ends included, stays within the window's budget
// (plus the one newest line a job always gets).
// The cause: electron/http/native/log-fanout.ts flushJob (send(…, this.maxChars), nothing spent).
import { expect, it } from 'vitest'
import type { AppEvents } from '../../shared/events'
import { LogFanout } from '../../electron/http/native/log-fanout'

type LogEvent = AppEvents['log.appended']
const line = (seq: number, text: string) => ({ seq, time: 0, level: 'INFO' as const, text, task: null })

it('keeps the lines sent for jobs ending within one window within that window’s budget', () => {
  const out: LogEvent[] = []
  const budget = 16 * 1024
  const fanout = new LogFanout((e) => out.push(e), { windowMs: 10_000, maxCharsPerWindow: budget })
  const jobs = 40
  for (let job = 1; job <= jobs; job++) {
    // 160 lines of 100 characters: 16,000 characters, under the flood cut (2 × budget) of push
    fanout.push({ jobId: job, lines: Array.from({ length: 160 }, (_, i) => line(i, 'x'.repeat(100))) })
    fanout.flushJob(job) // the job ended: the engine's job.changed to a final status
  }
  fanout.flush()
  const sent = out.reduce((n, e) => n + e.lines.reduce((m, l) => m + l.text.length, 0), 0)
  // fails: 640,000 characters sent (16,000 for each of the 40 ends), where one window's budget is 16,384
  expect(sent, `${out.length} events`).toBeLessThanOrEqual(budget + jobs * 100)
  fanout.close()
})
