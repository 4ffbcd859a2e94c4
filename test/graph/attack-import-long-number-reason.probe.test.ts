// Attack (#9 §2, native import): a CSV of 120 lines whose INT64 primary key is 500,000 nines (60 MB,
// uploaded in four chunks). Each value passes INT_RE, so store/values.ts parseInt64 fails it with
// `${text} is out of range [...]`: the WHOLE value in the reason. A failed line's text is cut to 1,000
// characters (import/report.ts MAX_TEXT), its reason is not, so the report holds 100 reasons of
// 500 KB: 50 MB, which import-run.ts clones and sends to the main thread after each package, and
// which GET /api/v1/imports/:taskId answers whole (50,114,627 bytes). Measured over real HTTP (node
// out/main/serve.js, 2 cores, load average 8.8-8.9, other helpers busy): while the import ran the
// stall watch printed holds of 575, 443, 1185, 556 and 1180 ms ("ran: … engine tick"), the status
// probe waited up to 1,193 ms. The job then ended failed with "JobDesk could not save this job's
// state: the output of task import is 50114145 characters of JSON; at most 16777216 are stored"
// (stderr: "unexpected error in job 4: StateNotStorableError"), its report lost from the task, and
// 34 MB of its log dropped. In this test (load 9.3-10.3, the status polled every 500 ms): holds of
// 5,812, 5,900, 6,837 and 8,181 ms, and five status probes got no answer within 5 s. Expected: the
// probe answers under 200 ms while the import runs and while its status is read, a failed line's
// reason stays short (it names the line and the problem, as the text it quotes is cut), and the job
// ends with its report, not an internal error. This test FAILS until reasons are bounded like texts.
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../support/served-process'

const app = servedProcessSuite()
const LINES = 120
const DIGITS = 500_000

const native = async (path: string, body?: string | object, contentType = 'application/json') => {
  const res = await fetch(`${app.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${app.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

interface ImportView {
  status: string
  report: { failed: number; files: { failures: { line: number; text: string; reason: string }[] }[] }
}

describe('attack: an import whose INT64 keys are 500,000 digits long', () => {
  it('the probe answers within 200 ms and each failed line has a short reason (1,193 ms; reasons of 500 KB)', async () => {
    expect((await native('/api/v1/graphs', { graph: 'long' })).status).toBe(201)
    const schema = [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }]
    expect((await native('/api/v1/graphs/long/schema', { schema })).status).toBe(200)
    const line = `${'9'.repeat(DIGITS)},n\n`
    const perChunk = 30 // lines per 15 MB chunk
    for (let at = 0; at < LINES; at += perChunk) {
      const up = await native(`/api/v1/files/upload?path=long.csv&offset=${at * line.length}&replace=${at === 0}`, line.repeat(perChunk), 'application/octet-stream')
      expect(up.status).toBe(200)
    }
    const view = await underProbe(app, async () => {
      const started = await native('/api/v1/imports', { graph: 'long', continueOnError: true, files: [{ path: 'long.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }] })
      expect(started.status).toBe(201)
      for (;;) {
        const s = (await native(`/api/v1/imports/${started.body.taskId as string}`)).body as unknown as ImportView
        if (!['queued', 'running'].includes(s.status)) return s
        await new Promise((r) => setTimeout(r, 500))
      }
    })
    const job = (await native(`/api/v1/jobs/${(view as unknown as { jobId: number }).jobId}`)).body
    expect(String(job.error)).not.toMatch(/could not save/)
    expect(view.report.failed).toBe(LINES)
    const failure = view.report.files[0].failures[0]
    expect(failure.line).toBe(1)
    expect(failure.reason).toMatch(/out of range/)
    expect(failure.reason.length).toBeLessThan(2000)
  }, 600_000)
})
