// A SQL result cell of 50 MB (#9.2, found verifying): it took 18 s to store, 18 s to page (50 MB of
// JSON) and stalled status probes for seconds. A cell keeps its head with a note of how much was
// cut, its set says `truncated`, and the server keeps answering in under 200 ms meanwhile.
import { describe, expect, it } from 'vitest'
import { MAX_CELL_CHARS } from '../../electron/store/result-cells'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const app = servedProcessSuite()
const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${app.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await r.text()
  return { status: r.status, body: JSON.parse(text) as any, bytes: text.length }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a SQL result cell of 50 MB', () => {
  it('is stored cut with a marker, its set says truncated, and the probe stays under 200 ms', async () => {
    const { result, probe } = await probeWhile(app, async () => {
      const job = await call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "select printf('%.*c', 50000000, 'x') as s, 7 as n", timeoutSeconds: 120 })
      expect(job.status).toBe(201)
      let detail: any
      for (;;) {
        detail = (await call('GET', `/api/v1/jobs/${job.body.id}`)).body
        if (!['queued', 'running'].includes(detail.status)) break
        await sleep(200)
      }
      const started = performance.now()
      const page = await call('GET', `/api/v1/jobs/${job.body.id}/results/0?offset=0&limit=100`)
      return { detail, page, pageMs: performance.now() - started, sets: (await call('GET', `/api/v1/jobs/${job.body.id}/results`)).body }
    })
    expect(result.detail.status).toBe('succeeded')
    expect(result.page.status).toBe(200)
    const [cell, n] = result.page.body.rows[0]
    expect(n).toBe(7)
    expect(cell.startsWith('x'.repeat(MAX_CELL_CHARS))).toBe(true)
    expect(cell.slice(MAX_CELL_CHARS)).toBe(`… [${(50_000_000 - MAX_CELL_CHARS).toLocaleString('en-US')} more characters cut: a result cell keeps at most ${MAX_CELL_CHARS.toLocaleString('en-US')}]`)
    expect(result.page.body.state).toBe('truncated')
    expect(result.page.bytes).toBeLessThan(200_000)
    expect(result.pageMs).toBeLessThan(200)
    expectResponsive(probe)
  }, 120_000)
})
