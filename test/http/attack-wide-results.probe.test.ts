// Attack (#9 §2, re-verification by atk14): a SQL job of 245 statements `select 1,1,…` of 2000
// columns each (the 1 MB code limit; SQL is open to every user, no scripts right needed) leaves 245
// result sets of 2000 columns. Its result list (native GET /jobs/:id/results) is answered as one
// 11 MB JSON value built and serialized on the main thread, and the xlsx of one such result (one row)
// is built there too. Over real HTTP against `npm run serve`: the list held the status probe
// 370-980 ms (five at once 1.26 s), the xlsx 716 ms, at load 4.7-6 on this shared machine (see the
// report for the low-load figures).
// A second job, 5000 rows of 2000 columns (10M cells, under every row cap), is exported whole: the
// native CSV (47.8 MB) and xlsx (36.8 MB, 58 s) come back as one JSON value each and held the probe
// 665 ms and 570 ms; Linkis openFile's default page (6.5 MB) 426 ms (load 6.2-6.5). The row caps do
// not bound the bytes of wide rows. The measure is the issue's: a probe answers in under 200 ms.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkisClient } from '../linkis/support'
import { readAll, runScriptJob, startServedProcess, underProbe, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
let app: ServedProcess
let jobId = 0
let wideId = 0

beforeAll(async () => {
  app = await startServedProcess(dir)
  const columns = (x: string) => Array(2000).fill(x).join(',')
  jobId = await runScriptJob(app, 'sql', `select ${columns('1')};\n`.repeat(245))
  wideId = await runScriptJob(app, 'sql', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 5000) SELECT ${columns('x')} FROM c`)
}, 180_000)
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})

async function readsUnderProbe(paths: string[], headers?: Record<string, string>): Promise<void> {
  expect(await underProbe(app, () => readAll(app, paths, headers))).toEqual(paths.map(() => 200))
}

describe('attack: results of 2000 columns', () => {
  it('GET /jobs/:id/results (11 MB; held 370-980 ms)', async () => {
    await readsUnderProbe([`/api/v1/jobs/${jobId}/results`])
  })

  it('five GET /jobs/:id/results at once (held 1.26 s)', async () => {
    await readsUnderProbe(Array(5).fill(`/api/v1/jobs/${jobId}/results`))
  })

  it('GET /jobs/:id/results/0/xlsx of one row of 2000 columns (held 716 ms)', async () => {
    await readsUnderProbe([`/api/v1/jobs/${jobId}/results/0/xlsx`])
  })

  it('native CSV of 5000 rows of 2000 columns (47.8 MB; held 665 ms)', async () => {
    await readsUnderProbe([`/api/v1/jobs/${wideId}/results/0/csv`])
  }, 240_000)

  it('native xlsx of 5000 rows of 2000 columns (36.8 MB, 58 s; held 570 ms)', async () => {
    await readsUnderProbe([`/api/v1/jobs/${wideId}/results/0/xlsx`])
  }, 240_000)

  it('Linkis openFile of its first page (6.5 MB; held 426 ms)', async () => {
    const linkis = linkisClient(app.url)
    await linkis.login('admin', '73@TuGraph')
    const path = encodeURIComponent(`file:///jobdesk/admin/result/${wideId}/_0.dolphin`)
    await readsUnderProbe([`/api/rest_j/v1/filesystem/openFile?path=${path}`], { cookie: linkis.cookie })
  }, 240_000)
})
