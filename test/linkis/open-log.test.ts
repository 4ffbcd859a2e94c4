// openLog answers with a whole log, so it is capped in bytes: head and tail kept, a note between (#9 §2).
import { afterEach, describe, expect, it } from 'vitest'
import { capLog } from '../../electron/http/dialects/linkis/log-cap'
import { jsonEscapedLength } from '../../electron/json-bytes'
import type { Line } from '../../electron/http/dialects/linkis/log-stream'
import type { LogRepository } from '../../electron/store/log.repository'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** The lines openLog answers with, as one list (each block reads them again). */
async function readLogCapped(logs: LogRepository, jobId: number, maxBytes: number): Promise<Line[]> {
  const lines: Line[] = []
  for await (const page of (await capLog(logs, jobId, maxBytes)).pages()) lines.push(...page)
  return lines
}

describe('openLog byte cap', async () => {
  it('keeps a small log whole, and a big one as head + note + tail within the cap', async () => {
    const t = tempStore()
    cleanup = t.cleanup
    const engine = makeEngine(t.store)
    const job = submit(engine, [{ name: 'main', executor: 'noop', spec: { delayMs: 60_000 } }])
    engine.stop()
    const before = t.store.logs.nextSeq(job.id)
    const line = 'x'.repeat(1000)
    t.store.transaction(() =>
      t.store.logs.append(Array.from({ length: 5000 }, (_, i) => ({ jobId: job.id, seq: before + i, taskId: null, time: 0, level: 'INFO' as const, text: `${i} ${line}` }))),
    )
    const whole = await readLogCapped(t.store.logs, job.id, 100 * 1024 * 1024)
    expect(whole).toHaveLength(before + 5000)

    const capped = await readLogCapped(t.store.logs, job.id, 1024 * 1024)
    const bytes = capped.reduce((n, l) => n + jsonEscapedLength(l.text) + 32, 0)
    expect(bytes).toBeLessThanOrEqual(1024 * 1024 + 300)
    const note = capped.findIndex((l) => l.level === 'WARN' && l.text.includes('left out'))
    expect(note).toBeGreaterThan(100)
    expect(capped[note].text).toMatch(/^… lines (\d+) to (\d+) left out: this log is over 1 MB; page through them with entrance\/\{execID\}\/log\?fromLine=\1 …$/)
    expect(capped.at(-1)!.text).toBe(`4999 ${line}`) // the tail, where a failure shows
    expect(capped[note + 1].text.split(' ')[0]).toBe(String(Number(/to (\d+)/.exec(capped[note].text)![1]) + 1 - before))
  })
})
