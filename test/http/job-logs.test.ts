// Reading a long log as the Jobs page does (#8.8): open at the tail, earlier lines on demand,
// search, and the whole log as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
let id: number
beforeAll(async () => {
  t = await startTestApp()
  const res = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: "seq 1 20000 | sed 's/^/line /'; echo 'oops: disk full'; echo 'warning: on stderr' >&2" })
  id = res.body.id
  await waitForStatus(t, id, ['succeeded'], 20_000)
})
afterAll(() => t.close())

const texts = (body: any): string[] => body.lines.map((l: any) => l.text)

describe('native API: a 20,000-line log', () => {
  it('opens at the tail and pages back with before', async () => {
    const tail = await t.call('GET', `/api/v1/jobs/${id}/logs?tail=true&size=100`)
    expect(tail.status).toBe(200)
    expect(tail.body.total).toBe(20_002)
    expect(tail.body.lines).toHaveLength(100)
    expect(tail.body.next).toBe(20_002)
    // stdout in order; the stderr line comes wherever the two pipes interleaved it
    const out = tail.body.lines.filter((l: any) => l.level === 'INFO').map((l: any) => l.text)
    expect(out.slice(-2)).toEqual(['line 20000', 'oops: disk full'])
    const earlier = await t.call('GET', `/api/v1/jobs/${id}/logs?before=${tail.body.lines[0].seq}&size=100`)
    expect(earlier.body.lines).toHaveLength(100)
    expect(earlier.body.lines.at(-1).seq).toBe(tail.body.lines[0].seq - 1)
    const start = await t.call('GET', `/api/v1/jobs/${id}/logs?before=3&size=100`)
    expect(texts(start.body)).toEqual(['line 1', 'line 2', 'line 3'])
    const detail = await t.call('GET', `/api/v1/jobs/${id}`)
    expect(detail.body.log).toEqual({ lines: 20_002, droppedLines: 0, droppedBytes: 0 })
  })

  it('searches the whole log, counting the matches', async () => {
    const found = await t.call('GET', `/api/v1/jobs/${id}/logs?text=${encodeURIComponent('LINE 1999')}&tail=true&size=5`)
    expect(found.body.total).toBe(11) // line 1999 and line 19990..19999
    expect(texts(found.body)).toEqual(['line 19995', 'line 19996', 'line 19997', 'line 19998', 'line 19999'])
    const wild = await t.call('GET', `/api/v1/jobs/${id}/logs?text=${encodeURIComponent('%')}`)
    expect(wild.body).toMatchObject({ lines: [], total: 0 }) // LIKE wildcards are plain text here
    const errors = await t.call('GET', `/api/v1/jobs/${id}/logs?text=WARNING&task=main`)
    expect(errors.body.lines).toMatchObject([{ text: 'warning: on stderr', task: 'main', level: 'WARN', stream: 'stderr' }])
    // a stdout line's shape is as it was: no stream (trial of #13.5)
    const out = await t.call('GET', `/api/v1/jobs/${id}/logs?text=${encodeURIComponent('disk full')}`)
    expect(Object.keys(out.body.lines[0]).sort()).toEqual(['level', 'seq', 'task', 'text', 'time'])
  })

  it('gives the whole log as text for a download', async () => {
    const res = await t.call('GET', `/api/v1/jobs/${id}/logs/text`)
    expect(res.status).toBe(200)
    expect(res.body.fileName).toBe(`job-${id}.log`)
    expect(res.body.lines).toBe(20_002)
    const lines: string[] = res.body.text.split('\n')
    expect(lines).toHaveLength(20_003) // and a final newline
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  \[main\] line 1$/)
    expect(lines.filter((l) => / WARN  \[main\] warning: on stderr$/.test(l))).toHaveLength(1)
  })

  it('names the parameter it cannot use', async () => {
    for (const [query, field] of [['before=-1', 'before'], ['size=0', 'size'], [`text=${'x'.repeat(201)}`, 'text'], ['tail=maybe', 'tail'], ['text=%00', 'text'], ['text=a%00b', 'text']]) {
      const res = await t.call('GET', `/api/v1/jobs/${id}/logs?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error.field).toBe(field)
    }
    expect((await t.call('GET', '/api/v1/jobs/999999/logs/text')).status).toBe(404)
    // before: NUL ended SQLite's LIKE pattern and the search matched every line (atk12); the job list alike
    const jobs = await t.call('GET', '/api/v1/jobs?text=%00')
    expect([jobs.status, jobs.body.error?.field, jobs.body.error?.message]).toEqual([400, 'text', 'text may not contain the NUL character (%00)'])
  })
})
