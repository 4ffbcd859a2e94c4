// Attack (#9 §2, atk16): services/result-query.ts sends a sort or filter to a worker by cells
// (rows × columns over 8,000), not by bytes, while a cell may hold 64 kB (MAX_CELL_CHARS). A set of
// 2,000 rows of one 64 kB column (2,000 cells, so "inline") is 128 MB that a sort or filter reads
// on the main thread in one synchronous SQLite statement: json_extract of every row, and for the
// sort `COLLATE NOCASE` comparisons of cells sharing a 65,000-character prefix (some 22,000
// comparisons of 64 kB); for a filter lower()+instr of every cell, twice (page and count).
// Over real HTTP (the set made by a SQL job in 2.1 s): `?sort=0&limit=10` answered in 579 ms and
// held the probe 464 ms, `?filter=zzz&limit=10` 704 ms and 600 ms (load 2.0-2.2). Any user can do
// this with a job of their own. Exports of the same set read it page after page (2 MB pages), each
// page a new sorted or filtered query of the whole set on the main thread: `/csv?sort=0` took 34.9 s
// and 6 of its 8 probes got no answer within 5 s; `/xlsx?filter=zzz` took 2.8 s and held the probe
// 889 ms (load 4.7-5.5; the plain `/csv`, Linkis openFile and resultsetToExcel held: 8-111 ms). The measure is the issue's: a status probe answers in under 200 ms.
// Fixed (fixresults): a sort or filter runs inline only under 1 MB of stored rows too (result sets
// count their bytes, migration 016), and the export worker reads a view with one sorted query.
// The sorted CSV export still held the served app 300-500 ms now and then (525 ms of its own work in a
// CI run, against a 500 ms bound this test had then): the main thread decoded, JSON-escaped and
// encoded the 32 MB file it passes on (~0.6-0.8 s of its CPU, and its garbage), while the export
// worker put 250 MB of whole rows through SQLite's sorter beside it. Now the worker escapes the text
// (services/export/json-text.ts) and sorts row numbers with their sorted cells (130 MB), then reads
// the rows by number: alternating runs at load 4.7-6.9, the main thread's CPU per export 599-820 ms
// before, 133-235 ms after; holds over 200 ms 269-865 ms (121-258 ms of its own work) before, none after.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, runScriptJob, startServedProcess, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
let app: ServedProcess
let longId = 0
const auth = () => ({ authorization: `Bearer ${app.token}` })

beforeAll(async () => {
  app = await startServedProcess(dir)
  const t = performance.now()
  longId = await runScriptJob(app, 'sql', `WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM t WHERE x < 2000) SELECT printf('%.*c', 65000, 'a') || x AS c FROM t`)
  const meta = await (await fetch(`${app.url}/api/v1/jobs/${longId}/results`, { headers: auth() })).json()
  console.log(`made in ${Math.round(performance.now() - t)} ms: ${JSON.stringify(meta).slice(0, 300)}`)
}, 300_000)
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})

async function readUnderProbe(path: string): Promise<void> {
  const started = performance.now()
  const { result, probe } = await probeWhile(app, async () => {
    const res = await fetch(`${app.url}${path}`, { headers: auth() })
    await res.arrayBuffer()
    return res.status
  })
  console.log(`${path}: ${result} in ${Math.round(performance.now() - started)} ms; probe maxMs ${Math.round(probe.maxMs)} over ${probe.count} probes`)
  expect(result).toBe(200)
  expect(app.child.exitCode).toBe(null)
  expectResponsive(probe)
}

describe('attack: sorting and filtering 2,000 cells of 64 kB', () => {
  it('a sorted page', async () => {
    await readUnderProbe(`/api/v1/jobs/${longId}/results/0?sort=0&limit=10`)
  }, 120_000)
  it('a sorted CSV export (34.9 s, probes unanswered for 5 s)', async () => {
    await readUnderProbe(`/api/v1/jobs/${longId}/results/0/csv?sort=0`)
  }, 120_000)
  it('a filtered xlsx export (held 889 ms)', async () => {
    await readUnderProbe(`/api/v1/jobs/${longId}/results/0/xlsx?filter=zzz`)
  }, 120_000)
  it('a filtered page', async () => {
    await readUnderProbe(`/api/v1/jobs/${longId}/results/0?filter=zzz&limit=10`)
  }, 120_000)
})
