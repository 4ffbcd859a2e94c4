// Attack (#9 §2, re-verification): reading back a log at its cap. A script printed 300 MB; the store
// kept its head and tail (about 4.7 MB), as the issue asked. But each read of that kept log still held
// the main thread, over real HTTP against `npm run serve`: native logs/text 2.5-4.4 s, Linkis
// entrance/:id/log?size=-1 3.2 s, and Linkis filesystem/openLog 35 s (8.3 MB answered; the issue asks
// to "cap openLog by bytes"). Any user with the scripts right can make such a log and read it as
// often as they like. After paged reads and a 2 MB openLog cap they still held it 230-820 ms: the
// answers were built and serialized in one stretch. They are streamed now, a page of lines at a time
// (http/json-stream.ts), and the probe keeps answering.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkisClient } from '../linkis/support'
import { expectResponsive, probeWhile, runShellJob, startServedProcess, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
let app: ServedProcess
let jobId = 0
const auth = () => ({ authorization: `Bearer ${app.token}` })

beforeAll(async () => {
  app = await startServedProcess(dir)
  jobId = await runShellJob(app, 'head -c 300000000 /dev/zero | tr "\\0" "x" | fold -w 200')
}, 360_000)
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})

async function readUnderProbe(read: () => Promise<Response>): Promise<void> {
  const { result, probe } = await probeWhile(app, async () => {
    const res = await read()
    await res.arrayBuffer()
    return res.status
  })
  expect(result).toBe(200)
  expectResponsive(probe)
}

describe('attack: reading a log kept at its cap', () => {
  it('native GET /jobs/:id/logs/text (held 2.5-4.4 s)', async () => {
    await readUnderProbe(() => fetch(`${app.url}/api/v1/jobs/${jobId}/logs/text`, { headers: auth() }))
  }, 120_000)

  it('Linkis entrance/:id/log?size=-1 (held 3.2 s)', async () => {
    const linkis = linkisClient(app.url)
    await linkis.login('admin', '73@TuGraph')
    await readUnderProbe(() => fetch(`${app.url}/api/rest_j/v1/entrance/${jobId}/log?fromLine=0&size=-1`, { headers: { cookie: linkis.cookie } }))
  }, 120_000)

  it('Linkis filesystem/openLog of the job log (held 35 s, 8.3 MB answered)', async () => {
    const linkis = linkisClient(app.url)
    await linkis.login('admin', '73@TuGraph')
    const path = encodeURIComponent(`file:///jobdesk/admin/log/${jobId}.log`)
    await readUnderProbe(() => fetch(`${app.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, { headers: { cookie: linkis.cookie } }))
  }, 180_000)
})
