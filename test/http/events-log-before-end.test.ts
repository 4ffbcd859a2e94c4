// A job's last log lines reach an event stream before the event of its end. Log lines go out
// gathered (every 250 ms, log-fanout.ts) and an end at once, so a job that printed and ended within
// a window was seen ended with no output: the Scripts page showed its run done and its log empty,
// the Jobs page's panel "No log lines yet" beside "Log: 1 line" (and a stream that then closed never
// had them at all).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEventStream } from '../support/event-stream'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

/** The stream's events of one job, in the order it sent them: `log:<text>` per line, `job:<status>`. */
function eventsOf(text: string, jobId: number): string[] {
  const out: string[] = []
  for (const block of text.split('\n\n')) {
    const m = /^event: (\S+)\ndata: (.*)$/s.exec(block.trim())
    if (!m) continue
    const data = JSON.parse(m[2])
    if (m[1] === 'log.appended' && data.jobId === jobId) out.push(...data.lines.map((l: { text: string }) => `log:${l.text}`))
    if (m[1] === 'job.changed' && data.job.id === jobId) out.push(`job:${data.job.status}`)
  }
  return out
}

describe('the event stream at a job’s end', () => {
  it('carries the lines a job printed just before it ended ahead of its end', async () => {
    const stream = await openEventStream(t.url, t.token)
    try {
      for (const code of ['echo last', 'echo one; echo two; exit 3']) {
        const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
        await waitForStatus(t, body.id, ['succeeded', 'failed'])
        // the end has been sent: what came before it is what a viewer had when it saw the end
        await expect.poll(() => eventsOf(stream.text(), body.id).some((e) => /^job:(succeeded|failed)$/.test(e))).toBe(true)
        const events = eventsOf(stream.text(), body.id)
        const end = events.findIndex((e) => /^job:(succeeded|failed)$/.test(e))
        const printed = code === 'echo last' ? ['log:last'] : ['log:one', 'log:two']
        expect(events.slice(0, end).filter((e) => printed.includes(e)), events.join(' | ')).toEqual(printed)
      }
    } finally {
      await stream.stop()
    }
  })
})
