// Attack (#9 §2, atk16): a SQL job of many small statements makes as many result sets, and the
// views that list a job's sets build the whole list on the main thread. Over real HTTP against
// `node out/main/serve.js` (admin's SQL job, a health probe every 50 ms, load 3.1-4.4): 40,000
// `select i as x;` (640 kB of code) ran 72 s with the probe held 441 ms; then GET
// /api/v1/jobs/:id/results answered 4.5 MB in 734 ms (probe held 220 ms) and Linkis getDirFileTrees
// of the job's result folder 9.2 MB in 449 ms (probe held 309 ms); 5,000 statements: 187 ms / 161 ms.
// The code may have 1,000,000 characters (some 100,000 statements). Here 80,000 `select 1;` (720 kB):
// the run took 291 s with the probe held 296 ms, GET results 3.2 s (probe held 911 ms),
// getDirFileTrees 2.4 s (probe held 1,652 ms), load 2.9-8.6 (other work on the machine). The
// run makes this file take some 5 minutes. The measure is the issue's: a status
// probe answers in under 200 ms. Fixed (fixresults): a job keeps at most MAX_RESULT_SETS_PER_JOB
// (1,000) sets, later SELECTs run and are logged, not kept; the SQL process batches its log lines and
// progress; so the same 80,000 statements now run in seconds and the lists hold 1,000 sets.
// Measured after (load 3.6-6): the run 4.8-9.1 s (was 291 s), GET results 359-416 ms with the probe
// held 128-135 ms, getDirFileTrees 244-305 ms / 73-81 ms. The run still held the probe 282-1,188 ms in
// 4 of 4 runs: the server's stall lines name engine ticks committing the log (1,000 lines a commit,
// ~80 ms CPU), garbage collection (up to 269 ms) and the 720 kB submission (~100 ms CPU): open.
// fixsubmit: log commits of 250 lines (the longest busy stretch of the run in a CPU profile 142 → 75 ms),
// the submission's code neither read back nor parsed (insertTasks, inputJson) and status polls reading
// tasks without their spec (detailOf 146 → 36 ms over the run), the first tick after pending I/O. Still
// failing: 6 runs at load 3.6-4.5, probe 236-507 ms; the server's only stalls over 200 ms were the POST
// (204-240 ms) or one engine tick (327 ms), and in 2 runs none while the probe took 254 and 424 ms. Left:
// the POST's 720 kB spec sits in the tasks row, written at insert and rewritten whole with every status
// change (~1-17 ms each against 0.05 ms for a small spec).
import { describe, expect, it } from 'vitest'
import { MAX_RESULT_SETS_PER_JOB } from '../../electron/store/result.repository'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const SETS = 80_000
const app = servedProcessSuite()
const auth = () => ({ authorization: `Bearer ${app.token}` })
let jobId = 0

async function underProbe(what: string, work: () => Promise<unknown>): Promise<void> {
  const started = performance.now()
  const { probe } = await probeWhile(app, work)
  console.log(`${what}: ${Math.round(performance.now() - started)} ms; probe maxMs ${Math.round(probe.maxMs)} over ${probe.count} probes`)
  expect(app.child.exitCode).toBe(null)
  expectResponsive(probe)
}

const read = async (path: string) => {
  const res = await fetch(`${app.url}${path}`, { headers: auth() })
  const text = await res.text()
  expect(res.status).toBe(200)
  return text
}

describe(`attack: a job of ${SETS} result sets`, () => {
  it('runs', async () => {
    await underProbe('the run', async () => {
      const res = await fetch(`${app.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'script', language: 'sql', code: 'select 1;'.repeat(SETS) }),
      })
      jobId = ((await res.json()) as { id: number }).id
      for (;;) {
        const job = (await (await fetch(`${app.url}/api/v1/jobs/${jobId}`, { headers: auth() })).json()) as { status: string }
        if (job.status !== 'queued' && job.status !== 'running') return expect(job.status).toBe('succeeded')
        await new Promise((r) => setTimeout(r, 1000))
      }
    })
  }, 400_000)

  it('lists its result sets (native)', async () => {
    let text = ''
    await underProbe('GET results', async () => (text = await read(`/api/v1/jobs/${jobId}/results`)))
    expect((JSON.parse(text) as unknown[]).length).toBe(MAX_RESULT_SETS_PER_JOB)
  }, 60_000)

  it('lists its result folder (Linkis getDirFileTrees)', async () => {
    await underProbe('getDirFileTrees', () => read(`/api/rest_j/v1/filesystem/getDirFileTrees?path=${encodeURIComponent(`file:///jobdesk/admin/result/${jobId}`)}`))
  }, 60_000)
})
