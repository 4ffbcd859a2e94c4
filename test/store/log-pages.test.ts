// A whole-log answer reads its log in pages (#9 §2). A page is bounded by the bytes it takes as sent,
// JSON-escaped, not by lines only: 200 lines of NUL bytes are 240 kB as `\u0000`s, and four readers of
// such a log held a status probe 1.6 s. Between pages other work gets its turn.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonEscapedLength } from '../../electron/json-bytes'
import { LOG_PAGE_BYTES, LOG_READ_SLICE, logPages } from '../../electron/store/log.repository'
import type { LogLine } from '../../shared/model'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function logOf(texts: string[]) {
  const t = tempStore()
  cleanup = t.cleanup
  const jobId = t.store.jobs.create({ uuid: randomUUID(), kind: 'dag', name: 'log', submitter: 'admin' }, [{ name: 'a', executor: 'noop' }])
  t.store.transaction(() => t.store.logs.append(texts.map((text, seq) => ({ jobId, seq, taskId: null, time: 0, level: 'INFO' as const, text }))))
  return { logs: t.store.logs, jobId }
}

const sent = (page: LogLine[]) => page.reduce((n, l) => n + jsonEscapedLength(l.text) + 32, 0)

describe('logPages', () => {
  it('keeps a page of NUL lines within LOG_PAGE_BYTES as sent, every line once and in order', async () => {
    const NULS = '\u0000'.repeat(200)
    const { logs, jobId } = logOf(Array.from({ length: 1000 }, () => NULS))
    const pages: LogLine[][] = []
    for await (const page of logPages(logs, jobId)) pages.push(page)
    expect(pages.flat().map((l) => l.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    for (const page of pages) expect(sent(page)).toBeLessThanOrEqual(LOG_PAGE_BYTES)
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil((1000 * (6 * 200 + 32)) / LOG_PAGE_BYTES))
  })

  it('reads ordinary lines LOG_READ_SLICE at a time, honours max, and lets other work run between pages', async () => {
    const { logs, jobId } = logOf(Array.from({ length: 1000 }, (_, i) => `line ${i}: ordinary output`))
    const sizes: number[] = []
    let between = 0
    const other = () => setImmediate(() => (between++, sizes.length < 3 && other()))
    other()
    for await (const page of logPages(logs, jobId, { from: 100, max: 450 })) sizes.push(page.length)
    expect(sizes).toEqual([LOG_READ_SLICE, LOG_READ_SLICE, 50])
    expect(between).toBeGreaterThanOrEqual(2)
  })

  it('gives a line longer than a page a page of its own', async () => {
    const long = '\u0001'.repeat(LOG_PAGE_BYTES / 4)
    const { logs, jobId } = logOf(['a', long, 'b'])
    const pages: string[][] = []
    for await (const page of logPages(logs, jobId)) pages.push(page.map((l) => (l.text === long ? 'long' : l.text)))
    expect(pages).toEqual([['a'], ['long'], ['b']])
  })
})
