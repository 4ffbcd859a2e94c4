// A script that prints far more than a job's log keeps (#9.2): the store stays bounded, the
// head and tail are kept with a note of what went, and the server keeps answering meanwhile.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const OUTPUT_MB = 60
const served = servedProcessSuite({ start: false })

const dbBytes = () => readdirSync(served.dir).filter((f) => f.startsWith('jobdesk.db')).reduce((n, f) => n + statSync(join(served.dir, f)).size, 0)

describe('log flood', () => {
  it(`keeps ${OUTPUT_MB} MB of stdout to a bounded head and tail while a status probe answers in under 200 ms`, async () => {
    await served.start()
    const { url, token } = served
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
      return (await res.json()) as any
    }
    const code = `echo FIRST LINE; head -c ${OUTPUT_MB * 1_000_000} /dev/zero | tr '\\0' x | fold -w 99; echo LAST LINE >&2`
    const { result: job, probe } = await probeWhile(served, async () => {
      const { id } = await call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
      for (;;) {
        const job = await call('GET', `/api/v1/jobs/${id}`)
        if (!['queued', 'running'].includes(job.status)) return job
        await new Promise((r) => setTimeout(r, 200))
      }
    })
    expect(job.status).toBe('succeeded')
    expect(probe.count).toBeGreaterThan(10)
    expectResponsive(probe)

    expect(job.log.droppedLines).toBeGreaterThan(500_000)
    expect(job.log.droppedBytes).toBeGreaterThan((OUTPUT_MB - 10) * 1_000_000)
    const head = await call('GET', `/api/v1/jobs/${job.id}/logs?from=0&size=2`)
    expect(head.lines.map((l: any) => l.text)).toEqual(['FIRST LINE', 'x'.repeat(99)])
    const note = await call('GET', `/api/v1/jobs/${job.id}/logs?text=dropped%20here&size=5`)
    expect(note.lines).toHaveLength(1)
    expect(note.lines[0].text).toContain(`${job.log.droppedLines.toLocaleString('en-US')} lines`)
    // The tail is kept: stdout's last line, and stderr's (wherever the two pipes interleaved it).
    const tail = await call('GET', `/api/v1/jobs/${job.id}/logs?tail=true&size=5`)
    expect(tail.lines.filter((l: any) => l.level === 'INFO').at(-1).text).toBe('x'.repeat((OUTPUT_MB * 1_000_000) % 99)) // fold's last, short line
    const last = await call('GET', `/api/v1/jobs/${job.id}/logs?tail=true&text=LAST%20LINE`)
    expect(last.lines.map((l: any) => [l.level, l.text])).toEqual([['INFO', 'LAST LINE']]) // stderr that states no level
    expect(last.lines[0].seq).toBeGreaterThan(note.lines[0].seq)
    expect(note.total).toBe(1)
    expect(head.total).toBe(job.log.lines) // the detail's count is what paging finds

    const stored = dbBytes()
    console.log(`${OUTPUT_MB} MB of output: database ${(stored / 1e6).toFixed(1)} MB, ${job.log.lines} log lines kept, probe max ${probe.maxMs.toFixed(0)} ms over ${probe.count}`)
    // Whatever the output: the log's 5 MB, the text result's 16 MB cap (Linkis shows it), indexes.
    expect(stored).toBeLessThan(32_000_000)
  }, 120_000)
})
